"""Reading the decision trail."""
from __future__ import annotations

from typing import Iterator

from sqlalchemy import func, select

from panel.audit.chain import ChainReport, verify_events
from panel.audit.models import AuditEvent
from panel.extensions import db

_BATCH = 5_000


def verify_chain() -> ChainReport:
    """Recompute every hash from the stored events, in chain order."""
    return verify_events(_chain_rows())


def _chain_rows() -> Iterator[tuple]:
    columns = (AuditEvent.id, AuditEvent.occurred_at, AuditEvent.actor_id, AuditEvent.actor,
               AuditEvent.action, AuditEvent.object_type, AuditEvent.object_id,
               AuditEvent.round_id, AuditEvent.before, AuditEvent.after,
               AuditEvent.prev_hash, AuditEvent.hash)
    last_id = 0
    while True:
        # Keyset pages keep memory flat however long the chain is.
        rows = db.session.execute(
            select(*columns).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            event = AuditEvent(id=row.id, occurred_at=row.occurred_at, actor_id=row.actor_id,
                               actor=row.actor, action=row.action, object_type=row.object_type,
                               object_id=row.object_id, round_id=row.round_id,
                               before=row.before, after=row.after)
            yield row.id, row.action, row.prev_hash, event.canonical(), row.hash
        last_id = rows[-1].id


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
