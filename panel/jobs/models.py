"""The jobs table: one row per piece of background work, kept current by the runner
(:mod:`panel.jobs.runner`), so officers and admins can see what ran, what is waiting and
what failed — the queue itself (Dramatiq, on Redis or in process) keeps no history."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from panel.extensions import db, utcnow

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATES = (QUEUED, RUNNING, DONE, FAILED)


class Job(db.Model):
    """One job. ``state`` is queued (waiting, or waiting for a retry after an error),
    running, done or failed (its retries are used up); ``attempts`` counts the runs that
    started, so a run cut short by a killed worker shows as one more attempt."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("rounds.id", ondelete="SET NULL"), index=True)
    # Who started it, when a person did: they may follow it on its progress page.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    stage: Mapped[str | None] = mapped_column(String(120))  # what it is doing, in words
    # What it was asked (JSON), kept so that a job whose message never reached the queue
    # can be sent again (panel.jobs.queue.resend_unsent).
    arguments: Mapped[dict | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int | None]
    result: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    @property
    def done(self) -> bool:
        return self.state == DONE

    @property
    def percent(self) -> int | None:
        """How far along, 0–100, when the job knows how much it has to do."""
        if not self.progress_total:
            return None
        return min(100, self.progress_done * 100 // self.progress_total)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state}>"


class JobFile(db.Model):
    """The file an export job made, for the person who asked for it to download from the
    job's page. Kept for a day (:data:`panel.jobs.progress.FILES_KEPT`), then deleted."""

    __tablename__ = "job_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"),
                                        unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
