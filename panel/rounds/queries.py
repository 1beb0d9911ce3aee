"""Read-only selects about rounds, used by views and commands."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from panel.accounts.models import User
from panel.extensions import db
from panel.rounds.models import Application, PanelMember, Round


@dataclass(frozen=True)
class MemberRound:
    """One round as a panel member sees it on their home page (where they stand in it
    comes from :func:`panel.scoring.queries.progress`)."""

    round: Round
    member: PanelMember


def member_rounds(user: User) -> list[MemberRound]:
    """The rounds ``user`` sits on, newest first, each with its round: one statement."""
    members = db.session.scalars(
        select(PanelMember).join(PanelMember.round).where(PanelMember.user_id == user.id)
        .options(contains_eager(PanelMember.round)).order_by(Round.created_at.desc())
    ).all()
    return [MemberRound(member.round, member) for member in members]


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
