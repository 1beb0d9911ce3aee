"""Outcomes the chair records in the moderation meeting (DESIGN.md §3, §6)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from panel.accounts.models import User
from panel.extensions import db, utcnow
from panel.rounds.models import Application, PanelMember

OUTCOMES = ("keep", "fund", "do_not_fund", "no_consensus")
# The outcomes in words: in full on the chair's form and the auditor's pages, short in
# tables, flash messages and the report.
# In the reader's language (lazy: read when shown); panellists read them in the meeting.
OUTCOME_LABELS = {
    "keep": _l("Keep the score-based result"),
    "fund": _l("Fund"),
    "do_not_fund": _l("Do not fund"),
    "no_consensus": _l("No consensus (keep the score-based result)"),
}
# The short words in the reader's language, for pages (tables, flash messages, the
# report page a panel member reads): :func:`outcome_label`.
OUTCOME_SHORT_LABELS = {
    "keep": _l("Keep"),
    "fund": _l("Fund"),
    "do_not_fund": _l("Do not fund"),
    "no_consensus": _l("No consensus"),
}
# The same words in English whatever the reader's language, for exports (the board pack):
# a file keeps stable values that do not change with who downloaded it (DESIGN.md §8).
OUTCOME_SHORT = {"keep": "Keep", "fund": "Fund", "do_not_fund": "Do not fund",
                 "no_consensus": "No consensus"}


def outcome_label(outcome: str | None) -> str | None:
    """The outcome's short words in the reader's language (None when there is no outcome;
    an outcome not known here is shown as its code)."""
    if not outcome:
        return None
    known = OUTCOME_SHORT_LABELS.get(outcome)
    return str(known) if known is not None else outcome


class Decision(db.Model):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "outcome IN ('keep', 'fund', 'do_not_fund', 'no_consensus')", name="outcome_known"
        ),
    )


class Meeting(db.Model):
    """The moderation meeting of one round: which item is being discussed now.

    Created when the chair starts the meeting; the agenda is written then in the
    default order (:mod:`panel.moderation.agenda`) and the chair may change it."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), unique=True)
    current_application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    item_opened_at: Mapped[datetime | None]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)

    current_application: Mapped[Application | None] = relationship()
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )


class AgendaItem(db.Model):
    """One application on the meeting's agenda, at ``position`` (1 is taken first)."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    position: Mapped[int]
    # Set when the chair skipped the item to come back to it later.
    skipped_at: Mapped[datetime | None]

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    application: Mapped[Application] = relationship()

    __table_args__ = (Index("ix_agenda_items_meeting_position", "meeting_id", "position"),)


class SharedComment(db.Model):
    """A comment the chair put on the shared screen: the member's current comment on the
    application, beside their letter (DESIGN.md §6). One row per member and application;
    taking it off the screen deletes the row (both are audit events)."""

    __tablename__ = "shared_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id"))
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    shared_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship()
    member: Mapped[PanelMember] = relationship()

    __table_args__ = (UniqueConstraint("application_id", "member_id",
                                       name="uq_shared_comments_application_member"),)


class Lottery(db.Model):
    """The draw near the funding line of one round under the rule ``lottery`` (DESIGN.md
    §3a; panel/moderation/lottery.py). Written when the officer prepares the draw (the
    commitment), completed when the chair draws.

    ``secret`` is the 32-byte secret ``r`` (hex). The trail holds only its commitment
    (sha256) until the draw, when the ``lottery.drawn`` event publishes it. It is read by
    the draw alone and never shown on a page: it is not one of the trail's sealed
    personal values, which auditors can open."""

    __tablename__ = "lotteries"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), unique=True)
    secret: Mapped[str] = mapped_column(String(64))
    commitment: Mapped[str] = mapped_column(String(64))
    grey_zone: Mapped[list[str]] = mapped_column(JSON)  # references, ascending
    budget_left: Mapped[Decimal] = mapped_column(Numeric(14, 2))  # B'
    committed_event_id: Mapped[int]  # the lottery.committed event (its hash seeds the draw)
    committed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    committed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by the draw.
    public_input: Mapped[str | None] = mapped_column(Text)
    order: Mapped[list[str] | None] = mapped_column(JSON)  # the grey zone in draw order
    drawn_event_id: Mapped[int | None]
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drawn_at: Mapped[datetime | None]

    @property
    def drawn(self) -> bool:
        return self.order is not None
