"""The numbers of a round (DESIGN.md §3) as pure functions over DataFrames.

No Flask and no database: :mod:`panel.scoring.figures` loads a round and calls these
(its :func:`~panel.scoring.figures.figures` is the one place they are put together), and
tests build the frames by hand. Everything is vectorised (groupby, not a loop per sheet)
so that a round of 100,000 sheets takes a second or two.

Which sheets count (submitted, initial or final, the member not stepped out) is decided
before the frames get here, in SQL (:mod:`panel.scoring.models`). The frames:

- ``applications``: ``reference``, ``requested_amount``;
- ``sheets``: ``sheet`` (id), ``member``, ``group`` (key, may be missing), ``reference``,
  ``initial`` and ``final`` (bool: the figures the sheet counts in), ``points`` =
  Σ w_c (s_c − min) and ``weight`` = Σ w_c over the criteria the sheet scored;
- ``decisions``: ``reference``, ``outcome``, ``rationale``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

SCORE_DECIMALS = 6  # ranking compares scores rounded to this many places (§3)
OVERRIDING = {"fund": True, "do_not_fund": False}  # keep and no_consensus: score-based


@dataclass(frozen=True)
class Rules:
    """A round's settings that the numbers depend on."""

    scale_min: int = 1
    scale_max: int = 5
    budget: Decimal | float = 0
    funding_rule: str = "strict"
    weighting: str = "equal_groups"
    group_weights: Mapping[str, float] = field(default_factory=dict)  # in the round's order
    criterion_weights: Mapping[str, float] = field(default_factory=dict)

    @property
    def groups(self) -> list[str]:
        return list(self.group_weights)


@dataclass
class Ranking:
    """One run of the calculation: the score, rank and funding of every application.

    ``table`` is indexed by reference in the applications' order, with columns
    ``score`` (NaN: no counting sheet), ``rank`` (nullable int), ``tie``, ``funded`` and
    ``running_total`` (funded amounts down to and including the row).
    ``group_scores`` and ``sheets`` have one column per group."""

    table: pd.DataFrame
    group_scores: pd.DataFrame
    sheets: pd.DataFrame
    # Each application's place in ascending string order of the references (ties are
    # broken by it) and its requested amount in pence, in the applications' order: kept
    # so that a ranking made again (:func:`ranking_updated`) need not make them again.
    by_reference: np.ndarray | None = field(default=None, compare=False, repr=False)
    pence: np.ndarray | None = field(default=None, compare=False, repr=False)

    def in_rank_order(self) -> pd.DataFrame:
        return self.table.dropna(subset=["rank"]).sort_values("rank")


# Sheets -------------------------------------------------------------------------------

def sheet_score(scored: list[tuple[float, int]], scale_min: int, scale_max: int) -> float | None:
    """S (0–100) of one sheet from its scored criteria, each ``(w_c, s_c)``:
    S = 100 × Σ w_c (s_c − min) / ((max − min) × Σ w_c); None when it scored nothing.
    Stored on each sheet when it is submitted (:mod:`panel.scoring.models`), the same
    arithmetic as :func:`sheet_scores`, so a stored S and a computed one are the same float."""
    if not scored:
        return None
    points = sum(weight * (value - scale_min) for weight, value in scored)
    weight = sum(weight for weight, _ in scored)
    return float(100 * points / ((scale_max - scale_min) * weight))


def sheet_scores(sheets: pd.DataFrame, rules: Rules) -> pd.Series:
    """S (0–100) of every sheet over the criteria it scored:
    S = 100 × Σ w_c (s_c − min) / ((max − min) × Σ w_c), from the sheet's ``points`` and
    ``weight``; a sheet that scored nothing has no score."""
    span = rules.scale_max - rules.scale_min
    return (100 * sheets["points"] / (span * sheets["weight"])).astype(float).rename("score")


def counting_sheets(sheets: pd.DataFrame, stage: str = "final") -> pd.DataFrame:
    """The sheets that count in the ``stage`` ("initial" or "final") figures: one per
    member and application, with a score. ``sheets`` needs a ``score`` column (see
    :func:`sheet_scores`)."""
    return sheets[sheets[stage] & sheets["score"].notna()]


# One run of the calculation -------------------------------------------------------------

def ranking(counting: pd.DataFrame, applications: pd.DataFrame, rules: Rules,
            groups: list[str] | None = None) -> Ranking:
    """Group scores, combined score, rank and funding line from counting sheets."""
    groups = rules.groups if groups is None else groups
    references = pd.Index(applications["reference"], name="reference")
    group_scores, sheets = _group_figures(counting, references, groups)
    score = _combined(counting, group_scores, rules, groups).reindex(references)
    by_reference, pence = _by_reference(references), _pence_array(applications)
    return Ranking(_ranked_and_funded(score, applications, rules, by_reference, pence),
                   group_scores, sheets, by_reference, pence)


def ranking_updated(previous: Ranking, counting: pd.DataFrame, changed: pd.Index,
                    applications: pd.DataFrame, rules: Rules,
                    groups: list[str] | None = None) -> Ranking:
    """:func:`ranking` again after the counting sheets of the applications ``changed``
    (references) changed, from ``previous`` and those applications' counting sheets
    (``counting``, theirs alone): their group and combined scores are made again, every
    other application's kept, then every rank and the funding line made again. The
    same figures as :func:`ranking` over all the counting sheets, at the cost of a
    sort instead of grouping every sheet of the round."""
    groups = rules.groups if groups is None else groups
    changed_scores, changed_sheets = _group_figures(counting, changed, groups)
    group_scores, sheets = previous.group_scores.copy(), previous.sheets.copy()
    group_scores.loc[changed] = changed_scores
    sheets.loc[changed] = changed_sheets
    score = previous.table["score"].copy()
    score.loc[changed] = _combined(counting, changed_scores, rules, groups).reindex(changed)
    by_reference, pence = previous.by_reference, previous.pence
    if by_reference is None or len(by_reference) != len(applications):
        by_reference = _by_reference(pd.Index(applications["reference"]))
    if pence is None or len(pence) != len(applications):
        pence = _pence_array(applications)
    return Ranking(_ranked_and_funded(score, applications, rules, by_reference, pence),
                   group_scores, sheets, by_reference, pence)


def _by_reference(references: pd.Index) -> np.ndarray:
    """Each reference's place in ascending string order."""
    places = np.empty(len(references), dtype=np.int64)
    places[np.argsort(references.astype(str).to_numpy(dtype=str), kind="stable")] = \
        np.arange(len(references))
    return places


def _ranked_and_funded(score: pd.Series, applications: pd.DataFrame, rules: Rules,
                       by_reference: np.ndarray, pence: np.ndarray) -> pd.DataFrame:
    references = pd.Index(applications["reference"], name="reference")
    table, order = _ranked(score, references, by_reference)
    table["funded"], table["running_total"] = _funding_line(
        order, pence, _pence_of(rules.budget), rules.funding_rule)
    return table


def _group_figures(counting: pd.DataFrame, references: pd.Index,
                   groups: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    by_group = counting.groupby(["reference", "group"], sort=False)["score"].agg(["mean", "size"])
    means = by_group["mean"].unstack("group") if len(by_group) else pd.DataFrame()
    sizes = by_group["size"].unstack("group") if len(by_group) else pd.DataFrame()
    means = means.reindex(index=references, columns=groups).astype(float)
    sizes = sizes.reindex(index=references, columns=groups).fillna(0).astype(int)
    means.columns.name = sizes.columns.name = None
    return means, sizes


def _combined(counting: pd.DataFrame, group_scores: pd.DataFrame, rules: Rules,
              groups: list[str]) -> pd.Series:
    if rules.weighting == "equal_people":
        return counting.groupby("reference", sort=False)["score"].mean()
    weights = pd.Series({g: float(rules.group_weights.get(g, 1.0)) for g in groups}, dtype=float)
    present = group_scores.notna()
    weighted = (group_scores.fillna(0.0) * weights).sum(axis=1)
    total_weight = (present * weights).sum(axis=1)
    return (weighted / total_weight.where(total_weight > 0)).astype(float)


def _ranked(score: pd.Series, references: pd.Index,
            by_reference: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Highest rounded score first; equal rounded scores are a tie, broken by reference
    in ascending string order (``by_reference``: each reference's place in it); ranks
    1..n with no gaps. With the positions of the ranked applications in rank order."""
    values = score.to_numpy(dtype=float)
    table = pd.DataFrame({"score": values}, index=references)
    scored = np.flatnonzero(~np.isnan(values))
    key = np.round(values[scored], SCORE_DECIMALS)
    order = scored[np.lexsort((by_reference[scored], -key))]
    ranks = np.zeros(len(values), dtype=np.int64)
    ranks[order] = np.arange(1, len(order) + 1)
    table["rank"] = pd.arrays.IntegerArray(ranks, ranks == 0)  # 0: no score, no rank
    ordered_key = np.round(values[order], SCORE_DECIMALS)
    same_as_next = ordered_key[1:] == ordered_key[:-1]
    tie = np.zeros(len(values), dtype=bool)
    tie[order] = np.r_[same_as_next, False] | np.r_[False, same_as_next]
    table["tie"] = tie
    return table, order


def _funding_line(order: np.ndarray, amounts: np.ndarray, budget: int,
                  rule: str) -> tuple[np.ndarray, np.ndarray]:
    """Walk the ranking (``order``: positions in rank order) adding each amount (in
    pence, so sums are exact): funded and the running total of every position."""
    asked = amounts[order]
    if rule in ("fill", "lottery"):  # lottery: the provisional line (rules_lottery.py)
        funded = _fill(asked, budget)
    else:  # strict: stop at the first that does not fit
        funded = np.minimum.accumulate(np.cumsum(asked) <= budget) if len(asked) else asked > 0
    running = np.cumsum(np.where(funded, asked, 0)) / 100
    funded_all = np.zeros(len(amounts), dtype=bool)
    funded_all[order] = funded
    running_all = np.full(len(amounts), np.nan)
    running_all[order] = running
    return funded_all, running_all


def _fill(asked: np.ndarray, budget: int) -> np.ndarray:
    # Each step depends on what was funded before, so this walk is a plain loop.
    funded = np.zeros(len(asked), dtype=bool)
    total = 0
    for i, amount in enumerate(asked.tolist()):
        if total + amount <= budget:
            funded[i] = True
            total += amount
    return funded


def _pence(amounts: pd.Series) -> pd.Series:
    return (amounts.astype(float) * 100).round().astype("int64")


def _pence_array(applications: pd.DataFrame) -> np.ndarray:
    return _pence(applications["requested_amount"]).to_numpy(dtype=np.int64)


def _pence_of(amount: Decimal | float) -> int:
    return int(round(Decimal(str(amount)) * 100))


# The chair's decisions -------------------------------------------------------------------

def decide(final: Ranking, decisions: pd.DataFrame | None, applications: pd.DataFrame,
           rules: Rules) -> tuple[pd.DataFrame, list[dict], list[str]]:
    """``final_funded``: fund → true, do_not_fund → false, otherwise the score-based
    result. An override is a decision that changes the score-based result."""
    references = final.table.index
    if decisions is None or decisions.empty:
        decisions = pd.DataFrame(columns=["reference", "outcome", "rationale"])
    chosen = decisions.drop_duplicates("reference", keep="last")
    # Only the decided rows are touched: a round has thousands of applications and a
    # meeting's decisions come one at a time.
    at = references.get_indexer(chosen["reference"])
    chosen, at = chosen[at >= 0], at[at >= 0]
    decision = np.full(len(references), None, dtype=object)
    rationale = np.full(len(references), None, dtype=object)
    decision[at] = [None if pd.isna(v) else v for v in chosen["outcome"].tolist()]
    rationale[at] = [None if pd.isna(v) else v for v in chosen["rationale"].tolist()]
    funded = final.table["funded"].to_numpy(dtype=bool)
    final_funded = funded.copy()
    for n, value in zip(at.tolist(), decision[at].tolist()):
        if value in OVERRIDING:
            final_funded[n] = OVERRIDING[value]
    outcome = pd.DataFrame({"decision": pd.Series(decision, references, dtype=object),
                            "rationale": pd.Series(rationale, references, dtype=object),
                            "final_funded": final_funded}, index=references)
    changed = outcome[final_funded != funded]
    overrides = [{"reference": str(ref), "decision": decision, "rationale": rationale or "",
                  "funded": bool(funded), "final_funded": bool(final_funded)}
                 for ref, decision, rationale, funded, final_funded in zip(
                     changed.index, changed["decision"].tolist(), changed["rationale"].tolist(),
                     final.table["funded"].reindex(changed.index).tolist(),
                     changed["final_funded"].tolist())]
    pence = final.pence
    if pence is None or len(pence) != len(references):
        pence = _pence_array(applications)
    total, budget = int(pence[final_funded].sum()), _pence_of(rules.budget)
    warnings = []
    if total > budget:
        warnings.append(f"After the panel's decisions the funded applications ask for "
                        f"£{total / 100:,.2f}, over the budget of £{budget / 100:,.2f}.")
    return outcome, overrides, warnings
