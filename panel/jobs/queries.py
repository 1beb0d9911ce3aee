"""Read-only lists of jobs for the admin's jobs page and a round's background work."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from panel.extensions import db
from panel.jobs.models import Job
from panel.jobs.queue import label_of
from panel.rounds.models import Round

RECENT = 100


@dataclass(frozen=True)
class JobLine:
    """One job as the pages show it: what it is called and, if any, its round's title."""

    job: Job
    label: str
    round_title: str | None = None


def recent(limit: int = RECENT) -> list[JobLine]:
    """The newest jobs of every kind, newest first (the admin's page)."""
    rows = db.session.execute(
        select(Job, Round.title).outerjoin(Round, Round.id == Job.round_id)
        .order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)).all()
    return [JobLine(job, label_of(job.kind), title) for job, title in rows]


def of_round(round_id: int, limit: int = RECENT) -> list[JobLine]:
    """The newest jobs about one round, newest first (its officers' page)."""
    jobs = db.session.scalars(select(Job).where(Job.round_id == round_id)
                              .order_by(Job.created_at.desc(), Job.id.desc()).limit(limit))
    return [JobLine(job, label_of(job.kind)) for job in jobs]
