"""The officer's ranking page: the final, score-based ranking of a round with its
funding line, the initial rank beside it, and the chair's decisions with every override
and the budget warning (DESIGN.md §3), in any phase."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from flask import render_template, request

from panel import access
from panel.forms import ButtonForm
from panel.moderation.meeting import shown_figures
from panel.moderation.models import outcome_label
from panel.pages import Page, page_bounds
from panel.rounds.models import Round
from panel.scoring.figures import Figures, made_once
from panel.scoring.rank_intervals import rank_intervals

PER_PAGE = 50


@dataclass
class RankedApplication:
    rank: int | None
    initial_rank: int | None
    reference: str
    title: str
    score: float | None
    group_scores: list[float | None]
    requested: float
    running_total: float | None
    funded: bool  # by the score-based funding line
    tie: bool
    last_funded: bool  # the funding line is drawn under this row
    decision: str | None  # its label
    final_funded: bool


@dataclass
class Override:
    """A decision that changes the score-based result."""

    reference: str
    title: str
    decision: str  # its label
    rationale: str
    funded: bool
    final_funded: bool


@dataclass
class InRankOrder:
    """The whole round in rank order (``table``, one row per application: score, rank,
    funding, group scores, initial rank, title, amount), with the total the score-based
    funding line spends and its last funded reference. Made once per version of the
    scores (:func:`made_once`), not per request: the decisions are not in it."""

    table: pd.DataFrame
    funded_total: float
    last_funded: str | None


@dataclass
class RankedRound:
    """The round in rank order, with what covers the whole round rather than the page
    shown; :meth:`rows` turns one page of it into rows, with their decisions."""

    ordered: InRankOrder
    decisions: pd.DataFrame  # index reference: decision, final_funded
    decision_count: int  # applications with a decision
    overrides: list[Override]
    warnings: list[str]
    figures: Figures  # the round's figures the order was made from

    @property
    def table(self) -> pd.DataFrame:
        return self.ordered.table

    @property
    def funded_total(self) -> float:
        return self.ordered.funded_total

    @property
    def last_funded(self) -> str | None:
        return self.ordered.last_funded

    def rows(self, start: int, stop: int, groups: list[str]) -> list[RankedApplication]:
        shown = self.table.iloc[start:stop]
        decided = self.decisions.reindex(shown.index)
        return [_row(ref, row, decision, final_funded, groups, ref == self.last_funded)
                for (ref, row), decision, final_funded in zip(
                    shown.iterrows(), decided["decision"].tolist(),
                    decided["final_funded"].tolist())]


@access.officer_round()
def ranking(round_: Round):
    ranked = ranked_round(round_)
    table = ranked.table
    number, pages = page_bounds(len(table), request.args.get("page", 1, type=int), PER_PAGE)
    groups = [g.key for g in round_.groups]
    rows = ranked.rows((number - 1) * PER_PAGE, number * PER_PAGE, groups)
    page = Page(rows, number, pages, len(table))
    # Decisions are shown once the chair has recorded one, and always after the meeting.
    show_decisions = ranked.decision_count > 0 or round_.meeting_over
    return render_template("reports/ranking.html", round=round_, page=page,
                           funded_total=ranked.funded_total, groups=round_.groups,
                           show_decisions=show_decisions, decision_count=ranked.decision_count,
                           overrides=ranked.overrides, warnings=ranked.warnings,
                           # By reference; only the plotted rows' titles are looked up.
                           intervals=rank_intervals(round_, ranked.table["title"],
                                                    ranked.figures),
                           work_out=ButtonForm())


def ranked_round(round_: Round) -> RankedRound:
    """Every application in rank order (those with no score last, by reference), the
    total the score-based funding line spends, the last funded reference, and the
    decisions against the score-based result. The round's figures are shared
    (:func:`shown_figures`) and the order made once per version of the scores; only the
    page shown is turned into rows: a round can hold 20,000 applications."""
    result = shown_figures(round_)
    ordered = made_once(result.final, "ranking page", lambda: _in_rank_order(result))
    titles = ordered.table["title"]
    return RankedRound(ordered, result.decisions[["decision", "final_funded"]],
                       int(result.decisions["decision"].notna().sum()),
                       _overrides(result.overrides, titles), result.warnings, result)


def _in_rank_order(result: Figures) -> InRankOrder:
    initial = result.initial.table["rank"].rename("initial_rank")
    about = result.applications.set_index("reference")[["title", "requested_amount"]]
    table = result.final.table.join(result.final.group_scores).join(initial).join(about)
    ranked = table.dropna(subset=["rank"]).sort_values("rank")
    unranked = table[table["rank"].isna()].sort_index()
    funded = ranked.index[ranked["funded"]]
    last = funded[-1] if len(funded) else None
    total = float(sum(map(float, ranked.loc[funded, "requested_amount"].tolist())))
    return InRankOrder(pd.concat([ranked, unranked]), total, last)


def _overrides(overrides: list[dict], titles: pd.Series) -> list[Override]:
    return [Override(reference=o["reference"], title=titles[o["reference"]],
                     decision=outcome_label(o["decision"]), rationale=o["rationale"],
                     funded=o["funded"], final_funded=o["final_funded"])
            for o in overrides]


def _row(ref, row, decision, final_funded, groups: list[str],
         last_funded: bool) -> RankedApplication:
    return RankedApplication(
        rank=_rank(row["rank"]), initial_rank=_rank(row["initial_rank"]), reference=str(ref),
        title=row["title"], score=_number(row["score"]),
        group_scores=[_number(row[g]) for g in groups],
        requested=float(row["requested_amount"]), running_total=_number(row["running_total"]),
        funded=bool(row["funded"]), tie=bool(row["tie"]), last_funded=last_funded,
        decision=outcome_label(decision), final_funded=bool(final_funded))


def _rank(value) -> int | None:
    return None if pd.isna(value) else int(value)


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)
