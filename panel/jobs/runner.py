"""Running one job: the Dramatiq actor behind every job kind, and the middleware that
marks a job failed once Dramatiq gives up on it.

A run is idempotent: a job found done is not run again (a re-delivered message after a
worker was killed between its commit and its acknowledgement), and the job's changes
are committed in the same transaction as its "done", so a run killed before that commit
left nothing behind and the next run does the whole effect once.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from dramatiq import Middleware
from dramatiq.middleware import CurrentMessage
from flask import Flask
from sqlalchemy import select

from panel.extensions import db, utcnow
from panel.jobs import progress
from panel.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job

log = logging.getLogger(__name__)
ERROR_LENGTH = 1000


def actor_for(app: Flask, kind) -> Callable[..., None]:
    """The function Dramatiq calls for ``kind``: it runs the job in ``app``'s context."""
    def run(**args) -> None:
        message = CurrentMessage.get_current_message()
        with app.app_context():
            try:
                run_job(kind, message.message_id, args)
            finally:
                db.session.remove()
    run.__name__ = run.__qualname__ = kind.name.replace(".", "_")
    return run


def run_job(kind, message_id: str, args: dict) -> None:
    row = db.session.scalar(select(Job).where(Job.message_id == message_id))
    if row is None:  # sent only after its row committed, so this is another database's
        log.warning("No job row for message %s (%s); skipped", message_id, kind.name)
        return
    if row.state in (DONE, FAILED):
        log.info("Job %s (%s) is already %s; not run again", row.id, kind.name, row.state)
        return
    row.state, row.started_at, row.finished_at = RUNNING, utcnow(), None
    row.attempts += 1
    db.session.commit()
    job_id = row.id
    running = progress.running_as(message_id)
    try:
        result = kind.fn(row, **args)
        row.state, row.finished_at, row.result = DONE, utcnow(), result
        progress.settle(row)
        db.session.commit()
    except progress.JobRefused as refusal:  # not worth a retry: the page says why
        db.session.rollback()
        _refuse(job_id, str(refusal))
    except BaseException as error:  # a time limit interrupts with a BaseException
        db.session.rollback()
        _note_error(job_id, error)
        raise
    finally:
        progress.stop_running(running)


def _refuse(job_id: int, why: str) -> None:
    row = db.session.get(Job, job_id)
    row.state, row.finished_at = FAILED, utcnow()
    row.last_error = why[:ERROR_LENGTH]
    progress.settle(row)
    db.session.commit()


def _note_error(job_id: int, error: BaseException) -> None:
    """Keep the error on the row; the job waits for its retry (Dramatiq's back-off)."""
    row = db.session.get(Job, job_id)
    row.state = QUEUED
    row.last_error = (f"{type(error).__name__}: {error}")[:ERROR_LENGTH]
    db.session.commit()


class JobStates(Middleware):
    """Marks a job failed when Dramatiq stops retrying it (its retries used up, or an
    error the kind does not retry)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def after_nack(self, broker, message) -> None:
        with self.app.app_context():
            try:
                row = db.session.scalar(select(Job).where(Job.message_id == message.message_id))
                if row is not None and row.state != DONE:
                    row.state, row.finished_at = FAILED, utcnow()
                    db.session.commit()
            finally:
                db.session.remove()


def is_last_attempt() -> bool:
    """Whether the running job will not be retried if it fails now (its kind's
    ``max_retries`` used up): the moment to record what could not be done."""
    message = CurrentMessage.get_current_message()
    if message is None:
        return True
    from panel.jobs.queue import KINDS

    retries = message.options.get("retries", 0)
    return retries >= KINDS[message.actor_name].max_retries
