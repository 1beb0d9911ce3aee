"""Outcomes the chair records in the moderation meeting (DESIGN.md §3, §6)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from panel.accounts.models import User
from panel.extensions import db, utcnow
from panel.rounds.models import Application

OUTCOMES = ("keep", "fund", "do_not_fund", "no_consensus")


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
