"""The job queue: Dramatiq, on Redis when ``JOBS_REDIS_URL`` (by default ``REDIS_URL``)
is set, else in process.

Why Dramatiq: its Redis broker acknowledges a message only once its job has finished,
so the job of a worker killed part-way is given to another worker; retries with
exponential back-off are built in; and the same actors run on an in-process broker, so
``make run`` needs no extra service.

- With Redis, web processes only enqueue; ``flask worker`` processes (any number, on any
  machine) run the jobs.
- Without it, each app process runs its own jobs on a Dramatiq worker in background
  threads, started when the first job is sent.

A job kind is a function ``fn(job, **args) -> str | None`` declared with :func:`job`;
``kind.enqueue(**args)`` writes its :class:`~panel.jobs.models.Job` row in the caller's
transaction and sends the message only after that transaction commits (never for one
that rolls back), so a job never runs for a change that did not happen.
"""
from __future__ import annotations

import atexit
import importlib
import logging
import os
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from panel.extensions import db
from panel.jobs.models import QUEUED, Job

if TYPE_CHECKING:
    import dramatiq

log = logging.getLogger(__name__)
_TO_SEND = "fairpanel_jobs_to_send"
_EXTENSION = "fairpanel_jobs"
_DECLARED_IN = "fairpanel_job_modules"
_MAKING = threading.Lock()


@dataclass(frozen=True)
class JobKind:
    """A kind of job: its name (shown on the jobs pages), its function and its queue."""

    name: str
    fn: Callable[..., str | None]
    label: str
    queue: str = "work"
    max_retries: int = 5

    def enqueue(self, *, round_id: int | None = None, total: int | None = None,
                started_by: int | None = None, **args) -> Job:
        """Add a job of this kind to the current transaction (sent after commit);
        ``started_by`` is the id of the person who may follow it on its page."""
        return enqueue(self, round_id=round_id, total=total, started_by=started_by, **args)


KINDS: dict[str, JobKind] = {}


def label_of(kind: str) -> str:
    """What the jobs pages call a kind (its name, for a kind no longer declared)."""
    return KINDS[kind].label if kind in KINDS else kind


def job(name: str, label: str, *, queue: str = "work", max_retries: int = 5):
    """Declare a job kind: ``@job("mail.send", "Sending e-mail", queue="mail") def
    send(job, ...)``; ``label`` is what the jobs pages call it. Its
    arguments must be JSON (they travel through Redis); it must not commit what it
    changes unless it records its own progress, as the runner commits the rest together
    with the job's completion (so a job run twice does its effect once)."""
    def declare(fn: Callable[..., str | None]) -> JobKind:
        if name in KINDS:
            raise ValueError(_("A job kind named %(name)s is already declared.",
                               name=repr(name)))
        KINDS[name] = JobKind(name, fn, label, queue, max_retries)
        return KINDS[name]
    return declare


_time_limits: dict[int, object] = {}
_time_limits_lock = threading.Lock()


def _process_time_limit():
    """The in-process queues' time limit, one per process. Dramatiq's ``TimeLimit``
    starts a thread that watches the running jobs' deadlines when its broker boots, and
    that thread never ends: one per app would leave a thread behind for every app a
    process ever made (the test suite makes thousands). Every in-process queue of this
    process shares one, booted once; a forked child (a gunicorn worker) makes its own."""
    with _time_limits_lock:
        found = _time_limits.get(os.getpid())
        if found is None:
            found = _time_limits[os.getpid()] = _booted_once()
        return found


def _booted_once():
    from dramatiq.middleware import TimeLimit

    class ProcessTimeLimit(TimeLimit):
        booted = False

        def after_process_boot(self, broker):
            with _time_limits_lock:
                if not self.booted:
                    super().after_process_boot(broker)
                    self.booted = True

    return ProcessTimeLimit()


class JobQueue:
    """One app's broker, its actors (one per job kind) and, in process, its worker."""

    def __init__(self, app: Flask) -> None:
        # Dramatiq and Redis are imported when the queue is made (issue 17: a command
        # that queues no job does not pay for them at start-up).
        import dramatiq
        from dramatiq.brokers.redis import RedisBroker
        from dramatiq.brokers.stub import StubBroker
        from dramatiq.middleware import CurrentMessage, TimeLimit, default_middleware

        from panel.jobs.runner import JobStates, actor_for

        url = app.config.get("JOBS_REDIS_URL") or ""
        middleware = [_process_time_limit() if m is TimeLimit and not url else m()
                      for m in default_middleware] + [CurrentMessage(), JobStates(app)]
        if url:
            self.broker = RedisBroker(
                url=url, namespace=app.config["JOBS_NAMESPACE"], middleware=middleware,
                heartbeat_timeout=app.config["JOBS_REDIS_HEARTBEAT_MS"],
                maintenance_chance=app.config["JOBS_REDIS_MAINTENANCE_CHANCE"])
        else:
            self.broker = StubBroker(middleware=middleware)
            self.broker.emit_after("process_boot")
        self.in_process = not url
        self.threads = app.config["JOBS_IN_PROCESS_THREADS"]
        self.poll_ms = app.config["JOBS_WORKER_TIMEOUT_MS"]
        self.actors = {name: dramatiq.Actor(
            actor_for(app, kind), broker=self.broker, actor_name=name, queue_name=kind.queue,
            priority=0, options={"max_retries": kind.max_retries,
                                 "min_backoff": app.config["JOBS_MIN_BACKOFF_MS"],
                                 "max_backoff": app.config["JOBS_MAX_BACKOFF_MS"],
                                 "time_limit": app.config["JOBS_TIME_LIMIT_MS"]})
            for name, kind in KINDS.items()}
        self.worker: dramatiq.Worker | None = None
        self._worker_pid = 0
        self._lock = threading.Lock()

    def send(self, message: dramatiq.Message) -> None:
        self.broker.enqueue(message)
        if self.in_process:
            self.start_worker()

    def start_worker(self) -> None:
        """Start the in-process worker once per process (again after a fork: a forked
        gunicorn worker does not inherit its parent's threads)."""
        import dramatiq

        with self._lock:
            if self.worker is not None and self._worker_pid == os.getpid():
                return
            self.worker = dramatiq.Worker(self.broker, worker_threads=self.threads,
                                          worker_timeout=self.poll_ms)
            self.worker.start()
            self._worker_pid = os.getpid()
            _RUNNING.add(self)

    def stop(self) -> None:
        with self._lock:
            if self.worker is not None and self._worker_pid == os.getpid():
                self.worker.stop(timeout=10_000)
            self.worker = None
            _RUNNING.discard(self)

    def run_pending(self, timeout_ms: int = 60_000) -> None:
        """Wait until every job sent so far, and every job those sent, has run. In
        process, the app's own worker runs them; on Redis, a worker started here for the
        wait does (tests, and ``flask jobs run``-style one-off use)."""
        import dramatiq

        temporary = None
        if self.in_process:
            if self.worker is None:
                return  # nothing was ever sent
        else:
            temporary = dramatiq.Worker(self.broker, worker_threads=self.threads,
                                        worker_timeout=self.poll_ms)
            temporary.start()
        worker = temporary or self.worker
        try:
            for _ in range(10):  # jobs that queue jobs: join until nothing is left
                for name in sorted(self.broker.get_declared_queues()):
                    if self.in_process:
                        self.broker.join(name, timeout=timeout_ms, fail_fast=False)
                    else:
                        self.broker.join(name, timeout=timeout_ms)
                worker.join()
                if not self._anything_waiting():
                    return
        finally:
            if temporary is not None:
                temporary.stop(timeout=10_000)

    def _anything_waiting(self) -> bool:
        if self.in_process:
            return any(q.unfinished_tasks for q in self.broker.queues.values())
        return False


# In-process queues with a worker running. A command (`flask accounts invite`, `flask
# round import --invite`…) ends right after its commit: before the process exits, its
# jobs are run to the end, or the e-mail it queued would wait for the next process.
_RUNNING: weakref.WeakSet[JobQueue] = weakref.WeakSet()


@atexit.register
def _finish_jobs_before_exit() -> None:
    for queue in list(_RUNNING):
        try:
            queue.run_pending(timeout_ms=60_000)
            queue.stop()
        except Exception:  # exiting anyway; the rows say what was left undone
            log.exception("Background jobs left unfinished at exit")


def init_app(app: Flask, declared_in: tuple[str, ...] = ()) -> None:
    """Give ``app`` its job queue, made on first use (:func:`job_queue`), once every job
    kind is declared: ``declared_in`` names the modules that declare them, imported then."""
    # Dramatiq's own INFO lines (workers starting and stopping, each retry) would be noise
    # on a command's output and in the request log; the jobs table tells each job's story.
    logging.getLogger("dramatiq").setLevel(logging.WARNING)
    app.extensions[_DECLARED_IN] = declared_in


def job_queue(app: Flask | None = None) -> JobQueue:
    """``app``'s job queue, made the first time it is asked for (a web process asks in
    :func:`panel.create_app`; a command only if it queues or runs a job)."""
    app = app or current_app
    if hasattr(app, "_get_current_object"):  # the app itself, not a proxy: its actors
        app = app._get_current_object()       # keep it for the worker's threads
    queue = app.extensions.get(_EXTENSION)
    if queue is None:
        with _MAKING:
            queue = app.extensions.get(_EXTENSION)
            if queue is None:
                for module in app.extensions.get(_DECLARED_IN, ()):
                    importlib.import_module(module)
                queue = app.extensions[_EXTENSION] = JobQueue(app)
    return queue


def enqueue(kind: JobKind, *, round_id: int | None = None, total: int | None = None,
            started_by: int | None = None, **args) -> Job:
    """Write ``kind``'s job row in the current transaction; the message follows the
    commit. The message id is the row's key, known before anything is written."""
    queue = job_queue()
    message = queue.actors[kind.name].message_with_options(kwargs=args)
    row = Job(kind=kind.name, round_id=round_id, state=QUEUED, progress_total=total,
              user_id=started_by, message_id=message.message_id, arguments=args)
    db.session.add(row)
    db.session.info.setdefault(_TO_SEND, []).append((queue, message))
    return row


UNSENT = "Not yet handed to the job queue"


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    unsent = []
    for queue, message in session.info.pop(_TO_SEND, []):
        try:
            queue.send(message)
        except Exception as error:  # the row stays queued; a worker sends it again
            log.exception("Could not send job %s (%s) to the queue",
                          message.message_id, message.actor_name)
            why = (f"{UNSENT} ({type(error).__name__}); it will be sent again when the "
                   "queue answers.")
            unsent.append((message.message_id, why))
    if unsent:
        _note_unsent(session, unsent)


def _note_unsent(session: Session, unsent: list[tuple[str, str]]) -> None:
    """Mark jobs whose message could not be sent (their transaction has committed: this
    is a transaction of its own), so that :func:`resend_unsent` finds them."""
    try:
        with session.get_bind().begin() as connection:
            for message_id, why in unsent:
                connection.execute(update(Job).where(Job.message_id == message_id)
                                   .values(last_error=why))
    except Exception:  # the database is gone too: the log says what was not sent
        log.exception("Could not mark %d job(s) as not yet sent", len(unsent))


def resend_unsent(app: Flask) -> int:
    """Send again every job whose message never reached the queue (Redis was down when
    its transaction committed); returns how many. ``flask worker`` calls it every
    minute. A job is sent with its own message id, so it still runs once."""
    import dramatiq
    import redis

    queue = job_queue(app)
    rows = db.session.scalars(select(Job).where(
        Job.state == QUEUED, Job.attempts == 0, Job.last_error.startswith(UNSENT))).all()
    sent = 0
    for row in rows:
        actor = queue.actors.get(row.kind)
        if actor is None:
            continue
        message = actor.message_with_options(kwargs=row.arguments or {}).copy(
            message_id=row.message_id)
        try:
            queue.send(message)
        except (dramatiq.errors.DramatiqError, redis.RedisError, OSError):
            log.warning("The job queue still does not answer; %d job(s) wait", len(rows))
            break
        row.last_error = None
        db.session.commit()
        sent += 1
    return sent


@event.listens_for(Session, "after_rollback")
def _drop_unsent(session: Session) -> None:
    session.info.pop(_TO_SEND, None)
