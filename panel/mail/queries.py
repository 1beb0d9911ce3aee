"""Read-only views of the outbox: who a round's e-mails did not reach (yet)."""
from __future__ import annotations

from sqlalchemy import func, select

from panel.extensions import db
from panel.mail.models import FAILED, PENDING, SENT, OutboxMessage


def counts(round_id: int) -> dict[str, int]:
    """How many of the round's e-mails are sent, waiting and failed."""
    found = dict(db.session.execute(
        select(OutboxMessage.state, func.count()).where(OutboxMessage.round_id == round_id)
        .group_by(OutboxMessage.state)).all())
    return {state: found.get(state, 0) for state in (SENT, PENDING, FAILED)}


def not_reached(round_id: int, limit: int = 500) -> list[OutboxMessage]:
    """The round's e-mails not delivered: failed first, then waiting, each by address."""
    failed_first = (OutboxMessage.state != FAILED)
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.round_id == round_id,
                                    OutboxMessage.state.in_((PENDING, FAILED)))
        .order_by(failed_first, OutboxMessage.recipient, OutboxMessage.id).limit(limit)))
