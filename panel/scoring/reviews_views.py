"""A panellist's own reviews of a round as one table (issue 20), what HotCRP gives
reviewers:

/my-reviews/<slug>    reference, title, where it stands, their answer to each criterion
                      and their overall score S (DESIGN.md §3, 0–100), sortable by any
                      column and filtered by where it stands

Only their own sheets: never anyone else's scores (DESIGN.md §4). Sorting and filtering
are links and a plain form, so the page works without JavaScript.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from panel import access
from panel.rounds.content import content_text
from panel.rounds.models import Criterion, PanelMember, Round
from panel.scoring import queries
from panel.scoring.rules import sheet_score

# What a panellist may filter by: the statuses of queries.STATUS_LABELS, in their order.
SHOWN = {"all": _l("All applications"), **queries.STATUS_LABELS}
FIXED_COLUMNS = ("reference", "title", "status", "overall")


@dataclass(frozen=True)
class Review:
    """One row: an assigned application and the member's own answers to it."""

    reference: str
    title: str
    title_cy: str  # "" when the round has no Welsh title for it (panel.rounds.content)
    status: str
    label: str
    answers: dict[str, int | None]  # criterion key → level, None for "not able to score"
    overall: float | None

    def key(self, column: str):
        """What sorting by ``column`` compares; blanks always last (see :func:`_sorted`)."""
        if column == "status":
            return list(queries.STATUS_LABELS).index(self.status)
        if column == "title":  # as the reader sees it: Welsh where there is some
            return content_text(self, "title").casefold()
        if column == "reference":
            return self.reference.casefold()
        if column == "overall":
            return self.overall
        return self.answers.get(column)


@access.panel_round
def my_reviews(round_: Round, member: PanelMember):
    criteria = list(round_.criteria)
    columns = FIXED_COLUMNS + tuple(c.key for c in criteria)
    sort = request.args.get("sort", "reference")
    sort = sort if sort in columns else "reference"
    descending = request.args.get("order") == "desc"
    shown = request.args.get("show", "all")
    shown = shown if shown in SHOWN else "all"
    reviews = _reviews(member, round_, criteria)
    counts = {status: sum(1 for r in reviews if r.status == status) for status in SHOWN}
    counts["all"] = len(reviews)
    rows = _sorted([r for r in reviews if shown == "all" or r.status == shown], sort, descending)
    return render_template("scoring/reviews.html", round=round_, criteria=criteria,
                           rows=rows, sort=sort, descending=descending, shown=shown,
                           choices=SHOWN, counts=counts, total=len(reviews),
                           numeric={"overall", *(c.key for c in criteria)})


def _reviews(member: PanelMember, round_: Round, criteria: list[Criterion]) -> list[Review]:
    weights = {c.key: c.weight for c in criteria}
    reviews = []
    for item, answers in queries.own_answers(member, criteria):
        scored = [(weights[key], value) for key, value in answers.items() if value is not None]
        reviews.append(Review(
            reference=item.application.reference, title=item.application.title,
            title_cy=item.application.title_cy or "",
            status=item.status, label=item.label, answers=answers,
            overall=sheet_score(scored, round_.scale_min, round_.scale_max)))
    return reviews


def _sorted(reviews: list[Review], column: str, descending: bool) -> list[Review]:
    """By ``column``, then by reference; rows with nothing in that column go last either
    way (an unanswered question is not a low score)."""
    reviews = sorted(reviews, key=lambda r: r.reference.casefold())
    filled = [r for r in reviews if r.key(column) is not None]
    blank = [r for r in reviews if r.key(column) is None]
    return sorted(filled, key=lambda r: r.key(column), reverse=descending) + blank
