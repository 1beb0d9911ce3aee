"""Uploads parked between their preview and their confirmation (:mod:`panel.bundle.uploads`)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from panel.extensions import db, utcnow


class ParkedUpload(db.Model):
    """One uploaded file between its preview and its confirmation (not part of the
    round, not audited: the import it leads to is)."""

    __tablename__ = "parked_uploads"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    round_slug: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    parked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
