"""The mail outbox: every e-mail FairPanel sends is first a row here, written in the same
transaction as the change it reports (so a rolled-back change e-mails nobody, and a
committed one is never forgotten), then sent by a job (:mod:`panel.mail.sending`)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from panel.extensions import db, utcnow
from panel.jobs.models import Job

PENDING, SENT, FAILED = "pending", "sent", "failed"


class OutboxMessage(db.Model):
    """One e-mail to one address. ``state``: pending (waiting, or waiting to be tried
    again after a temporary failure), sent, or failed (the server refused it for good,
    or it kept failing); ``last_error`` says why."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))  # the template: reminder, invitation…
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("rounds.id", ondelete="SET NULL"), index=True)
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"), index=True)
    state: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    job: Mapped[Job | None] = relationship()

    __table_args__ = (
        CheckConstraint("state IN ('pending', 'sent', 'failed')", name="state_known"),
    )

    @property
    def failed(self) -> bool:
        """Refused for good, or given up on after every retry."""
        return self.state == FAILED

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.state}>"
