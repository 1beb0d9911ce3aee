"""Every change a panel member (or an officer helping them) makes while scoring: the
connection question, saving and submitting a sheet, passing. Each function checks the
rule, flushes and records an audit event; the caller commits (DESIGN.md §3, §5, §9)."""
from __future__ import annotations

from functools import cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from panel.accounts.models import User
from panel.audit.services import record
from panel.conflicts.models import KINDS, Conflict
from panel.extensions import db, utcnow
from panel.rounds.models import Assignment, Criterion, Round
from panel.scoring import queries
from panel.scoring.models import CriterionScore, ScoreSheet

UNABLE = "unable"  # "I don't feel able to score this": stored as value None
# Messages for the panel member, in their language (lazy: read when shown).
STALE_MESSAGE = _l("You changed these scores on another device or tab. "
                   "Here is what is saved now.")
NOTHING_SCORED = _l("Score at least one question, or pass on this application")


class ScoringError(ValueError):
    """A scoring rule was broken; the message is written for the panel member."""


class StaleSheet(ScoringError):
    """The sheet changed since the member read it: nothing was overwritten (the caller
    rolls back and shows what is saved now)."""

    def __init__(self) -> None:
        super().__init__(str(STALE_MESSAGE))


def refusal(assignment: Assignment, standing: queries.Standing | None = None) -> str | None:
    """Why the member cannot score this application now, or None when they can.
    ``standing`` is :func:`queries.standing` when the caller has it already."""
    if not assignment.application.round.scoring_open:
        return _("Scoring is not open for this round.")
    standing = standing or queries.standing(assignment)
    if standing.stepped_out:
        return _("You have stepped out of this application, so you will not score it.")
    if assignment.passed_at is not None:
        return _("You passed on this application.")
    if standing.sheet is not None and standing.sheet.status == "submitted":
        return _("You have already sent your scores for this application.")
    return None


def answer_no_connection(actor: User, assignment: Assignment) -> None:
    """The member has no connection to the project: they may read it and score it."""
    _check(assignment)
    before = assignment.connection_answer
    assignment.connection_answer, assignment.answered_at = "none", utcnow()
    db.session.flush()
    record("assignment.connection_answered", actor=actor, target=assignment,
           round_id=assignment.member.round_id,
           before={"connection_answer": before}, after={"connection_answer": "none"})


def declare_connection(actor: User, assignment: Assignment, kind: str, note: str) -> Conflict:
    """A declared connection: a pending step_out conflict for the officer to review; the
    member takes no part on this application until then (DESIGN.md §5)."""
    _check(assignment)
    if kind not in KINDS:
        raise ScoringError(_("Choose the kind of connection you have"))
    assignment.connection_answer, assignment.answered_at = "connected", utcnow()
    conflict = Conflict(member_id=assignment.member_id, application_id=assignment.application_id,
                        kind=kind, details=note.strip(), level="step_out", source="declared",
                        status="pending")
    db.session.add(conflict)
    db.session.flush()
    record("conflict.declared", actor=actor, target=conflict, round_id=assignment.member.round_id,
           before=None, after={"member": assignment.member.user.email,
                               "application": assignment.application.reference,
                               "kind": kind, "details": conflict.details,
                               "level": "step_out", "status": "pending"})
    return conflict


def save_sheet(actor: User, assignment: Assignment, version: int, *,
               scores: dict[str, str] | None = None, comment: str | None = None,
               for_chair: bool | None = None, assisted: bool = False) -> ScoreSheet:
    """Save some answers of the member's initial sheet, still a draft.

    ``scores`` maps criterion keys to a whole number on the round's scale or
    :data:`UNABLE`; criteria left out keep what was saved. ``version`` is the sheet
    version the member read (0 before the sheet exists): a save against an older version
    that would change anything raises :class:`StaleSheet` and changes nothing."""
    standing = queries.standing(assignment)
    _check(assignment, standing)
    sheet = standing.sheet
    _with_answers(assignment.application.round, sheet)
    values = _values(assignment, scores or {})
    before = _snapshot(sheet)
    wanted = {**before["scores"], **{c.key: v for c, v in values.items()}}
    new_comment = before["comment"] if comment is None else comment.strip()
    chair_only = bool(sheet and sheet.comment_for_chair) if for_chair is None else for_chair
    if (before["scores"] == wanted and before["comment"] == new_comment
            and bool(sheet and sheet.comment_for_chair) == chair_only and sheet is not None):
        return sheet  # nothing to change, whatever version the page had
    if (sheet.version if sheet else 0) != version:
        raise StaleSheet()
    if sheet is None:
        sheet = _new_sheet(assignment)
    _write_sheet(sheet, comment=new_comment, comment_for_chair=chair_only,
                 **({"assisted_by_id": actor.id} if assisted else {}))
    _write_answers(sheet, values)
    after = _snapshot(sheet)
    record("sheet.saved", actor=actor, target=sheet, round_id=assignment.member.round_id,
           before=before, after={**after, **_assisted(sheet, assignment)})
    return sheet


def submit_sheet(actor: User, assignment: Assignment, version: int) -> ScoreSheet:
    """Lock the member's initial sheet. Submitting twice is harmless: the second time
    finds it submitted and changes nothing."""
    standing = queries.standing(assignment)
    sheet = standing.sheet
    if sheet is not None and sheet.status == "submitted":
        return sheet
    _check(assignment, standing)
    if sheet is None or sheet.version != version:
        if sheet is None:
            raise ScoringError(str(NOTHING_SCORED))
        raise StaleSheet()
    if not any(score.value is not None for score in sheet.scores):
        raise ScoringError(str(NOTHING_SCORED))
    sheet.status, sheet.submitted_at = "submitted", utcnow()
    _flush(sheet)
    record("sheet.submitted", actor=actor, target=sheet, round_id=assignment.member.round_id,
           before={"status": "draft"},
           after={"status": "submitted", **_snapshot(sheet), **_assisted(sheet, assignment)})
    return sheet


def pass_on(actor: User, assignment: Assignment) -> None:
    """The member will not review this application; no reason asked. A pass is not a
    score: any draft stays on record but never counts, and the officer may reassign."""
    _check(assignment)
    assignment.passed_at = utcnow()
    db.session.flush()
    record("assignment.passed", actor=actor, target=assignment,
           round_id=assignment.member.round_id, before={"passed": False},
           after={"passed": True, "application": assignment.application.reference})


def sheet_answers(sheet: ScoreSheet | None) -> dict[str, str]:
    """Criterion key → "3" or :data:`UNABLE`, for what the sheet has answered."""
    return {key: UNABLE if value is None else str(value)
            for key, value in _snapshot(sheet)["scores"].items()}


def _check(assignment: Assignment, standing: queries.Standing | None = None) -> None:
    reason = refusal(assignment, standing)
    if reason:
        raise ScoringError(reason)


def _values(assignment: Assignment, scores: dict[str, str]) -> dict[Criterion, int | None]:
    round_ = assignment.application.round
    criteria = {c.key: c for c in round_.criteria}
    values = {}
    for key, raw in scores.items():
        if key not in criteria:
            raise ScoringError(_("That question is not part of this round"))
        raw = str(raw).strip()
        if raw == UNABLE:
            values[criteria[key]] = None
        elif raw.isdigit() and round_.scale_min <= int(raw) <= round_.scale_max:
            values[criteria[key]] = int(raw)
        else:
            raise ScoringError(_("Choose a whole number from %(min)s to %(max)s, or "
                                 "\"I don't feel able to score this\"",
                                 min=round_.scale_min, max=round_.scale_max))
    return values


def _new_sheet(assignment: Assignment) -> ScoreSheet:
    sheet = ScoreSheet(member_id=assignment.member_id, application_id=assignment.application_id,
                       stage="initial", revision=0, status="draft")
    db.session.add(sheet)
    queries.forget_standing()  # the request's kept standing had no sheet
    try:
        db.session.flush()
    except IntegrityError:
        # Another tab or device created the sheet a moment ago: never a second one. The
        # caller rolls the whole transaction back. (Not a SAVEPOINT: with SQLite's Python
        # driver, releasing a savepoint opened outside a transaction commits it, which
        # once let a half-made sheet be seen.)
        raise StaleSheet() from None
    set_committed_value(sheet, "scores", [])  # a sheet made just now has no answers yet
    return sheet


def _with_answers(round_: Round, sheet: ScoreSheet | None) -> None:
    """The round's criteria and the sheet's answers in one statement, unless the caller
    (the question page) has them already; a new sheet has no answers to read."""
    if sheet is not None and ("criteria" not in round_.__dict__
                              or "scores" not in sheet.__dict__):
        queries.with_answers(round_, sheet)


def _write_answers(sheet: ScoreSheet, values: dict[Criterion, int | None]) -> None:
    """The answers that changed, as plain statements (one UPDATE for all the answers
    changed, one INSERT for the new ones) rather than through the ORM's flush, which
    cost more than the rest of a save together (issue 17). The sheet's objects are
    told what is now stored, as if they had been flushed. After :func:`_write_sheet`,
    as the flush ordered them: the sheet's row, its version checked, comes first."""
    found = {score.criterion_id: score for score in sheet.scores}
    changed = [(found[c.id], value) for c, value in values.items()
               if c.id in found and found[c.id].value != value]
    new = [CriterionScore(sheet_id=sheet.id, criterion_id=c.id, value=value)
           for c, value in values.items() if c.id not in found]
    if changed:
        db.session.execute(_answer_update(), [
            {"sheet": sheet.id, "criterion": score.criterion_id, "new_value": value}
            for score, value in changed])
        for score, value in changed:
            set_committed_value(score, "value", value)
    if new:
        db.session.execute(_ANSWER_INSERT, [
            {"sheet_id": sheet.id, "criterion_id": score.criterion_id, "value": score.value}
            for score in new])
        for score in new:
            make_transient_to_detached(score)
            db.session.add(score)
        set_committed_value(sheet, "scores", [*sheet.scores, *new])


def _write_sheet(sheet: ScoreSheet, **values: Any) -> None:
    """The sheet's row touched, with its version moved on, only if it still has the
    version this save read (else :class:`StaleSheet`: saved by another request between
    our read and our write; the caller rolls back). S stays None on a draft, as the
    flush's :func:`~panel.scoring.models._store_scores` keeps it."""
    values["updated_at"] = utcnow()  # always touch the row, so its version moves on
    values["version"] = sheet.version + 1
    if sheet.score is not None:
        values["score"] = None
    done = db.session.execute(_sheet_update(), {**values, "sheet": sheet.id,
                                                "read_version": sheet.version})
    if done.rowcount != 1:
        raise StaleSheet()
    for key, value in values.items():
        set_committed_value(sheet, key, value)


_ANSWER_INSERT = insert(CriterionScore.__table__)


@cache
def _sheet_update():
    """``UPDATE score_sheets SET`` (the columns the parameters name) ``WHERE id = :sheet
    AND version = :read_version``: made once."""
    table = ScoreSheet.__table__
    return update(table).where(table.c.id == bindparam("sheet"),
                               table.c.version == bindparam("read_version"))


@cache
def _answer_update():
    table = CriterionScore.__table__
    return (update(table).where(table.c.sheet_id == bindparam("sheet"),
                                table.c.criterion_id == bindparam("criterion"))
            .values(value=bindparam("new_value")))


def _flush(sheet: ScoreSheet) -> None:
    try:
        db.session.flush()
    except StaleDataError:
        # Saved by another request between our read and our write; the caller rolls back.
        raise StaleSheet() from None


def _snapshot(sheet: ScoreSheet | None) -> dict[str, Any]:
    if sheet is None:
        return {"scores": {}, "comment": ""}
    keys = {c.id: c.key for c in sheet.application.round.criteria}
    snapshot = {"scores": {keys[s.criterion_id]: s.value for s in sheet.scores
                           if s.criterion_id in keys},
                "comment": sheet.comment}
    if sheet.comment_for_chair:  # named only when chosen, so older events keep their shape
        snapshot["comment_for_chair"] = True
    return snapshot


def _assisted(sheet: ScoreSheet, assignment: Assignment) -> dict[str, Any]:
    if sheet.assisted_by_id is None:
        return {}
    return {"assisted_for": assignment.member.user.email}
