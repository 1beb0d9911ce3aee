"""Conflicts of interest between a panel member and an application (DESIGN.md §5)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from panel.accounts.models import User
from panel.extensions import db, utcnow
from panel.rounds.models import Application, PanelMember

KINDS = (
    "family_or_friend",
    "work_or_volunteer",
    "uses_services",
    "local",
    "financial",
    "academic",
    "other",
)
LEVELS = ("step_out", "declared")
# declared: by the member; suggested: by profile matching; officer: added by an officer;
# imported: from a bundle's conflicts.csv.
SOURCES = ("declared", "suggested", "officer", "imported")
STATUSES = ("pending", "confirmed", "dismissed")

# The kinds of connection (DESIGN.md §5), as the officer reads them (lazy: in the
# reader's language when shown; the conflicts export writes the codes).
KIND_WORDS = {
    "family_or_friend": _l("Family or friend involved"),
    "work_or_volunteer": _l("Works or volunteers there"),
    "uses_services": _l("Uses its services"),
    "local": _l("Neighbour or local connection"),
    "financial": _l("Money: paid by it, or would gain"),
    "academic": _l("Academic collaborator"),
    "other": _l("Other"),
}
LEVEL_WORDS = {"step_out": _l("Step out"), "declared": _l("Declared, stays on")}
LEVEL_HINTS = {
    "step_out": _l("Takes no part on this application: cannot read or score it, and any "
                   "score already given stops counting."),
    "declared": _l("Stays on and scores. The connection is shown to the chair."),
}
SOURCE_WORDS = {"declared": _l("Declared by the member"),
                "suggested": _l("Suggested by profile match"),
                "officer": _l("Added by an officer"), "imported": _l("Imported")}
STATUS_WORDS = {"pending": _l("To review"), "confirmed": _l("Confirmed"),
                "dismissed": _l("Dismissed")}
# The kinds as the panellist declares them, in the first person (and as the chair reads
# a declared connection).
# In the panellist's language (lazy: read when shown).
KIND_AS_DECLARED = {
    "family_or_friend": _l("Someone in my family, or a friend, is involved"),
    "work_or_volunteer": _l("I work or volunteer there"),
    "uses_services": _l("I use their services"),
    "local": _l("I am a neighbour, or have another local connection"),
    "financial": _l("Money: I am paid by them, or I could gain from this"),
    "academic": _l("I work with them on research"),
    "other": _l("Something else"),
}
assert set(KIND_WORDS) == set(KINDS) == set(KIND_AS_DECLARED) and set(LEVEL_WORDS) == set(LEVELS)


class Conflict(db.Model):
    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    kind: Mapped[str] = mapped_column(String(30), default="other")
    details: Mapped[str] = mapped_column(Text, default="")
    # A new declaration starts as step_out until an officer reviews it.
    level: Mapped[str] = mapped_column(String(10), default="step_out")
    source: Mapped[str] = mapped_column(String(10), default="declared")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    review_reason: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[PanelMember] = relationship()
    application: Mapped[Application] = relationship()
    reviewed_by: Mapped[User | None] = relationship()

    __table_args__ = (
        Index("ix_conflicts_member_application", "member_id", "application_id"),
        CheckConstraint(
            "kind IN ('family_or_friend', 'work_or_volunteer', 'uses_services', 'local', "
            "'financial', 'academic', 'other')",
            name="kind_known",
        ),
        CheckConstraint("level IN ('step_out', 'declared')", name="level_known"),
        CheckConstraint(
            "source IN ('declared', 'suggested', 'officer', 'imported')", name="source_known"
        ),
        CheckConstraint("status IN ('pending', 'confirmed', 'dismissed')", name="status_known"),
    )
