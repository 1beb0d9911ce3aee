"""Read-only selects for the panellist's scoring pages: which applications a member has,
where each one stands, and their own sheets. Never anyone else's scores (DESIGN.md §4)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, bindparam, select
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from panel.accounts.models import User
from panel.conflicts.rules import stepped_out
from panel.extensions import db
from panel.rounds.models import Application, Assignment, Criterion, PanelMember, Round
from panel.scoring.models import CriterionScore, ScoreSheet

STATUS_LABELS = {
    "not_started": _l("Not started"),
    "started": _l("Started"),
    "scored": _l("Scored"),
    "passed": _l("Passed"),
    "stepped_out": _l("Stepped out"),
}
TO_DO = ("started", "not_started")


@dataclass(frozen=True)
class Item:
    """One of a member's assigned applications and where it stands for them."""

    assignment: Assignment
    status: str

    @property
    def application(self) -> Application:
        return self.assignment.application

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class Progress:
    items: list[Item]

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def assigned(self) -> int:
        return len(self.items)

    @property
    def left(self) -> int:
        return sum(1 for item in self.items if item.status in TO_DO)

    @property
    def begun(self) -> bool:
        return any(item.status != "not_started" for item in self.items)

    @property
    def next_item(self) -> Item | None:
        """A started application first (carry on where they were), else the next new one."""
        for status in TO_DO:
            found = next((item for item in self.items if item.status == status), None)
            if found:
                return found
        return None


def member_of(user: User, round_: Round) -> PanelMember | None:
    return db.session.scalar(select(PanelMember).where(
        PanelMember.round_id == round_.id, PanelMember.user_id == user.id))


def assignment_for(member: PanelMember, reference: str) -> Assignment | None:
    return db.session.scalar(
        select(Assignment).join(Application)
        .where(Assignment.member_id == member.id, Application.round_id == member.round_id,
               Application.reference == reference))


@cache
def _member_assignment_statement() -> Select:
    """Made once: building the statement and its cache key again on every request cost
    a fifth of the question page (issue 17); only its parameters change."""
    out = stepped_out(Assignment.member_id, Assignment.application_id)
    return (
        select(Assignment, ScoreSheet, out)
        .join(Assignment.member).join(Assignment.application).join(Application.round)
        .outerjoin(ScoreSheet, and_(ScoreSheet.member_id == Assignment.member_id,
                                    ScoreSheet.application_id == Assignment.application_id,
                                    ScoreSheet.revision == 0))
        .where(Round.slug == bindparam("slug"), PanelMember.user_id == bindparam("user_id"),
               Application.round_id == PanelMember.round_id,
               Application.reference == bindparam("reference"))
        .options(contains_eager(Assignment.member),
                 contains_eager(Assignment.application).contains_eager(Application.round)))


def member_assignment(user: User, slug: str, reference: str) -> Assignment | None:
    """The signed-in member's assignment to ``reference`` in round ``slug``, with its
    member, application and round, in one statement (every scoring page starts here).
    The same statement brings where it stands (:func:`standing`), kept for the request."""
    row = db.session.execute(_member_assignment_statement(),
                             {"slug": slug, "user_id": user.id, "reference": reference}).first()
    if row is None:
        return None
    assignment, sheet, stepped = row
    g.scoring_standing = (assignment.id, Standing(sheet, bool(stepped)))
    return assignment


def initial_sheet(member_id: int, application_id: int) -> ScoreSheet | None:
    return db.session.scalar(select(ScoreSheet).where(
        ScoreSheet.member_id == member_id, ScoreSheet.application_id == application_id,
        ScoreSheet.revision == 0))


@dataclass(frozen=True)
class Standing:
    """Where an assignment stands for its member: their initial sheet, if any, and
    whether a conflict has taken them off the application."""

    sheet: ScoreSheet | None
    stepped_out: bool


def standing(assignment: Assignment, *, fresh: bool = False) -> Standing:
    """The member's initial sheet and whether they are stepped out, in one statement, or
    none when :func:`member_assignment` brought them earlier in this request (``fresh``
    asks again, for a change that must see the sheet as it is now)."""
    kept = g.get("scoring_standing") if has_app_context() and not fresh else None
    if kept is not None and kept[0] == assignment.id:
        return kept[1]
    out = stepped_out(Assignment.member_id, Assignment.application_id)
    sheet, stepped = db.session.execute(
        select(ScoreSheet, out).select_from(Assignment)
        .outerjoin(ScoreSheet, and_(ScoreSheet.member_id == Assignment.member_id,
                                    ScoreSheet.application_id == Assignment.application_id,
                                    ScoreSheet.revision == 0))
        .where(Assignment.id == assignment.id)).one()
    return Standing(sheet, bool(stepped))


def forget_standing() -> None:
    """A sheet was made in this request: the standing kept by :func:`member_assignment`
    no longer holds."""
    if has_app_context():
        g.pop("scoring_standing", None)


def with_answers(round_: Round, sheet: ScoreSheet | None) -> None:
    """The round's criteria and the sheet's answers to them in one statement, set on
    ``round_.criteria`` and ``sheet.scores`` as if loaded (the question page needs both)."""
    if sheet is None:
        return
    rows = db.session.execute(_answers_statement(),
                              {"sheet_id": sheet.id, "round_id": round_.id}).all()
    set_committed_value(round_, "criteria", [criterion for criterion, _ in rows])
    set_committed_value(sheet, "scores", [score for _, score in rows if score is not None])


@cache
def _answers_statement() -> Select:
    return (select(Criterion, CriterionScore)
            .outerjoin(CriterionScore, and_(CriterionScore.criterion_id == Criterion.id,
                                            CriterionScore.sheet_id == bindparam("sheet_id")))
            .where(Criterion.round_id == bindparam("round_id")).order_by(Criterion.position))


def is_stepped_out(member_id: int, application_id: int) -> bool:
    """Whether the member has stepped out of the application (DESIGN.md §5)."""
    return db.session.scalar(select(stepped_out(member_id, application_id)))


def progress(member: PanelMember) -> Progress:
    """Every application assigned to ``member``, by reference, with its status: one
    statement (the member's own initial sheet and any stepping-out conflict joined in)."""
    out = stepped_out(Assignment.member_id, Assignment.application_id)
    rows = db.session.execute(
        select(Assignment, ScoreSheet.status, out)
        .join(Assignment.application)
        .outerjoin(ScoreSheet, and_(ScoreSheet.member_id == Assignment.member_id,
                                    ScoreSheet.application_id == Assignment.application_id,
                                    ScoreSheet.revision == 0))
        .where(Assignment.member_id == member.id)
        .options(contains_eager(Assignment.application))
        .order_by(Application.reference)).all()
    return Progress([Item(assignment, _status(assignment, sheet_status, stepped))
                     for assignment, sheet_status, stepped in rows])


def status_of(assignment: Assignment) -> str:
    sheet = initial_sheet(assignment.member_id, assignment.application_id)
    return _status(assignment, sheet.status if sheet else None,
                   is_stepped_out(assignment.member_id, assignment.application_id))


def _status(assignment: Assignment, sheet_status: str | None, out: bool) -> str:
    if out:
        return "stepped_out"
    if sheet_status == "submitted":
        return "scored"
    if assignment.passed_at is not None:
        return "passed"
    if sheet_status or assignment.connection_answer:
        return "started"
    return "not_started"


def own_answers(member: PanelMember,
                criteria: list[Criterion]) -> list[tuple[Item, dict[str, int | None]]]:
    """Each of ``member``'s assigned applications (as :func:`progress`) with their own
    initial sheet's answers, criterion key → level (None: "not able to score"); two
    statements whatever the number of applications."""
    keys = {c.id: c.key for c in criteria}
    answers: dict[int, dict[str, int | None]] = {}
    for application_id, criterion_id, value in db.session.execute(
            select(ScoreSheet.application_id, CriterionScore.criterion_id, CriterionScore.value)
            .join(CriterionScore, CriterionScore.sheet_id == ScoreSheet.id)
            .where(ScoreSheet.member_id == member.id, ScoreSheet.revision == 0)):
        if criterion_id in keys:
            answers.setdefault(application_id, {})[keys[criterion_id]] = value
    return [(item, answers.get(item.assignment.application_id, {}))
            for item in progress(member).items]
