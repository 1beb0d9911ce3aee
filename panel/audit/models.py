"""The decision trail: append-only, hash-chained audit events (DESIGN.md §7)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from panel.extensions import db, utcnow

GENESIS_HASH = "0" * 64


class AuditEvent(db.Model):
    """One change of state. ``id`` is the position in the chain, assigned by
    :func:`panel.audit.services.record` while it holds the chain lock, so ids have no gaps.
    The database refuses UPDATE and DELETE on this table (triggers in the migrations)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Who acted, as they were then (an e-mail, or "system: …" for commands).
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(80))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    __table_args__ = (
        Index("ix_audit_events_round", "round_id", "id"),
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_actor", "actor_id", "id"),
    )

    def canonical(self) -> dict[str, Any]:
        """The fields the hash covers, as JSON-ready values."""
        return {
            "id": self.id,
            "occurred_at": self.occurred_at.isoformat(timespec="microseconds") + "Z",
            "actor_id": self.actor_id,
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "round_id": self.round_id,
            "before": self.before,
            "after": self.after,
        }


class AuditAnchor(db.Model):
    """The head of the chain when a round was decided (DESIGN.md §7, issue 7): printed
    on the round's report and public summary, so a published report can later prove
    that the trail behind it was not rewritten. Append-only, like the events."""

    __tablename__ = "audit_anchors"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), unique=True)
    event_id: Mapped[int]  # the head event when the anchor was taken
    event_hash: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
