"""The meeting of a round as it stands (DESIGN.md §6): whether it has started, its
version (what live pages poll), its progress, and the round's figures as the meeting
shows them, kept per process until the round changes."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from panel.audit.models import AuditEvent
from panel.extensions import db
from panel.moderation import agenda
from panel.moderation.models import AgendaItem, Decision, Meeting
from panel.rounds.models import Round
from panel.scoring.figures import RANKING, Figures, round_figures


def version(round_: Round) -> int:
    """Changes whenever anything in the round changes: every change is an audit event
    (DESIGN.md §7), so the newest event of the round is the meeting's version. One
    indexed lookup, cheap enough to ask every second or two from every phone."""
    return db.session.scalar(select(func.max(AuditEvent.id))
                             .where(AuditEvent.round_id == round_.id)) or 0


def meeting_of(round_: Round) -> Meeting | None:
    return db.session.scalar(select(Meeting).where(Meeting.round_id == round_.id))


def shown_figures(round_: Round) -> Figures:
    """The round's figures (:data:`~panel.scoring.figures.RANKING`) for pages, kept per
    process until the round's version moves on: when the meeting changes, every phone
    following it asks again within a second, and only the first request in each worker
    does the sums. Never for a change in progress (the version counts committed changes
    only)."""
    cache = current_app.extensions.setdefault("fairpanel_meeting_figures", {})
    now = version(round_)
    found = cache.get(round_.id)
    if found is None or found[0] != now:
        found = cache[round_.id] = (now, round_figures(round_, RANKING))
    return found[1]


def default_order(round_: Round) -> list[str]:
    """References in the order the agenda takes them by default (:mod:`agenda`)."""
    found = round_figures(round_, RANKING)
    return agenda.default_order(found.final, found.counting)


@dataclass(frozen=True)
class Progress:
    total: int
    decided: int
    skipped: int

    @property
    def left(self) -> int:
        return self.total - self.decided


def progress(meeting: Meeting) -> Progress:
    """How many items the agenda has, how many are decided and how many skipped."""
    total, decided, skipped = db.session.execute(
        select(func.count(AgendaItem.id), func.count(Decision.id),
               func.count(AgendaItem.skipped_at).filter(Decision.id.is_(None)))
        .outerjoin(Decision, Decision.application_id == AgendaItem.application_id)
        .where(AgendaItem.meeting_id == meeting.id)).one()
    return Progress(total, decided, skipped)


def current_decided(meeting: Meeting) -> bool:
    """Whether the item open now already has an outcome (reopened to discuss again)."""
    return meeting.current_application_id is not None and db.session.scalar(
        select(func.count(Decision.id)).where(
            Decision.application_id == meeting.current_application_id)) > 0
