"""How far two groups' scores are apart, as the report page tells it: the typical size of
the disagreement and its direction, kept apart so that opposite gaps do not cancel.

DESIGN.md §3's per-criterion gap is a signed mean: a group scoring a criterion 2 points
higher on one application and 2 lower on another shows a gap of 0. Here each
application's gap is taken first (group g's mean minus group h's, where both scored it),
then summed up as its mean absolute size and as how many applications each group scored
higher. Pure pandas: no Flask, no database; the report JSON is not changed by it.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

PLACES = 6  # gaps are compared rounded, as DESIGN.md §3 compares group scores


@dataclass(frozen=True)
class Apart:
    """Gaps over some applications: how many, the mean absolute gap (None with none), and
    on how many each group scored higher (the rest are level)."""

    applications: int
    typical: float | None
    g_higher: int
    h_higher: int


def apart(gaps: pd.Series) -> Apart:
    """Sum up gaps (g minus h, one per application; missing ones are left out)."""
    found = gaps.dropna().astype(float).round(PLACES)
    if found.empty:
        return Apart(0, None, 0, 0)
    return Apart(int(found.size), float(found.abs().mean()), int((found > 0).sum()),
                 int((found < 0).sum()))


def application_gaps(group_scores: pd.DataFrame, g: str, h: str) -> pd.Series:
    """Per application (the index), group ``g``'s score minus ``h``'s, on the 0–100 score;
    missing where either group has no score there."""
    return group_scores[g] - group_scores[h]


def criterion_gaps(values: pd.DataFrame, g: str, h: str) -> pd.DataFrame:
    """Per application (rows) and criterion (columns), the mean of ``g``'s criterion scores
    minus the mean of ``h``'s, in scale points; missing where either group has none.
    ``values`` holds counting sheets' criterion scores: ``reference``, ``criterion``,
    ``group``, ``value`` (not a number: not scored)."""
    numbers = values.assign(value=pd.to_numeric(values["value"], errors="coerce"))
    numbers = numbers.dropna(subset=["value"])
    numbers = numbers[numbers["group"].isin([g, h])]
    if numbers.empty:
        return pd.DataFrame()
    means = numbers.groupby(["group", "reference", "criterion"])["value"].mean()
    if g not in means.index.get_level_values("group") or \
            h not in means.index.get_level_values("group"):
        return pd.DataFrame()
    return (means.loc[g] - means.loc[h]).unstack("criterion")


def criterion_apart(values: pd.DataFrame, g: str, h: str,
                    criteria: list[str]) -> dict[str, Apart]:
    """Per criterion key, in the order given, how far apart ``g`` and ``h`` scored it."""
    gaps = criterion_gaps(values, g, h)
    return {c: apart(gaps[c] if c in gaps.columns else pd.Series(dtype=float))
            for c in criteria}
