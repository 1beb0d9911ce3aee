"""A job kind for the test of a worker killed part-way, and the app its ``flask worker``
subprocesses run: ``flask --app 'tests.support.paused_job:create_app()' worker``.

The job's effect is one e-mail queued to the outbox (its sending job's row, flushed to
the database at once, and its outbox row, written at commit). On its first attempt it
does the effect, flushes, says so by creating ``<folder>/midway`` and then waits — for the test to kill its worker with SIGKILL. On a
later attempt it does the effect and returns, so the runner commits it with the job's
"done". Importing this module declares the kind (the test process imports it too, to
enqueue the job)."""
from __future__ import annotations

import os
import time
from pathlib import Path

from panel import create_app as make
from panel import mail
from panel.extensions import db
from panel.jobs.queue import job

SUBJECT = "Counted once"


@job("tests.paused_on_first_attempt", "Test job", queue="work", max_retries=2)
def paused_on_first_attempt(row, email: str, folder: str) -> str:
    mail.queue(email, SUBJECT, "staff_use_password", user={"name": "Kim"},
               link="http://127.0.0.1/sign-in/staff")
    db.session.flush()
    if row.attempts == 1:
        Path(folder, "midway").touch()
        time.sleep(120)  # bounded: the test kills the worker long before
        raise TimeoutError("the test was meant to kill this worker")
    return "queued one e-mail"


def create_app():
    """The worker's app, on the test's database, Redis and loopback SMTP server (from
    the environment the test gives the subprocess)."""
    return make("test", SQLALCHEMY_DATABASE_URI=os.environ["TEST_DATABASE_URL"],
                JOBS_REDIS_URL=os.environ["JOBS_REDIS_URL"],
                JOBS_REDIS_HEARTBEAT_MS=int(os.environ["JOBS_REDIS_HEARTBEAT_MS"]),
                JOBS_REDIS_MAINTENANCE_CHANCE=1_000_000,
                MAIL_SERVER="127.0.0.1", MAIL_PORT=int(os.environ["TEST_MAIL_PORT"]))
