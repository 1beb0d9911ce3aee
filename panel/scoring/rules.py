"""The numbers of a round (DESIGN.md §3) as pure functions over DataFrames.

No Flask and no database: :mod:`panel.scoring.report` loads a round into the frames
below, and tests build them by hand. Everything is vectorised (groupby, not a loop per
sheet) so that a round of 100,000 sheets takes a second or two.

Input frames (extra columns are ignored):

- ``applications``: ``reference``, ``requested_amount``;
- ``sheets``: ``sheet`` (id), ``member``, ``group`` (key, may be missing), ``reference``,
  ``revision`` (0 = initial), ``status`` (``draft`` | ``submitted``);
- ``scores``: ``sheet``, ``criterion`` (key), ``value`` (missing = not scored);
- ``conflicts``: ``member``, ``reference``, ``level``, ``status``;
- ``decisions``: ``reference``, ``outcome``, ``rationale``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from panel.scoring import rules_voice

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

    def in_rank_order(self) -> pd.DataFrame:
        return self.table.dropna(subset=["rank"]).sort_values("rank")


@dataclass
class RoundResult:
    """Everything DESIGN.md §3 asks of a round; see :func:`calculate`."""

    rules: Rules
    final: Ranking
    initial: Ranking
    without: dict[str, Ranking]
    voice: dict[str, dict]
    decisions: pd.DataFrame  # index reference: decision, rationale, final_funded
    overrides: list[dict]
    warnings: list[str]


# Sheets -------------------------------------------------------------------------------

def sheet_scores(scores: pd.DataFrame, rules: Rules) -> pd.Series:
    """S (0–100) of every sheet over the criteria it scored, indexed by sheet id; a
    sheet that scored nothing has no score.

    ``scores`` is one row per criterion (sheet, criterion, value), or one row per sheet
    already summed by the database (sheet, points = Σ w_c (s_c − min), weight = Σ w_c
    over the scored criteria), which saves loading every criterion of a large round."""
    span = rules.scale_max - rules.scale_min
    if {"points", "weight"} <= set(scores.columns):
        sums = scores.set_index("sheet")[["points", "weight"]].astype(float)
        sums = sums[sums["weight"] > 0]
        return (100 * sums["points"] / (span * sums["weight"])).rename("score")
    weights = pd.Series(dict(rules.criterion_weights), dtype=float)
    weight = scores["criterion"].map(weights)
    value = pd.to_numeric(scores["value"], errors="coerce")
    scored = value.notna() & weight.notna()
    parts = pd.DataFrame({
        "sheet": scores["sheet"][scored],
        "points": (weight * (value - rules.scale_min))[scored],
        "weight": weight[scored],
    })
    sums = parts.groupby("sheet", sort=False)[["points", "weight"]].sum()
    return (100 * sums["points"] / (span * sums["weight"])).rename("score")


def counting_sheets(sheets: pd.DataFrame, conflicts: pd.DataFrame | None,
                    stage: str = "final") -> pd.DataFrame:
    """The sheets that count (§3), one per member and application: submitted, the
    initial one (``stage="initial"``) or the latest submitted revision (``"final"``),
    never one of a member with a live ``step_out`` conflict on that application.
    ``sheets`` needs a ``score`` column (see :func:`sheet_scores`)."""
    chosen = sheets[sheets["status"] == "submitted"]
    if stage == "initial":
        chosen = chosen[chosen["revision"] == 0]
    else:
        chosen = (chosen.sort_values("revision", kind="stable")
                  .drop_duplicates(["member", "reference"], keep="last"))
    chosen = chosen[chosen["score"].notna()]
    stepped_out = stepped_out_pairs(conflicts)
    if len(stepped_out):
        pairs = pd.MultiIndex.from_frame(chosen[["member", "reference"]])
        chosen = chosen[~pairs.isin(stepped_out)]
    return chosen


def stepped_out_pairs(conflicts: pd.DataFrame | None) -> pd.MultiIndex:
    """(member, reference) pairs with a step_out conflict that was not dismissed."""
    if conflicts is None or conflicts.empty:
        return pd.MultiIndex.from_tuples([], names=["member", "reference"])
    live = conflicts[(conflicts["level"] == "step_out") & (conflicts["status"] != "dismissed")]
    return pd.MultiIndex.from_frame(live[["member", "reference"]].drop_duplicates())


# One run of the calculation -------------------------------------------------------------

def ranking(counting: pd.DataFrame, applications: pd.DataFrame, rules: Rules,
            groups: list[str] | None = None) -> Ranking:
    """Group scores, combined score, rank and funding line from counting sheets."""
    groups = rules.groups if groups is None else groups
    references = pd.Index(applications["reference"], name="reference")
    group_scores, sheets = _group_figures(counting, references, groups)
    score = _combined(counting, group_scores, rules, groups).reindex(references)
    table = _ranked(score, references)
    amounts = _pence(applications["requested_amount"]).set_axis(references)
    table["funded"], table["running_total"] = _funding_line(
        table, amounts, _pence_of(rules.budget), rules.funding_rule)
    return Ranking(table, group_scores, sheets)


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


def _ranked(score: pd.Series, references: pd.Index) -> pd.DataFrame:
    """Highest rounded score first; equal rounded scores are a tie, broken by reference
    in ascending string order; ranks 1..n with no gaps."""
    table = pd.DataFrame({"score": score.to_numpy(dtype=float)}, index=references)
    scored = table["score"].dropna()
    key = pd.DataFrame({"key": scored.round(SCORE_DECIMALS).to_numpy(),
                        "by": scored.index.astype(str)}, index=scored.index)
    order = key.sort_values(["key", "by"], ascending=[False, True], kind="stable")
    table["rank"] = pd.Series(np.arange(1, len(order) + 1), index=order.index,
                              dtype="Int64").reindex(references)
    table["tie"] = False
    table.loc[order.index, "tie"] = order["key"].duplicated(keep=False).to_numpy()
    return table


def _funding_line(table: pd.DataFrame, amounts: pd.Series, budget: int,
                  rule: str) -> tuple[pd.Series, pd.Series]:
    """Walk the ranking adding each amount (in pence, so sums are exact)."""
    order = table["rank"].dropna().sort_values().index
    asked = amounts.reindex(order).to_numpy(dtype=np.int64)
    if rule == "fill":
        funded = _fill(asked, budget)
    else:  # strict: stop at the first that does not fit
        funded = np.minimum.accumulate(np.cumsum(asked) <= budget) if len(asked) else asked > 0
    running = np.cumsum(np.where(funded, asked, 0)) / 100
    funded_all = pd.Series(False, index=table.index)
    funded_all[order] = funded
    running_all = pd.Series(np.nan, index=table.index)
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
    return (pd.to_numeric(amounts.map(float)) * 100).round().astype("int64")


def _pence_of(amount: Decimal | float) -> int:
    return int(round(Decimal(str(amount)) * 100))


# The whole round ---------------------------------------------------------------------------

def scored_sheets(sheets: pd.DataFrame, scores: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """``sheets`` with each sheet's score S added as a ``score`` column."""
    score = sheet_scores(scores, rules)
    return sheets.assign(score=sheets["sheet"].map(score).astype(float))


def final_ranking(applications: pd.DataFrame, sheets: pd.DataFrame, scores: pd.DataFrame,
                  conflicts: pd.DataFrame | None, rules: Rules) -> Ranking:
    """Only the final, score-based ranking (what the officer's ranking page shows)."""
    scored = scored_sheets(sheets, scores, rules)
    return ranking(counting_sheets(scored, conflicts, "final"), applications, rules)


def calculate(applications: pd.DataFrame, sheets: pd.DataFrame, scores: pd.DataFrame,
              conflicts: pd.DataFrame | None, decisions: pd.DataFrame | None,
              rules: Rules, sums: pd.DataFrame | None = None) -> RoundResult:
    """Every figure of DESIGN.md §3: final and initial rankings, the ranking without
    each group, community voice, and the chair's decisions against the budget.
    ``sums`` (per-sheet sums, see :func:`sheet_scores`) give the sheet scores when the
    caller has them, so that the report and the ranking page compute S the same way;
    ``scores`` (per criterion) are still needed for the per-criterion gaps."""
    scored = scored_sheets(sheets, sums if sums is not None else scores, rules)
    final_sheets = counting_sheets(scored, conflicts, "final")
    initial_sheets = counting_sheets(scored, conflicts, "initial")
    final = ranking(final_sheets, applications, rules)
    initial = ranking(initial_sheets, applications, rules)
    without = {
        g: ranking(final_sheets[final_sheets["group"] != g], applications, rules,
                   [h for h in rules.groups if h != g])
        for g in rules.groups
    }
    criterion_values = scores.merge(final_sheets[["sheet", "group"]], on="sheet")
    voice = rules_voice.community_voice(final, initial, without, criterion_values, rules.groups,
                                        list(rules.criterion_weights))
    outcome, overrides, warnings = decide(final, decisions, applications, rules)
    return RoundResult(rules, final, initial, without, voice, outcome, overrides, warnings)


def decide(final: Ranking, decisions: pd.DataFrame | None, applications: pd.DataFrame,
           rules: Rules) -> tuple[pd.DataFrame, list[dict], list[str]]:
    """``final_funded``: fund → true, do_not_fund → false, otherwise the score-based
    result. An override is a decision that changes the score-based result."""
    references = final.table.index
    if decisions is None or decisions.empty:
        decisions = pd.DataFrame(columns=["reference", "outcome", "rationale"])
    chosen = decisions.drop_duplicates("reference", keep="last").set_index("reference")
    outcome = pd.DataFrame(index=references)
    outcome["decision"] = chosen["outcome"].reindex(references).astype(object)
    outcome["rationale"] = chosen["rationale"].reindex(references).astype(object)
    forced = outcome["decision"].map(OVERRIDING)
    outcome["final_funded"] = forced.where(forced.notna(), final.table["funded"]).astype(bool)
    outcome = outcome.astype({"decision": object, "rationale": object})
    outcome = outcome.where(outcome.notna(), None)
    changed = outcome[outcome["final_funded"] != final.table["funded"]]
    overrides = [{"reference": str(ref), "decision": row.decision, "rationale": row.rationale or "",
                  "funded": bool(final.table.at[ref, "funded"]),
                  "final_funded": bool(row.final_funded)}
                 for ref, row in changed.iterrows()]
    amounts = _pence(applications["requested_amount"]).set_axis(references)
    total, budget = int(amounts[outcome["final_funded"]].sum()), _pence_of(rules.budget)
    warnings = []
    if total > budget:
        warnings.append(f"After the panel's decisions the funded applications ask for "
                        f"£{total / 100:,.2f}, over the budget of £{budget / 100:,.2f}.")
    return outcome, overrides, warnings


# The officer's ranking page ----------------------------------------------------------------

@dataclass
class Decided:
    """What the officer's ranking page shows: the final and initial rankings and the
    chair's decisions (see :func:`decide`), without the counterfactuals of
    :func:`calculate`. The figures are the report's, computed the same way."""

    final: Ranking
    initial: Ranking
    decisions: pd.DataFrame  # index reference: decision, rationale, final_funded
    overrides: list[dict]
    warnings: list[str]


def decided_ranking(applications: pd.DataFrame, sheets: pd.DataFrame, scores: pd.DataFrame,
                    conflicts: pd.DataFrame | None, decisions: pd.DataFrame | None,
                    rules: Rules) -> Decided:
    """Final and initial rankings and the decisions against them; ``scores`` per
    criterion or per-sheet sums, as for :func:`sheet_scores`."""
    scored = scored_sheets(sheets, scores, rules)
    final = ranking(counting_sheets(scored, conflicts, "final"), applications, rules)
    initial = ranking(counting_sheets(scored, conflicts, "initial"), applications, rules)
    outcome, overrides, warnings = decide(final, decisions, applications, rules)
    return Decided(final, initial, outcome, overrides, warnings)
