"""A job that runs past JOBS_TIME_LIMIT_MS is stopped and marked failed, with why; and
every in-process queue of a process shares one thread watching those limits (Dramatiq
starts one per broker, and it never ends: one for each app made would pile up)."""
from __future__ import annotations

import threading

from sqlalchemy import select

from panel.extensions import db
from panel.jobs.models import FAILED, Job
from tests.support.jobs import run_jobs, stop_jobs
from tests.support.overrunning_job import overruns
from tests.support.web import make_app


def watchers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if type(t).__name__ == "_CtypesTimeoutManager"]


def test_a_job_past_its_time_limit_is_stopped_and_marked_failed(database_url, mailbox,
                                                                tmp_path):
    app = make_app(database_url, mailbox, tmp_path, JOBS_TIME_LIMIT_MS=300)
    with app.app_context():
        try:
            row = overruns.enqueue(seconds=20)
            db.session.commit()
            run_jobs(app)
            db.session.expire_all()
            done = db.session.scalar(select(Job).where(Job.id == row.id))
            assert done.state == FAILED
            assert done.last_error.startswith("TimeLimitExceeded")
            assert done.result is None
        finally:
            stop_jobs(app)
            db.session.remove()
            db.engine.dispose()


def test_apps_made_in_one_process_share_one_time_limit_thread(app, database_url, mailbox,
                                                              tmp_path):
    for n in range(3):
        make_app(database_url, mailbox, tmp_path / str(n))
    assert len(watchers()) == 1
