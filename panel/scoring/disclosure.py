"""Small groups (DESIGN.md §4): which group figures panellists and the public may see.

A group's label or score on an application reaches them only when at least ``k`` of its
members have a counting sheet there (the round's ``min_group_size``, 2 unless the round
raises it). Hiding the small group's figure alone is not enough: beside the item's other
group scores, its spread or the scores without that group, the hidden figure can be
worked out. So an application with a small group — in its final or its initial figures —
is **guarded**: for those audiences none of its group scores, labels or gaps are shown,
nor its scores without a group, and figures over many applications (agreement between
groups, how far they moved) leave the guarded ones out, so that two applications'
figures together cannot give a person's score away either.

Pure pandas: rankings in, masks out."""
from __future__ import annotations

import pandas as pd

from panel.scoring.rules import Ranking

DEFAULT_MIN_GROUP_SIZE = 2


def small_groups(ranking: Ranking, k: int) -> pd.DataFrame:
    """Per application and group: True where 1 to ``k`` − 1 of its members count."""
    sheets = ranking.sheets
    return (sheets > 0) & (sheets < k)


def guarded(final: Ranking, initial: Ranking, k: int) -> pd.Series:
    """Per application: True when any group is small there, before or after the meeting."""
    small = small_groups(final, k).any(axis=1)
    before = small_groups(initial, k).any(axis=1).reindex(small.index, fill_value=False)
    return (small | before).rename("guarded")


def alone(ranking: Ranking, k: int) -> pd.Series:
    """Per application: True where the only group with a counting sheet is small, so
    that its combined score is that small group's score (with ``equal_groups`` exactly;
    with ``equal_people`` a mean of those few sheets)."""
    sheets = ranking.sheets
    return small_groups(ranking, k).any(axis=1) & ((sheets > 0).sum(axis=1) == 1)


def masked(ranking: Ranking, hidden: pd.Series) -> Ranking:
    """``ranking`` with every group score of the ``hidden`` applications taken out."""
    rows = hidden.reindex(ranking.group_scores.index, fill_value=False)
    return Ranking(ranking.table, ranking.group_scores.mask(rows, axis=0), ranking.sheets)
