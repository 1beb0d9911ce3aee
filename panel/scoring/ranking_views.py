"""The officer's ranking page: the final, score-based ranking of a round with its
funding line (DESIGN.md §3), in any phase."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil

import pandas as pd
from flask import Blueprint, render_template, request

from panel.rounds.access import officer_round
from panel.rounds.models import Round
from panel.rounds.progress import Page
from panel.scoring import rules
from panel.scoring.report import load_frames, round_rules

bp = Blueprint("ranking", __name__, url_prefix="/rounds")
PER_PAGE = 50


@dataclass
class RankedApplication:
    rank: int | None
    reference: str
    title: str
    score: float | None
    group_scores: list[float | None]
    requested: float
    running_total: float | None
    funded: bool
    tie: bool
    last_funded: bool  # the funding line is drawn under this row


@bp.get("/<slug>/ranking")
@officer_round()
def ranking(round_: Round):
    table, funded_total, last_funded = ranked_table(round_)
    pages = max(ceil(len(table) / PER_PAGE), 1)
    number = min(max(request.args.get("page", 1, type=int), 1), pages)
    shown = table.iloc[(number - 1) * PER_PAGE:number * PER_PAGE]
    groups = [g.key for g in round_.groups]
    rows = [_row(ref, row, groups, ref == last_funded) for ref, row in shown.iterrows()]
    page = Page(rows, number, pages, len(table))
    return render_template("scoring/ranking.html", round=round_, page=page,
                           funded_total=funded_total, groups=round_.groups)


def ranked_table(round_: Round) -> tuple[pd.DataFrame, float, str | None]:
    """Every application in rank order (those with no score last, by reference), the
    total the score-based funding line spends, and the last funded reference. Only the
    page shown is turned into rows: a round can hold 20,000 applications."""
    frames = load_frames(round_, criteria=False)
    settings = round_rules(round_)
    result = rules.final_ranking(frames["applications"], frames["sheets"], frames["sums"],
                                 frames["conflicts"], settings)
    table = result.table.join(result.group_scores)
    about = frames["applications"].set_index("reference")
    table = table.join(about[["title", "requested_amount"]])
    ranked = table.dropna(subset=["rank"]).sort_values("rank")
    unranked = table[table["rank"].isna()].sort_index()
    funded = ranked.index[ranked["funded"]]
    last = funded[-1] if len(funded) else None
    total = float(sum(float(a) for a in ranked.loc[funded, "requested_amount"]))
    return pd.concat([ranked, unranked]), total, last


def _row(ref, row, groups: list[str], last_funded: bool) -> RankedApplication:
    return RankedApplication(
        rank=None if pd.isna(row["rank"]) else int(row["rank"]), reference=str(ref),
        title=row["title"], score=_number(row["score"]),
        group_scores=[_number(row[g]) for g in groups],
        requested=float(row["requested_amount"]), running_total=_number(row["running_total"]),
        funded=bool(row["funded"]), tie=bool(row["tie"]), last_funded=last_funded)


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)
