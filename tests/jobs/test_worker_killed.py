"""A job whose worker is killed part-way (SIGKILL, on the real Redis broker) is given
to another worker and its effect happens once: Dramatiq's Redis broker re-delivers the
unacknowledged message once the dead worker's heartbeat is stale, and the runner
commits the job's effect together with its "done" (panel/jobs/runner.py)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from panel.extensions import db
from panel.jobs.models import DONE, RUNNING, Job
from panel.mail.models import OutboxMessage
from tests.support.paused_job import SUBJECT, paused_on_first_attempt
from tests.support.web import make_app

ROOT = Path(__file__).resolve().parents[2]
HEARTBEAT_MS = 1500
EMAIL = "kim@example.org"


def start_worker(database_url: str, redis_url: str, mail_port: int, log: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TEST_DATABASE_URL": database_url,
           "JOBS_REDIS_URL": redis_url, "JOBS_REDIS_HEARTBEAT_MS": str(HEARTBEAT_MS),
           "TEST_MAIL_PORT": str(mail_port)}
    flask = Path(sys.executable).with_name("flask")
    return subprocess.Popen(
        [str(flask), "--app", "tests.support.paused_job:create_app()", "worker",
         "--threads", "1"], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def wait_for(condition, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.1)


def job_row(message_id: str) -> Job:
    db.session.expire_all()
    return db.session.scalar(select(Job).where(Job.message_id == message_id))


def test_a_job_killed_midway_is_run_again_and_its_effect_happens_once(
        database_url, redis_url, mailbox, tmp_path):
    app = make_app(database_url, mailbox, tmp_path, JOBS_REDIS_URL=redis_url)
    workers = []
    with app.app_context():
        try:
            row = paused_on_first_attempt.enqueue(email=EMAIL, folder=str(tmp_path))
            db.session.commit()
            message_id = row.message_id

            first = start_worker(database_url, redis_url, mailbox.port, tmp_path / "first.log")
            workers.append(first)
            wait_for((tmp_path / "midway").exists, "the first worker to reach mid-way")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
            killed = job_row(message_id)
            assert (killed.state, killed.attempts) == (RUNNING, 1)
            # Nothing half-done: no e-mail, and no sending job, though it had been flushed.
            assert db.session.scalars(select(OutboxMessage)).all() == []
            assert db.session.scalars(select(Job).where(Job.kind == "mail.send")).all() == []

            second = start_worker(database_url, redis_url, mailbox.port,
                                  tmp_path / "second.log")
            workers.append(second)
            wait_for(lambda: job_row(message_id).state == DONE,
                     "the second worker to finish the job")
            done = job_row(message_id)
            assert done.attempts == 2 and done.result == "queued one e-mail"
            assert len(db.session.scalars(select(OutboxMessage)).all()) == 1
            assert len(db.session.scalars(select(Job).where(Job.kind == "mail.send")).all()) == 1
            wait_for(lambda: mailbox.to(EMAIL), "the e-mail to arrive")
            assert [m["Subject"] for m in mailbox.to(EMAIL)] == [SUBJECT]

            second.send_signal(signal.SIGTERM)  # a worker stops cleanly when asked
            assert second.wait(timeout=30) == 0
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait(timeout=30)
            db.session.remove()
            db.engine.dispose()
