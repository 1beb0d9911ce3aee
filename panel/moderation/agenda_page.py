"""The agenda as the chair and officers see it (DESIGN.md §6): one row per application,
in the meeting's order, with its status, outcome, gap, spread and standing."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from panel.extensions import db
from panel.moderation import agenda
from panel.moderation.meeting import shown_figures
from panel.moderation.models import AgendaItem, Decision, Meeting
from panel.rounds.models import Application, Round
from panel.scoring.figures import Figures


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


def agenda_rows(meeting: Meeting, found: Figures | None = None) -> list[AgendaRow]:
    round_ = db.session.get(Round, meeting.round_id)
    found = found or shown_figures(round_)
    table = found.final.table
    spread = agenda.disagreement(found.final, found.counting)
    rows = db.session.execute(
        select(AgendaItem.position, AgendaItem.skipped_at, AgendaItem.application_id,
               Application.reference, Application.title, Decision.outcome)
        .join(Application, AgendaItem.application_id == Application.id)
        .outerjoin(Decision, Decision.application_id == Application.id)
        .where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)).all()
    return [AgendaRow(
        position=row.position, reference=row.reference, title=row.title,
        status=_status(meeting, row), outcome=row.outcome,
        gap=float(spread.at[row.reference, "gap"]),
        spread=float(spread.at[row.reference, "spread"]),
        rank=_int(table.at[row.reference, "rank"]),
        funded=bool(table.at[row.reference, "funded"])) for row in rows]


def _status(meeting: Meeting, row) -> str:
    if row.application_id == meeting.current_application_id:
        return "now"
    if row.outcome is not None:
        return "decided"
    return "skipped" if row.skipped_at is not None else "waiting"


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
