"""Reading the decision trail: checking the chain, and the records an auditor reads
beside it (a round's applications; one application's sheets, conflicts and outcome)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Iterator

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from panel.accounts.models import User
from panel.audit.chain import LEGACY, ChainReport, Link, verify_events
from panel.audit.models import FORMAT_CHAINED, AuditEvent, chain_of
from panel.conflicts.models import Conflict
from panel.conflicts.rules import stepping_out
from panel.extensions import db
from panel.moderation.models import Decision
from panel.rounds.models import (
    Application,
    Assignment,
    Group,
    MemberRole,
    PanelMember,
    Round,
)
from panel.scoring.models import CriterionScore, ScoreSheet

_BATCH = 5_000


def verify_chain() -> ChainReport:
    """Recompute every hash from the stored events, each chain in its order."""
    return verify_events(_chain_rows())


def _chain_rows() -> Iterator[Link]:
    columns = (AuditEvent.id, AuditEvent.occurred_at, AuditEvent.actor_id, AuditEvent.actor,
               AuditEvent.action, AuditEvent.object_type, AuditEvent.object_id,
               AuditEvent.round_id, AuditEvent.before, AuditEvent.after,
               AuditEvent.format, AuditEvent.salt, AuditEvent.public,
               AuditEvent.chain, AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash)
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
                               before=row.before, after=row.after, format=row.format,
                               salt=row.salt, public=row.public, seq=row.seq)
            yield _link(row, event)
        last_id = rows[-1].id


def _link(row, event: AuditEvent) -> Link:
    """The event in its chain: by what its hash covers (its format and round), with the
    unhashed ``chain`` column checked against them."""
    chained = row.format is not None and row.format >= FORMAT_CHAINED
    chain = chain_of(row.round_id) if chained else LEGACY
    problem = ""
    if chained and (row.chain != chain or row.seq is None):
        problem = _("its chain and position do not match its round; it was moved")
    elif not chained and (row.chain is not None or row.seq is not None):
        problem = _("it is an event of the legacy chain with a position in another chain")
    return Link(row.id, row.action, chain, row.seq if chained else row.id, row.prev_hash,
                event.canonical(), row.hash, problem)


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0


# One round and one application, as the auditor sees them (identifying fields included) ---

@dataclass(frozen=True)
class RoundApplication:
    reference: str
    title: str
    applicant_name: str
    organisation: str
    requested_amount: Decimal
    sheets: int  # submitted sheets, revisions included
    conflicts: int
    outcome: str | None


def round_applications(round_: Round) -> list[RoundApplication]:
    """Every application of the round with its outcome, by reference."""
    sheets = (select(func.count()).where(ScoreSheet.application_id == Application.id,
                                         ScoreSheet.status == "submitted")
              .correlate(Application).scalar_subquery())
    conflicts = (select(func.count()).where(Conflict.application_id == Application.id)
                 .correlate(Application).scalar_subquery())
    rows = db.session.execute(
        select(Application.reference, Application.title, Application.applicant_name,
               Application.organisation, Application.requested_amount, sheets, conflicts,
               Decision.outcome)
        .outerjoin(Decision, Decision.application_id == Application.id)
        .where(Application.round_id == round_.id).order_by(Application.reference)).all()
    return [RoundApplication(*row) for row in rows]


def all_rounds() -> list[Round]:
    """Every round, newest first (for the trail's round filter)."""
    return list(db.session.scalars(select(Round).order_by(Round.created_at.desc(),
                                                          Round.id.desc())))


def application_in(round_: Round, reference: str) -> Application | None:
    return db.session.scalar(select(Application).where(
        Application.round_id == round_.id, Application.reference == reference))


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class SheetRecord:
    id: int
    member: Person
    group: str
    stage: str
    revision: int
    status: str
    comment: str
    reason: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    assisted_by: Person | None
    # criterion id → value (None: "not able to score"); a criterion missing was not answered.
    scores: dict[int, int | None] = field(default_factory=dict)

    @property
    def words(self) -> str:
        return _("Initial") if self.revision == 0 else _("Revision %(n)s", n=self.revision)


def sheet_records(application: Application) -> list[SheetRecord]:
    """Every sheet on the application, drafts and revisions included, by member then
    revision. Two queries: the sheets, then all their criterion scores."""
    assistant = aliased(User)
    rows = db.session.execute(
        select(ScoreSheet.id, User.name, User.email, _group_label(), ScoreSheet.stage,
               ScoreSheet.revision, ScoreSheet.status, ScoreSheet.comment, ScoreSheet.reason,
               ScoreSheet.created_at, ScoreSheet.updated_at, ScoreSheet.submitted_at,
               assistant.name, assistant.email)
        .join(PanelMember, ScoreSheet.member_id == PanelMember.id)
        .join(User, PanelMember.user_id == User.id)
        .outerjoin(Group, PanelMember.group_id == Group.id)
        .outerjoin(assistant, ScoreSheet.assisted_by_id == assistant.id)
        .where(ScoreSheet.application_id == application.id)
        .order_by(User.name, User.email, ScoreSheet.revision)).all()
    scores: dict[int, dict[int, int | None]] = {}
    for sheet_id, criterion_id, value in db.session.execute(
            select(CriterionScore.sheet_id, CriterionScore.criterion_id, CriterionScore.value)
            .join(ScoreSheet, CriterionScore.sheet_id == ScoreSheet.id)
            .where(ScoreSheet.application_id == application.id)):
        scores.setdefault(sheet_id, {})[criterion_id] = value
    return [SheetRecord(row[0], Person(row[1], row[2]), _group(row[3]), *row[4:12],
                        Person(row[12], row[13]) if row[13] else None, scores.get(row[0], {}))
            for row in rows]


@dataclass(frozen=True)
class AssignmentRecord:
    member: Person
    group: str
    role: str
    assigned_at: datetime
    connection_answer: str | None
    answered_at: datetime | None
    passed_at: datetime | None

    @property
    def is_chair(self) -> bool:
        return self.role == MemberRole.CHAIR


def assignment_records(application: Application) -> list[AssignmentRecord]:
    """Who was asked to review the application: their answer to the connection question
    and whether they passed."""
    rows = db.session.execute(
        select(User.name, User.email, _group_label(), PanelMember.role, Assignment.created_at,
               Assignment.connection_answer, Assignment.answered_at, Assignment.passed_at)
        .join(PanelMember, Assignment.member_id == PanelMember.id)
        .join(User, PanelMember.user_id == User.id)
        .outerjoin(Group, PanelMember.group_id == Group.id)
        .where(Assignment.application_id == application.id)
        .order_by(User.name, User.email)).all()
    return [AssignmentRecord(Person(row[0], row[1]), _group(row[2]), *row[3:]) for row in rows]


@dataclass(frozen=True)
class ConflictRecord:
    id: int
    member: Person
    group: str
    kind: str
    details: str
    level: str
    source: str
    status: str
    created_at: datetime
    review_reason: str
    reviewed_by: Person | None
    reviewed_at: datetime | None
    stepping_out: bool


def conflict_records(application: Application) -> list[ConflictRecord]:
    """Every conflict on the application, withdrawn and dismissed ones included, in the
    order they were raised."""
    reviewer = aliased(User)
    rows = db.session.execute(
        select(Conflict.id, User.name, User.email, _group_label(), Conflict.kind,
               Conflict.details, Conflict.level, Conflict.source, Conflict.status,
               Conflict.created_at, Conflict.review_reason, reviewer.name, reviewer.email,
               Conflict.reviewed_at, case((stepping_out(), True), else_=False))
        .join(PanelMember, Conflict.member_id == PanelMember.id)
        .join(User, PanelMember.user_id == User.id)
        .outerjoin(Group, PanelMember.group_id == Group.id)
        .outerjoin(reviewer, Conflict.reviewed_by_id == reviewer.id)
        .where(Conflict.application_id == application.id).order_by(Conflict.id)).all()
    return [ConflictRecord(row[0], Person(row[1], row[2]), _group(row[3]), *row[4:11],
                           Person(row[11], row[12]) if row[12] else None, row[13],
                           bool(row[14]))
            for row in rows]


@dataclass(frozen=True)
class DecisionRecord:
    outcome: str
    rationale: str
    recorded_by: Person | None
    recorded_at: datetime


def decision_record(application: Application) -> DecisionRecord | None:
    row = db.session.execute(
        select(Decision.outcome, Decision.rationale, User.name, User.email, Decision.recorded_at)
        .outerjoin(User, Decision.recorded_by_id == User.id)
        .where(Decision.application_id == application.id)).first()
    if row is None:
        return None
    return DecisionRecord(row[0], row[1], Person(row[2], row[3]) if row[3] else None, row[4])


def _group_label():
    return Group.label


def _group(label: str | None) -> str:
    """The member's group label, or "No group" in the reader's language: named after the
    query, not in SQL, so that the words follow the page's language."""
    return label or _("No group")
