"""The meeting's default agenda (DESIGN.md §6): largest disagreement first, then the
applications nearest the funding line. Pure pandas, no database.

Disagreement is read in whole points of the 0–100 sheet score, so that small
differences do not decide the order on their own:

1. the **gap** between the groups: highest group score minus lowest (0 with fewer
   than two groups present), largest first;
2. the **spread** of every counting sheet score: highest minus lowest, largest first;
3. the **distance from the funding line**: how many places the rank is from the line
   drawn under the last funded application, nearest first;
4. the reference, in ascending string order, so the order never depends on chance.

Applications with no counting sheet have no rank; they come last, by reference.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from panel.scoring.rules import Ranking


def disagreement(ranking: Ranking, counting: pd.DataFrame,
                 spread: pd.Series | None = None) -> pd.DataFrame:
    """Per application (index reference): ``gap`` and ``spread`` in points (0–100).
    ``spread``: :func:`spreads` of ``counting``, when the caller keeps them."""
    groups = ranking.group_scores
    present = groups.notna().sum(axis=1)
    gap = (groups.max(axis=1) - groups.min(axis=1)).where(present >= 2, 0.0)
    spread = (spreads(counting) if spread is None else spread).reindex(ranking.table.index)
    return pd.DataFrame({"gap": gap.fillna(0.0), "spread": spread.fillna(0.0)},
                        index=ranking.table.index)


def spreads(counting: pd.DataFrame) -> pd.Series:
    """Per application with a counting sheet (index reference): the highest counting
    sheet score minus the lowest."""
    by_reference = counting.groupby("reference", sort=False)["score"]
    return by_reference.max() - by_reference.min()


def default_order(ranking: Ranking, counting: pd.DataFrame) -> list[str]:
    """References in the order the meeting takes them by default."""
    table = ranking.table
    figures = disagreement(ranking, counting)
    funded_ranks = table.loc[table["funded"], "rank"].dropna()
    line = float(funded_ranks.max()) if len(funded_ranks) else 0.0  # line under this rank
    rank = table["rank"].astype(float)
    key = pd.DataFrame({
        "gap": -_whole(figures["gap"]),
        "spread": -_whole(figures["spread"]),
        "distance": np.abs(rank.to_numpy() - (line + 0.5)),
        "by": table.index.astype(str),
        "unranked": rank.isna().to_numpy(),
    }, index=table.index)
    order = key.sort_values(["unranked", "gap", "spread", "distance", "by"],
                            kind="stable")
    return [str(ref) for ref in order.index]


def _whole(points: pd.Series) -> np.ndarray:
    """Rounded to whole points, halves up (12.5 → 13)."""
    return np.floor(points.to_numpy(dtype=float) + 0.5)
