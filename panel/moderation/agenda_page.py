"""The agenda as the chair and officers see it (DESIGN.md §6): one row per application,
in the meeting's order, with its status, outcome, gap, spread and standing.

A round in moderation can hold 20,000 applications, so only the rows of the page shown
are read (the SQL is paged) and the figures of a row are looked up in a table made once
per figures of the round (:func:`panel.moderation.meeting.shown_figures`, kept until the
round changes)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from panel.extensions import db
from panel.moderation import agenda
from panel.moderation.meeting import Progress, progress, shown_figures
from panel.moderation.models import AgendaItem, Decision, Meeting
from panel.pages import Page, page_bounds
from panel.rounds.models import Application, Round
from panel.scoring.figures import Figures, made_once, per_application

PER_PAGE = 50

# Which rows each filter of the agenda shows, in the order of the filter links.
# "Still to discuss" is every item with no outcome yet: the one open now, those waiting
# and those skipped for later, so its count is what is left of the meeting.
SHOWS = {
    "all": _l("All"),
    "open": _l("Still to discuss"),
    "decided": _l("Decided"),
    "skipped": _l("Skipped"),
}


@dataclass(frozen=True)
class AgendaRow:
    position: int
    reference: str
    title: str
    status: str  # now, decided, skipped, waiting
    outcome: str | None
    gap: float
    spread: float
    rank: int | None
    funded: bool


@dataclass(frozen=True)
class Filter:
    key: str
    label: str
    count: int
    chosen: bool


@dataclass(frozen=True)
class Current:
    """The item open now, and the page of this list it sits on (None when the filter
    shown leaves it out)."""

    reference: str
    title: str
    position: int
    page: int | None


@dataclass(frozen=True)
class AgendaPage:
    show: str
    page: Page  # items: AgendaRow
    asked: int | None  # the page number asked for when it does not exist, else None
    filters: list[Filter]
    progress: Progress
    current: Current | None


def agenda_page(meeting: Meeting, show: str = "all", asked: int = 1,
                per_page: int = PER_PAGE) -> AgendaPage:
    """Page ``asked`` of the agenda under filter ``show`` (see :data:`SHOWS`; anything
    else shows all). A page that does not exist gives the nearest one that does, and
    says so through ``asked``."""
    show = show if show in SHOWS else "all"
    counts = progress(meeting)
    total = _count(counts, show)
    number, pages = page_bounds(total, asked, per_page)
    rows = _rows(meeting, show, offset=(number - 1) * per_page, limit=per_page)
    filters = [Filter(key, label, _count(counts, key), key == show)
               for key, label in SHOWS.items()]
    return AgendaPage(show=show, page=Page(rows, number, pages, total),
                      asked=None if number == asked else asked, filters=filters,
                      progress=counts, current=_current(meeting, show, per_page))


def page_holding(meeting: Meeting, reference: str, show: str = "all",
                 per_page: int = PER_PAGE) -> int | None:
    """The page of the agenda (under ``show``) where ``reference`` sits now; None when
    it is not on the agenda or the filter leaves it out."""
    position = db.session.scalar(
        select(AgendaItem.position).join(Application)
        .where(AgendaItem.meeting_id == meeting.id, Application.reference == reference))
    if position is None:
        return None
    return _page_of_position(meeting, show if show in SHOWS else "all", position, per_page)


def agenda_rows(meeting: Meeting, found: Figures | None = None) -> list[AgendaRow]:
    """Every row of the agenda, in order (for exports and tests; pages use
    :func:`agenda_page`)."""
    return _rows(meeting, "all", offset=0, limit=None, found=found)


# Reading the rows ---------------------------------------------------------------------------

def _rows(meeting: Meeting, show: str, offset: int, limit: int | None,
          found: Figures | None = None) -> list[AgendaRow]:
    # The page's items are chosen on the (meeting, position) index alone, joining the
    # decisions only when the filter needs them, so a late page costs about as much as
    # the first; the rest of each row is read for those items only.
    chosen = select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)
    if show != "all":
        chosen = chosen.outerjoin(
            Decision, Decision.application_id == AgendaItem.application_id).where(
            *_shown(show))
    chosen = chosen.order_by(AgendaItem.position).offset(offset).limit(limit)
    query = (select(AgendaItem.position, AgendaItem.skipped_at, AgendaItem.application_id,
                    Application.reference, Application.title, Decision.outcome)
             .join(Application, AgendaItem.application_id == Application.id)
             .outerjoin(Decision, Decision.application_id == AgendaItem.application_id)
             .where(AgendaItem.id.in_(chosen.scalar_subquery()))
             .order_by(AgendaItem.position))
    rows = db.session.execute(query).all()
    if not rows:
        return []
    standing = _standing(found or shown_figures(db.session.get(Round, meeting.round_id)))
    figures = standing.reindex([row.reference for row in rows])
    return [AgendaRow(
        position=row.position, reference=row.reference, title=row.title,
        status=_status(meeting, row), outcome=row.outcome,
        gap=_float(each.gap), spread=_float(each.spread), rank=_int(each.rank),
        funded=_flag(each.funded)) for row, each in zip(rows, figures.itertuples())]


def _shown(show: str) -> list:
    """The WHERE clauses of a filter (the query outer-joins the decision)."""
    if show == "open":
        return [Decision.id.is_(None)]
    if show == "decided":
        return [Decision.id.is_not(None)]
    if show == "skipped":
        return [Decision.id.is_(None), AgendaItem.skipped_at.is_not(None)]
    return []


def _count(counts: Progress, show: str) -> int:
    return {"all": counts.total, "open": counts.left, "decided": counts.decided,
            "skipped": counts.skipped}[show]


def _current(meeting: Meeting, show: str, per_page: int) -> Current | None:
    if meeting.current_application_id is None:
        return None
    found = db.session.execute(
        select(Application.reference, Application.title, AgendaItem.position)
        .join(AgendaItem, AgendaItem.application_id == Application.id)
        .where(Application.id == meeting.current_application_id,
               AgendaItem.meeting_id == meeting.id)).one_or_none()
    if found is None:
        return None
    return Current(found.reference, found.title, found.position,
                   _page_of_position(meeting, show, found.position, per_page))


def _page_of_position(meeting: Meeting, show: str, position: int, per_page: int) -> int | None:
    """The page of the item at ``position`` under ``show``, or None when it is not shown."""
    before, shown = db.session.execute(
        select(func.count(AgendaItem.id).filter(AgendaItem.position < position),
               func.count(AgendaItem.id).filter(AgendaItem.position == position))
        .outerjoin(Decision, Decision.application_id == AgendaItem.application_id)
        .where(AgendaItem.meeting_id == meeting.id, *_shown(show))).one()
    return before // per_page + 1 if shown else None


def _status(meeting: Meeting, row) -> str:
    if row.application_id == meeting.current_application_id:
        return "now"
    if row.outcome is not None:
        return "decided"
    return "skipped" if row.skipped_at is not None else "waiting"


# The figures of every row, made once per figures of the round -------------------------------

def _standing(found: Figures) -> pd.DataFrame:
    """Per reference: gap, spread, rank and funded, from ``found``. Made once per final
    ranking (:func:`made_once`): :func:`shown_figures` hands back the same one until a
    score changes, and the decisions do not enter into these."""
    def make() -> pd.DataFrame:
        table = found.final.table
        # The spreads are carried from one version of the sheets to the next (only the
        # revised applications' made again): grouping every sheet is the costly part.
        spread = per_application(found, "agenda spread", agenda.spreads)
        return agenda.disagreement(found.final, found.counting, spread).assign(
            rank=table["rank"], funded=table["funded"])

    return made_once(found.final, "agenda standing", make)


def _float(value) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


def _flag(value) -> bool:
    return False if value is None or pd.isna(value) else bool(value)


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
