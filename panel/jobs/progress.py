"""Following long work: how far a running job has got, a job that refuses what it was
asked, and the file an export job leaves behind.

A job reports its progress with :func:`report` (``report("Adding applications", 500,
5000)``). Its own transaction holds what it writes until the end — so nothing is
half-written if it fails — which means its progress cannot wait for that commit: it goes
to the job queue's Redis (every machine's pages read it), or, with jobs in process, to
this process's memory (where the job runs). The job's row gets the final figures when it
finishes.
"""
from __future__ import annotations

import json
import threading
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete

from panel.extensions import db, redis_client, utcnow
from panel.jobs.models import DONE, FAILED, RUNNING, Job, JobFile

FILES_KEPT = timedelta(days=1)
_KEPT_SECONDS = 86_400
_MEMORY = "fairpanel_job_progress"
_current: ContextVar[str | None] = ContextVar("fairpanel_current_job", default=None)


class JobRefused(Exception):
    """The job cannot do what it was asked — the round changed since the file was checked,
    say. It fails at once, without retries, with nothing written, and its page shows
    ``message``: what is wrong and where (file, row, column)."""


@dataclass(frozen=True)
class Progress:
    """How far a job has got: the stage it is at, in words, and done of total."""

    stage: str | None
    done: int
    total: int | None

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


def running_as(message_id: str):
    """Mark the code that follows as running job ``message_id`` (the runner's call)."""
    return _current.set(message_id)


def stop_running(token) -> None:
    _current.reset(token)


def report(stage: str, done: int, total: int | None) -> None:
    """Say how far the running job has got. Outside a job (a command doing the same work
    in the foreground), nothing happens."""
    message_id = _current.get()
    if message_id is None:
        return
    value = json.dumps({"stage": stage, "done": done, "total": total})
    url = current_app.config.get("JOBS_REDIS_URL")
    if url:
        import redis  # here: only with jobs on Redis (issue 17, start-up)

        try:
            redis_client(url).set(_key(message_id), value, ex=_KEPT_SECONDS)
        except redis.RedisError:  # progress is a courtesy; the work goes on
            pass
    else:
        with _lock:
            current_app.extensions.setdefault(_MEMORY, {})[message_id] = value


_lock = threading.Lock()


def of(job: Job) -> Progress:
    """How far ``job`` has got: live while it runs, from its row once it has finished."""
    if job.state == RUNNING:
        found = _live(job.message_id)
        if found is not None:
            return Progress(found.get("stage"), int(found.get("done") or 0), found.get("total"))
    done = job.progress_done
    if job.state == DONE and job.progress_total:
        done = job.progress_total
    return Progress(job.stage, done, job.progress_total)


def _live(message_id: str) -> dict | None:
    url = current_app.config.get("JOBS_REDIS_URL")
    if url:
        import redis

        try:
            value = redis_client(url).get(_key(message_id))
        except redis.RedisError:
            return None
    else:
        value = current_app.extensions.get(_MEMORY, {}).get(message_id)
    return json.loads(value) if value else None


def settle(job: Job) -> None:
    """Copy the last reported progress onto the job's row (the runner, at its end)."""
    found = _live(job.message_id)
    if found is not None:
        job.stage = (found.get("stage") or "")[:120] or None
        job.progress_done = int(found.get("done") or 0)
        if found.get("total") is not None:
            job.progress_total = int(found["total"])
    if job.state in (DONE, FAILED):
        forget(job.message_id)


def forget(message_id: str) -> None:
    url = current_app.config.get("JOBS_REDIS_URL")
    if url:
        import redis

        try:
            redis_client(url).delete(_key(message_id))
        except redis.RedisError:
            pass
    else:
        with _lock:
            current_app.extensions.get(_MEMORY, {}).pop(message_id, None)


def _key(message_id: str) -> str:
    return f"{current_app.config['JOBS_NAMESPACE']}:progress:{message_id}"


def keep_file(job: Job, filename: str, mimetype: str, data: bytes) -> JobFile:
    """Leave ``data`` for the person who started ``job`` to download (in the job's own
    transaction; files older than a day go at the same time)."""
    db.session.execute(delete(JobFile).where(JobFile.created_at < utcnow() - FILES_KEPT))
    kept = JobFile(job_id=job.id, filename=filename, mimetype=mimetype, data=data)
    db.session.add(kept)
    return kept
