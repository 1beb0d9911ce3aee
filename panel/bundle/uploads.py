"""Uploaded files waiting for the officer to confirm an import.

The preview page changes nothing in the round, so the upload is parked under a random
token and read again (and checked again) on confirmation. It is parked in the database,
not on one machine's disk, so the preview may be served by one web process and the
confirmation by another on a different machine. A parked upload belongs to one person,
round and kind of file; it is used once and swept after a day.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from panel.bundle.models import ParkedUpload
from panel.extensions import db, utcnow

MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class PendingUpload:
    token: str
    kind: str
    filename: str
    data: bytes


def park(kind: str, round_slug: str, user_id: int, filename: str, data: bytes) -> str:
    """Keep an upload for later confirmation and commit it; returns its token."""
    token = secrets.token_urlsafe(24)
    db.session.execute(delete(ParkedUpload).where(ParkedUpload.parked_at < utcnow() - MAX_AGE))
    db.session.add(ParkedUpload(token=token, kind=kind, round_slug=round_slug,
                                user_id=user_id, filename=filename[:255], data=data))
    db.session.commit()
    return token


def claim(token: str, kind: str, round_slug: str, user_id: int) -> PendingUpload | None:
    """The parked upload, if it exists, is under a day old and belongs to this person,
    round and kind."""
    if not token or len(token) > 64:
        return None
    parked = db.session.scalar(select(ParkedUpload).where(
        ParkedUpload.token == token, ParkedUpload.kind == kind,
        ParkedUpload.round_slug == round_slug, ParkedUpload.user_id == user_id,
        ParkedUpload.parked_at >= utcnow() - MAX_AGE))
    if parked is None:
        return None
    return PendingUpload(parked.token, parked.kind, parked.filename, parked.data)


def discard(token: str) -> None:
    """Forget a parked upload (in the caller's transaction: with the import it led to)."""
    db.session.execute(delete(ParkedUpload).where(ParkedUpload.token == token))
