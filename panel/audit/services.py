"""Writing the decision trail. Every state change in FairPanel calls :func:`record`
in the same transaction as the change it describes.

Each round's events form their own chain, and events of no round the site chain (trail
format 4, docs/trail.md): a writer locks only the chains it appends to, until its
transaction ends, so an import into one round never holds up a panellist saving a sheet
in another. On PostgreSQL the lock is ``pg_advisory_xact_lock(CHAIN_LOCKS, chain)``; on
SQLite, which has one writer at a time, the writer takes the database's write lock
before it reads the chain's head (``BEGIN IMMEDIATE``), so two writers never read the
same head."""
from __future__ import annotations

import secrets
from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, event, insert, select, text
from sqlalchemy.orm import Session, make_transient_to_detached

from panel.audit.chain import event_hash, jsonable
from panel.audit.models import (
    FORMAT_CHAINED,
    GENESIS_HASH,
    PUBLIC_ACTIONS,
    AuditEvent,
    AuditPersonal,
    chain_of,
)
from panel.audit.personal import CURRENT_FORMAT, PERSON, seal
from panel.extensions import db, utcnow

_HEADS_KEY = "audit_chain_heads"
# The namespace of the chains' PostgreSQL advisory locks (the two-int form: this, then
# the chain). Any constant no other lock in FairPanel uses.
CHAIN_LOCKS = 7_302_911
# The legacy chain's lock (formats 1 to 3, one chain for the site): only written by
# tests that rebuild a trail from before migration 0015.
_LEGACY = "legacy"
_CHAIN_LOCK = text("SELECT pg_advisory_xact_lock(:space, :chain)")


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
    format_ = CURRENT_FORMAT
    resolved_round = round_id if round_id is not None else _round_id_of(target)
    chain = chain_of(resolved_round) if format_ >= FORMAT_CHAINED else _LEGACY
    prev_seq, prev_hash = _chain_head(session, chain)
    occurred_at = utcnow()
    actor_id = getattr(actor, "id", None)
    sealed_before, taken_before = seal("before", _plain(before), action, personal)
    sealed_after, taken_after = seal("after", _plain(after), action, personal)
    audit_event = AuditEvent(
        format=format_,
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor=PERSON if actor_id is not None else f"system: {system or 'FairPanel'}",
        action=action,
        object_type=_object_type(target),
        object_id=None if target is None else str(target.id),
        round_id=resolved_round,
        before=sealed_before,
        after=sealed_after,
        prev_hash=prev_hash,
        hash="",
        salt=secrets.token_hex(16),
        public=action in PUBLIC_ACTIONS,
    )
    if chain == _LEGACY:
        audit_event.id = prev_seq + 1
    else:
        audit_event.chain, audit_event.seq = chain, prev_seq + 1
    audit_event.hash = event_hash(prev_hash, audit_event.canonical())
    _insert(session, audit_event)
    if chain == _LEGACY:
        _legacy_written(session, audit_event.id)
    taken = [{"event_id": audit_event.id, "path": value.path, "salt": value.salt,
              "value": value.value} for value in (*taken_before, *taken_after)]
    if taken:
        session.execute(insert(AuditPersonal), taken)
    session.info[_HEADS_KEY][chain] = (prev_seq + 1, audit_event.hash)
    return audit_event


_COLUMNS = tuple(column.key for column in AuditEvent.__table__.columns)
_EVENT_INSERT = insert(AuditEvent.__table__)


def _insert(session: Session, audit_event: AuditEvent) -> None:
    """The event's row as one INSERT, then the event joins the session as a row already
    written, as if flushed: the ORM's flush cost a save more than the hashing did (issue
    17). What the caller left pending is flushed first, as before."""
    session.flush()
    values = {key: audit_event.__dict__[key] for key in _COLUMNS if key in audit_event.__dict__}
    written = session.execute(_EVENT_INSERT, values)
    if audit_event.id is None:
        audit_event.id = written.inserted_primary_key[0]
    make_transient_to_detached(audit_event)
    session.add(audit_event)


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


def _chain_head(session: Session, chain: int | str) -> tuple[int, str]:
    """The chain's last position and hash, read once per transaction under the chain's
    lock (then kept in the session until the transaction ends): two round trips for a
    transaction's first event in a chain, none for the next ones."""
    heads = session.info.setdefault(_HEADS_KEY, {})
    if chain in heads:
        return heads[chain]
    _lock(session, chain)
    if chain == _LEGACY:
        row = session.execute(_legacy_head()).first()
    else:
        row = session.execute(_head(), {"chain": chain}).first()
    heads[chain] = (row[0], row[1]) if row else (0, GENESIS_HASH)
    return heads[chain]


@cache
def _head() -> Select:
    """A chain's last position and hash; made once (its parameter is the chain)."""
    return (select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.chain == bindparam("chain"))
            .order_by(AuditEvent.seq.desc()).limit(1))


@cache
def _legacy_head() -> Select:
    return (select(AuditEvent.id, AuditEvent.hash).where(AuditEvent.chain.is_(None))
            .order_by(AuditEvent.id.desc()).limit(1))


def _lock(session: Session, chain: int | str) -> None:
    """Held until this transaction ends: writers of one chain append one after another,
    writers of different chains do not wait for each other (PostgreSQL)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        key = -1 if chain == _LEGACY else chain
        connection.execute(_CHAIN_LOCK, {"space": CHAIN_LOCKS, "chain": key})
    elif connection.dialect.name == "sqlite":
        # The sqlite3 driver opens a transaction only at the first INSERT, UPDATE or
        # DELETE, so a head read before it could be stale by the time the event is
        # written. Take the write lock first (waiting for another writer to commit);
        # once this transaction has written anything it holds that lock already.
        raw = connection.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _legacy_written(session: Session, event_id: int) -> None:
    """A legacy-chain event takes its id from the chain, not from the table's sequence:
    move PostgreSQL's sequence past it, so that later events do not collide with it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT setval(pg_get_serial_sequence('audit_events', 'id'), "
                             "GREATEST(:id, (SELECT last_value FROM audit_events_id_seq)))"),
                        {"id": event_id})


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
def _forget_heads(session: Session, *args: Any) -> None:
    # The cached heads are only valid inside the transaction that holds the chains' locks.
    session.info.pop(_HEADS_KEY, None)
