"""The decision trail: append-only, hash-chained audit events (DESIGN.md §7)."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from panel.extensions import db, utcnow

if TYPE_CHECKING:
    from panel.accounts.models import User

GENESIS_HASH = "0" * 64


class AuditEvent(db.Model):
    """One change of state. The database refuses UPDATE and DELETE on this table
    (triggers in the migrations).

    Formats 1 to 3 (the *legacy chain*, written before migration 0015): one chain for the
    whole site; ``id`` is the position in it, assigned by the writer under one global lock,
    so ids have no gaps. ``format`` 4 (every event since 0015): each round's events form
    their own chain, and events of no round the *site chain* (``chain`` 0); ``seq`` is the
    position in that chain (from 1, no gaps, unique per chain) and ``id`` only a handle
    from the table's sequence, in the order events were written, gaps allowed
    (docs/trail.md, "Chains").

    ``format`` 1: events written before personal values were sealed (``actor`` is the
    acting person's e-mail, before/after as they were). ``format`` 2: ``actor`` is
    "person" (who: ``actor_id``) or "system: …", and personal values in before/after are
    commitments, their values in :class:`AuditPersonal` (panel/audit/personal.py).
    ``format`` 3: as 2, and the chain hashes an envelope holding a salted digest of the
    event rather than the event itself (:meth:`canonical`; docs/trail.md). ``format`` 4:
    as 3, one chain per round; the digest and envelope name the event by ``seq``, not
    ``id``."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Who acted: format 1, as they were then (an e-mail); format 2, "person" (see
    # actor_id); both, "system: …" for commands.
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(80))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    format: Mapped[int] = mapped_column(default=1, server_default="1")
    # Format 3: the random salt of the event's digest (see hashed()); None before.
    salt: Mapped[str | None] = mapped_column(String(32))
    # Format 3: one of the events behind a round's published result (PUBLIC_ACTIONS),
    # fixed when written; None before.
    public: Mapped[bool | None]
    # Format 4: the chain (the round's id, or SITE_CHAIN) and the position in it; None
    # for the legacy chain (formats 1 to 3), whose position is ``id``.
    chain: Mapped[int | None]
    seq: Mapped[int | None]

    actor_user: Mapped[User | None] = relationship(viewonly=True)

    __table_args__ = (
        Index("ix_audit_events_round", "round_id", "id"),
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_actor", "actor_id", "id"),
        # One event per position of each chain (format 4; the legacy chain has NULLs).
        Index("ix_audit_events_chain_seq", "chain", "seq", unique=True),
    )

    def content(self) -> dict[str, Any]:
        """Everything the event says, as JSON-ready values: format 1 exactly as it was
        written; later formats say which they are with ``"v"`` (so a format-1 event
        hashes the same text as before the switch)."""
        payload = {
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
        if self.format not in (None, 1):
            payload["v"] = self.format
        if self.format is not None and self.format >= FORMAT_CHAINED:
            # The id is not known until the row is written: the chain's position is.
            del payload["id"]
            payload["seq"] = self.seq
        return payload

    def digest(self) -> str:
        """Format 3: SHA-256(salt + canonical JSON of :meth:`content`)."""
        return content_digest(self.salt or "", self.content())

    def canonical(self) -> dict[str, Any]:
        """What the chain hashes. Formats 1 and 2: the whole :meth:`content`. Format 3:
        an envelope, ``{"id", "round_id", "public", "v": 3, "digest"}``, so a published
        kit can show an event by its envelope alone and still prove the chain."""
        if self.format is not None and self.format >= FORMAT_CHAINED:
            return chained_envelope(self.seq, self.round_id, bool(self.public), self.format,
                                    self.digest())
        if self.format is not None and self.format >= FORMAT_DIGESTED:
            return envelope(self.id, self.round_id, bool(self.public), self.format,
                            self.digest())
        return self.content()

    @property
    def chain_key(self) -> int | None:
        """The chain the event belongs to: None for the legacy chain, else
        :func:`chain_of` its round."""
        if self.format is not None and self.format >= FORMAT_CHAINED:
            return chain_of(self.round_id)
        return None


FORMAT_DIGESTED = 3
# From this format on, one chain per round and one for the site (docs/trail.md).
FORMAT_CHAINED = 4
# The chain of events that belong to no round (accounts, sign-ins, site settings).
SITE_CHAIN = 0


def chain_of(round_id: int | None) -> int:
    return SITE_CHAIN if round_id is None else round_id
# The events behind a round's published result, which a round's public verification kit
# shows in full (panel/audit/kit.py): the round's settings and rubric, its phases, the
# decision on each application and an over-budget acknowledgement. Personal values in them (a rationale, a
# reason) stay sealed commitments. Whether an event is one of them is fixed when it is
# written (AuditEvent.public) and hashed, so changing this list changes only later events.
PUBLIC_ACTIONS = frozenset({
    "round.created", "round.imported", "round.details_changed", "round.funding_changed",
    "round.scale_changed", "round.weighting_changed", "round.public_columns_changed",
    "criterion.added", "criterion.changed", "criterion.removed", "criteria.reordered",
    "group.added", "group.changed", "group.removed",
    "round.phase_changed", "round.over_budget_acknowledged", "decision.recorded",
    # Format 4: the anchor itself, with the heads of every chain it vouches for.
    "audit.anchored",
    "lottery.committed", "lottery.drawn",  # the draw near the funding line (§3a)
})


def canonical_json(payload: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same event always gives the same text."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_digest(salt: str, content: dict[str, Any]) -> str:
    return hashlib.sha256((salt + canonical_json(content)).encode("utf-8")).hexdigest()


def envelope(event_id: int, round_id: int | None, public: bool, format_: int,
             digest: str) -> dict[str, Any]:
    return {"id": event_id, "round_id": round_id, "public": public, "v": format_,
            "digest": digest}


def chained_envelope(seq: int, round_id: int | None, public: bool, format_: int,
                     digest: str) -> dict[str, Any]:
    """Format 4: the chain is the round's (or the site's), the position ``seq`` in it."""
    return {"seq": seq, "round_id": round_id, "public": public, "v": format_,
            "digest": digest}


class AuditPersonal(db.Model):
    """A personal value of a format-2 event, sealed out of its hash: the event holds
    ``{"sealed": SHA-256(salt + value)}`` at ``path``. Unlike the events, rows may be
    deleted: that is how a person's data is erased without breaking the chain."""

    __tablename__ = "audit_personal"

    id: Mapped[int] = mapped_column(primary_key=True)
    # An event removed (only possible with the triggers dropped) takes its values along.
    event_id: Mapped[int] = mapped_column(ForeignKey("audit_events.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(400))  # JSON list: '["after","member"]'
    salt: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(Text)  # canonical JSON, the text the seal covers

    __table_args__ = (UniqueConstraint("event_id", "path"),)


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
