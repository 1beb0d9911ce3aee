"""Every change an officer makes to a conflict of interest (DESIGN.md §5): confirm,
dismiss with a reason, change the level, add one. Each checks the rule, flushes and
writes the audit event with the values before and after; none commits."""
from __future__ import annotations

import io
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from panel import policy
from panel.accounts.models import User
from panel.audit.services import record
from panel.conflicts import queries
from panel.conflicts.models import KINDS, LEVELS, Conflict
from panel.extensions import db, utcnow
from panel.rounds.models import Application, PanelMember, Round
from panel.spreadsheets import CsvWriter

# Conflicts can be reviewed until outcomes are recorded; after that the record is fixed.


class ConflictError(ValueError):
    """A conflict rule was broken; the message is written for the officer."""


def confirm(actor: User, conflict: Conflict) -> Conflict:
    """The officer agrees: the conflict stands at its level (a dismissed one comes back)."""
    _check_open(conflict.application.round)
    if conflict.status == "confirmed":
        raise ConflictError(_("This conflict is already confirmed."))
    before = {"status": conflict.status}
    _reviewed(actor, conflict, "confirmed")
    return _recorded("conflict.confirmed", actor, conflict, before, {"status": "confirmed"})


def dismiss(actor: User, conflict: Conflict, reason: str) -> Conflict:
    """Not a conflict after all: kept on record with why, and it no longer changes anything."""
    _check_open(conflict.application.round)
    reason = (reason or "").strip()
    if not reason:
        raise ConflictError(_("Enter why you are dismissing this conflict"))
    if conflict.status == "dismissed":
        raise ConflictError(_("This conflict is already dismissed."))
    before = {"status": conflict.status, "review_reason": conflict.review_reason}
    conflict.review_reason = reason
    _reviewed(actor, conflict, "dismissed")
    return _recorded("conflict.dismissed", actor, conflict, before,
                     {"status": "dismissed", "review_reason": reason})


def change_level(actor: User, conflict: Conflict, level: str) -> Conflict:
    """``step_out`` takes the member off the application; ``declared`` keeps them on it,
    with the connection shown to the chair. Choosing the level of a conflict still to
    review settles it: it is confirmed at that level in the same step (issue 20), one
    ``conflict.level_changed`` event with the status before and after."""
    _check_open(conflict.application.round)
    if level not in LEVELS:
        raise ConflictError(_("Choose step out or declared"))
    if conflict.status == "dismissed":
        raise ConflictError(_("This conflict is dismissed: confirm it before changing its "
                              "level."))
    if conflict.level == level:
        raise ConflictError(_("This conflict is already at the level %(level)s.",
                              level=_level_words(level)))
    before: dict[str, Any] = {"level": conflict.level}
    after: dict[str, Any] = {"level": level}
    conflict.level = level
    if conflict.status == "pending":
        before["status"], after["status"] = "pending", "confirmed"
        _reviewed(actor, conflict, "confirmed")
    return _recorded("conflict.level_changed", actor, conflict, before, after)


def add_conflict(actor: User, round_: Round, member: PanelMember, application: Application,
                 kind: str, details: str, level: str) -> Conflict:
    """An officer records a conflict they know of; it is confirmed from the start."""
    _check_open(round_)
    if member.round_id != round_.id or application.round_id != round_.id:
        raise ConflictError(_("That member or application is not in this round."))
    if kind not in KINDS:
        raise ConflictError(_("Choose the kind of connection"))
    if level not in LEVELS:
        raise ConflictError(_("Choose step out or declared"))
    if _standing(member, application) is not None:
        raise ConflictError(_("%(name)s already has a conflict on %(reference)s: review that "
                              "one instead.", name=member.user.name,
                              reference=application.reference))
    conflict = Conflict(member_id=member.id, application_id=application.id, kind=kind,
                        details=(details or "").strip(), level=level, source="officer",
                        status="confirmed", reviewed_by_id=actor.id, reviewed_at=utcnow())
    db.session.add(conflict)
    db.session.flush()
    record("conflict.added", actor=actor, target=conflict, round_id=round_.id, before=None,
           after={"member": member.user.email, "application": application.reference,
                  "kind": kind, "details": conflict.details, "level": level,
                  "source": "officer", "status": "confirmed"})
    return conflict


CSV_HEADER = ["member email", "name", "group", "reference", "title", "kind", "level", "source",
              "status", "details", "review reason", "reviewed by", "reviewed at"]


def export_csv(actor: User, round_: Round) -> bytes:
    """Every conflict of the round as CSV, each text cell safe to open in a spreadsheet;
    the export is recorded as ``conflicts.exported``."""
    rows = queries.export_rows(round_)
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow([cell or "" for cell in (
            row.member_email, row.member_name, row.group, row.reference, row.title, row.kind,
            row.level, row.source, row.status, row.details, row.review_reason,
            row.reviewed_by, row.reviewed_at.isoformat(timespec="seconds")
            if row.reviewed_at else "")])
    record("conflicts.exported", actor=actor, target=round_, after={"conflicts": len(rows)})
    return buffer.getvalue().encode("utf-8")


def _check_open(round_: Round) -> None:
    if round_.phase not in policy.CONFLICTS_OPEN:
        raise ConflictError(_("The round is %(phase)s: conflicts can no longer change.",
                              phase=round_.phase))


def _standing(member: PanelMember, application: Application) -> Conflict | None:
    """A conflict of the member on the application that is not dismissed."""
    return db.session.scalar(select(Conflict).where(
        Conflict.member_id == member.id, Conflict.application_id == application.id,
        Conflict.status != "dismissed").limit(1))


def _reviewed(actor: User, conflict: Conflict, status: str) -> None:
    conflict.status, conflict.reviewed_by_id, conflict.reviewed_at = status, actor.id, utcnow()


def _recorded(action: str, actor: User, conflict: Conflict, before: dict[str, Any],
              after: dict[str, Any]) -> Conflict:
    db.session.flush()
    record(action, actor=actor, target=conflict, round_id=conflict.application.round_id,
           before=before, after=after)
    return conflict


def _level_words(level: str) -> str:
    return _("step out") if level == "step_out" else _("declared")
