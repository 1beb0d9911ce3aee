"""Read-only selects about rounds, used by views and commands."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from panel.accounts.models import User
from panel.extensions import db
from panel.rounds.models import Application, Assignment, PanelMember, Round
from panel.scoring.models import ScoreSheet


@dataclass(frozen=True)
class MemberRound:
    """One round as a panel member sees it on their home page."""

    round: Round
    member: PanelMember
    assigned: int
    submitted: int
    passed: int

    @property
    def left(self) -> int:
        return max(self.assigned - self.submitted - self.passed, 0)


def member_rounds(user: User) -> list[MemberRound]:
    members = db.session.scalars(
        select(PanelMember).join(Round).where(PanelMember.user_id == user.id)
        .order_by(Round.created_at.desc())
    ).all()
    if not members:
        return []
    ids = [member.id for member in members]
    assigned = dict(db.session.execute(
        select(Assignment.member_id, func.count()).where(Assignment.member_id.in_(ids))
        .group_by(Assignment.member_id)).all())
    passed = dict(db.session.execute(
        select(Assignment.member_id, func.count())
        .where(Assignment.member_id.in_(ids), Assignment.passed_at.is_not(None))
        .group_by(Assignment.member_id)).all())
    submitted = dict(db.session.execute(
        select(ScoreSheet.member_id, func.count())
        .where(ScoreSheet.member_id.in_(ids), ScoreSheet.revision == 0,
               ScoreSheet.status == "submitted")
        .group_by(ScoreSheet.member_id)).all())
    return [
        MemberRound(member.round, member, assigned.get(member.id, 0),
                    submitted.get(member.id, 0), passed.get(member.id, 0))
        for member in members
    ]


@dataclass(frozen=True)
class RoundSummary:
    round: Round
    applications: int
    members: int


def round_summaries() -> list[RoundSummary]:
    applications = (select(func.count()).where(Application.round_id == Round.id)
                    .correlate(Round).scalar_subquery())
    members = (select(func.count()).where(PanelMember.round_id == Round.id)
               .correlate(Round).scalar_subquery())
    rows = db.session.execute(
        select(Round, applications, members).order_by(Round.created_at.desc())
    ).all()
    return [RoundSummary(r, a, m) for r, a, m in rows]


def round_by_slug(slug: str) -> Round | None:
    return db.session.scalar(select(Round).where(Round.slug == slug))
