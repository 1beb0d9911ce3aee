"""Paying panellists for their time (issue 20; docs/payments.md): how a round pays each
group, each member's choice and the officer's approval, and the time FairPanel measured
for each sheet and for the meeting.

None of this reaches the rankings, the reports, other panellists or the public: only the
member (their own record) and programme officers read it (tests/payments/)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from panel.extensions import db, utcnow
from panel.rounds.models import Application, Group, PanelMember

SHEET = "sheet"
MEETING = "meeting"
TIME_KINDS = (SHEET, MEETING)


class PayRate(db.Model):
    """How one group of a round is paid, each amount in pence (None: not paid that way).
    An hourly rate pays the time recorded for sheets, and for the meeting unless the
    group has a meeting fee; a fee per application pays each sheet sent."""

    __tablename__ = "pay_rates"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    group_id: Mapped[int] = mapped_column(ForeignKey("round_groups.id", ondelete="CASCADE"),
                                          unique=True)
    hourly_pence: Mapped[int | None]
    per_application_pence: Mapped[int | None]
    meeting_fee_pence: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    group: Mapped[Group] = relationship()

    __table_args__ = (
        CheckConstraint("hourly_pence IS NULL OR hourly_pence > 0", name="hourly_positive"),
        CheckConstraint("per_application_pence IS NULL OR per_application_pence > 0",
                        name="per_application_positive"),
        CheckConstraint("meeting_fee_pence IS NULL OR meeting_fee_pence > 0",
                        name="meeting_fee_positive"),
        # Both would pay for the same reading time twice.
        CheckConstraint("hourly_pence IS NULL OR per_application_pence IS NULL",
                        name="hourly_or_per_application"),
    )

    @property
    def pays(self) -> bool:
        return any((self.hourly_pence, self.per_application_pence, self.meeting_fee_pence))


class MemberPay(db.Model):
    """One member's payment on one round: whether they chose not to be paid (some
    benefits rules count payment as income), and the officer's approval of their record
    (the total approved then, in pence; a record once approved no longer changes)."""

    __tablename__ = "member_pay"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id", ondelete="CASCADE"),
                                           unique=True)
    declined: Mapped[bool] = mapped_column(default=False)
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_pence: Mapped[int | None]

    member: Mapped[PanelMember] = relationship()

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


class TimeRecord(db.Model):
    """The time a member spent on one application's sheet (``kind`` sheet) or following
    the meeting (``kind`` meeting, no application), measured by the server from their own
    requests: the gaps between them up to the idle limit (panel/payments/rules.py). A
    sheet's record stops when the sheet is sent (or the application passed on).
    ``claimed_minutes`` and ``note`` are the member's correction; when set, the claim is
    what is paid (once the officer approves)."""

    __tablename__ = "time_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10), default=SHEET)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"))
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    measured_seconds: Mapped[int] = mapped_column(default=0)
    finished_at: Mapped[datetime | None]
    claimed_minutes: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application | None] = relationship()

    __table_args__ = (
        UniqueConstraint("member_id", "application_id"),
        # One meeting record per member (application_id is NULL there, and NULLs differ).
        Index("uq_time_records_meeting", "member_id", unique=True,
              sqlite_where=text("kind = 'meeting'"),
              postgresql_where=text("kind = 'meeting'")),
        CheckConstraint("kind IN ('sheet', 'meeting')", name="kind_known"),
        CheckConstraint("(kind = 'meeting') = (application_id IS NULL)",
                        name="application_for_sheets"),
        CheckConstraint("measured_seconds >= 0", name="measured_not_negative"),
        CheckConstraint("claimed_minutes IS NULL OR claimed_minutes >= 0",
                        name="claimed_not_negative"),
    )

    @property
    def is_meeting(self) -> bool:
        return self.kind == MEETING

    @property
    def measured_minutes(self) -> int:
        """Whole minutes, to the nearest (30 seconds round up)."""
        return (self.measured_seconds + 30) // 60

    @property
    def minutes(self) -> int:
        """The minutes paid for: the member's correction when there is one."""
        return self.measured_minutes if self.claimed_minutes is None else self.claimed_minutes

    @property
    def corrected(self) -> bool:
        return self.claimed_minutes is not None
