"""Writing the decision trail. Every state change in FairPanel calls :func:`record`
in the same transaction as the change it describes."""
from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, insert, select, text
from sqlalchemy.orm import Session

from panel.audit.chain import event_hash, jsonable
from panel.audit.models import GENESIS_HASH, PUBLIC_ACTIONS, AuditEvent, AuditPersonal
from panel.audit.personal import CURRENT_FORMAT, PERSON, seal
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
    personal: Iterable[str] = (),
) -> AuditEvent:
    """Append one event to the chain and return it (flushed, not committed).

    ``actor`` is the acting :class:`~panel.accounts.models.User` (or None with ``system``
    naming the command that acted); ``target`` is the changed model instance.
    The event is written in the current format (:mod:`panel.audit.personal`): the hash
    names the actor by id only, and values under a personal key (those of
    :data:`~panel.audit.personal.PERSONAL_KEYS`, and ``personal``: more keys that are
    personal in this event, such as a round's identifying columns) are sealed.
    """
    session = db.session
    if any(o is not None and getattr(o, "id", None) is None for o in (target, actor)):
        session.flush()
    prev_id, prev_hash = _chain_head(session)
    occurred_at = utcnow()
    actor_id = getattr(actor, "id", None)
    sealed_before, taken_before = seal("before", _plain(before), action, personal)
    sealed_after, taken_after = seal("after", _plain(after), action, personal)
    audit_event = AuditEvent(
        id=prev_id + 1,
        format=CURRENT_FORMAT,
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor=PERSON if actor_id is not None else f"system: {system or 'FairPanel'}",
        action=action,
        object_type=_object_type(target),
        object_id=None if target is None else str(target.id),
        round_id=round_id if round_id is not None else _round_id_of(target),
        before=sealed_before,
        after=sealed_after,
        prev_hash=prev_hash,
        hash="",
        salt=secrets.token_hex(16),
        public=action in PUBLIC_ACTIONS,
    )
    audit_event.hash = event_hash(prev_hash, audit_event.canonical())
    session.add(audit_event)
    session.flush()
    taken = [{"event_id": audit_event.id, "path": value.path, "salt": value.salt,
              "value": value.value} for value in (*taken_before, *taken_after)]
    if taken:
        session.execute(insert(AuditPersonal), taken)
    session.info[_HEAD_KEY] = (audit_event.id, audit_event.hash)
    return audit_event


def _plain(values: dict[str, Any] | None) -> Any:
    return jsonable(values) if values is not None else None


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
