"""Writing the decision trail. Every state change in FairPanel calls :func:`record`
in the same transaction as the change it describes."""
from __future__ import annotations

from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from panel.audit.chain import event_hash, jsonable
from panel.audit.models import GENESIS_HASH, AuditEvent
from panel.extensions import db, utcnow

_HEAD_KEY = "audit_chain_head"
# Any constant: all writers of the chain take the same PostgreSQL advisory lock.
_CHAIN_LOCK_ID = 7_302_911


def record(
    action: str,
    *,
    actor: Any = None,
    target: Any = None,
    round_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    system: str | None = None,
) -> AuditEvent:
    """Append one event to the chain and return it (flushed, not committed).

    ``actor`` is the acting :class:`~panel.accounts.models.User` (or None with ``system``
    naming the command that acted); ``target`` is the changed model instance.
    """
    session = db.session
    if target is not None and getattr(target, "id", None) is None:
        session.flush()
    prev_id, prev_hash = _chain_head(session)
    occurred_at = utcnow()
    actor_id = getattr(actor, "id", None)
    audit_event = AuditEvent(
        id=prev_id + 1,
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor=getattr(actor, "email", None) or f"system: {system or 'FairPanel'}",
        action=action,
        object_type=_object_type(target),
        object_id=None if target is None else str(target.id),
        round_id=round_id if round_id is not None else _round_id_of(target),
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        prev_hash=prev_hash,
        hash="",
    )
    audit_event.hash = event_hash(prev_hash, audit_event.canonical())
    session.add(audit_event)
    session.flush()
    session.info[_HEAD_KEY] = (audit_event.id, audit_event.hash)
    return audit_event


def changes(obj: Any, fields: tuple[str, ...], new_values: dict[str, Any]) -> tuple[dict, dict]:
    """Before/after dicts of the fields whose value differs; for rubric-style edits."""
    before, after = {}, {}
    for field in fields:
        old, new = getattr(obj, field), new_values.get(field, getattr(obj, field))
        if jsonable(old) != jsonable(new):
            before[field], after[field] = old, new
    return before, after


def _chain_head(session: Session) -> tuple[int, str]:
    cached = session.info.get(_HEAD_KEY)
    if cached is not None:
        return cached
    if session.get_bind().dialect.name == "postgresql":
        # Held until this transaction ends: concurrent writers append one after another.
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _CHAIN_LOCK_ID})
    row = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return (row.id, row.hash) if row else (0, GENESIS_HASH)


def _object_type(target: Any) -> str | None:
    if target is None:
        return None
    return getattr(target, "__tablename__", type(target).__name__.lower())


def _round_id_of(target: Any) -> int | None:
    if target is None:
        return None
    if getattr(target, "__tablename__", "") == "rounds":
        return target.id
    return getattr(target, "round_id", None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _forget_head(session: Session, *args: Any) -> None:
    # The cached head is only valid inside the transaction that holds the chain lock.
    session.info.pop(_HEAD_KEY, None)
