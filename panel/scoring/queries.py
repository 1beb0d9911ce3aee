"""Read-only selects for the panellist's scoring pages: which applications a member has,
where each one stands, and their own sheets. Never anyone else's scores (DESIGN.md §4)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from panel.accounts.models import User
from panel.conflicts.models import Conflict
from panel.conflicts.rules import stepping_out
from panel.extensions import db
from panel.rounds.models import Application, Assignment, PanelMember, Round
from panel.scoring.models import ScoreSheet

STATUS_LABELS = {
    "not_started": "Not started",
    "started": "Started",
    "scored": "Scored",
    "passed": "Passed",
    "stepped_out": "Stepped out",
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
        return STATUS_LABELS[self.status]


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


def initial_sheet(member_id: int, application_id: int) -> ScoreSheet | None:
    return db.session.scalar(select(ScoreSheet).where(
        ScoreSheet.member_id == member_id, ScoreSheet.application_id == application_id,
        ScoreSheet.revision == 0))


def stepped_out(member_id: int, application_id: int) -> bool:
    return db.session.scalar(select(Conflict.id).where(
        Conflict.member_id == member_id, Conflict.application_id == application_id,
        stepping_out()).limit(1)) is not None


def progress(member: PanelMember) -> Progress:
    """Every application assigned to ``member``, by reference, with its status."""
    assignments = db.session.scalars(
        select(Assignment).join(Application).where(Assignment.member_id == member.id)
        .order_by(Application.reference)).all()
    sheets = dict(db.session.execute(
        select(ScoreSheet.application_id, ScoreSheet.status)
        .where(ScoreSheet.member_id == member.id, ScoreSheet.revision == 0)).all())
    out = set(db.session.scalars(select(Conflict.application_id).where(
        Conflict.member_id == member.id, stepping_out())))
    return Progress([Item(a, _status(a, sheets.get(a.application_id), a.application_id in out))
                     for a in assignments])


def status_of(assignment: Assignment) -> str:
    sheet = initial_sheet(assignment.member_id, assignment.application_id)
    return _status(assignment, sheet.status if sheet else None,
                   stepped_out(assignment.member_id, assignment.application_id))


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
