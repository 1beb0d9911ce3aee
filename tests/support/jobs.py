"""Running background jobs in tests, deterministically: :func:`run_jobs` returns once
every job sent so far (and every job those sent) has run — on the app's in-process
worker, or, for an app on Redis, on a worker started for the wait.

The loopback mailbox calls it before it is read (:func:`settle_mail_of`), so a test that
reads what was e-mailed sees what the sending jobs sent, as it saw what was sent at
commit before the outbox existed."""
from __future__ import annotations

import weakref
from contextlib import contextmanager

from panel.jobs.queue import job_queue


def run_jobs(app) -> None:
    """Run every queued job of ``app`` to its end (or to its last retry)."""
    job_queue(app).run_pending()


def settle_mail_of(app, mailbox) -> None:
    """Have ``mailbox`` run ``app``'s jobs before each read (held weakly: a mailbox
    outlives the apps of its test)."""
    app_ref = weakref.ref(app)

    def settle() -> None:
        live = app_ref()
        if live is not None:
            run_jobs(live)

    mailbox.settlers.append(settle)


def stop_jobs(app) -> None:
    """Stop ``app``'s in-process worker threads (end of a test)."""
    job_queue(app).stop()


def finish_job(app, client, started) -> str:
    """The page of the job a response (``started``, a redirect to /jobs/<id>) started,
    once every queued job has run: what the person who started it reads at the end."""
    location = started.headers["Location"]
    assert location.startswith("/jobs/"), f"expected a job's page, not {location}"
    run_jobs(app)
    page = client.get(location)
    assert page.status_code == 200
    return page.get_data(as_text=True)


@contextmanager
def jobs_held(app):
    """Within the block, ``app``'s in-process worker takes no job: what a request queues
    waits, so a test can change the world before the job sees it."""
    queue = job_queue(app)
    queue.start_worker()
    queue.worker.pause()
    try:
        yield
    finally:
        queue.worker.resume()
