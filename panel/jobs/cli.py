"""``flask worker``: run background jobs from Redis. Start as many as you like, on as
many machines as you like; each takes jobs as it has threads free."""
from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.exc import SQLAlchemyError

from panel.extensions import db
from panel.jobs.queue import job_queue, resend_unsent

RESEND_EVERY_SECONDS = 60


@click.command("worker", help=_l(
    "Run background jobs (e-mail, imports…) from the Redis queue until stopped."))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help=_l("How many jobs this worker runs at once."))
@with_appcontext
def worker(threads: int) -> None:
    import dramatiq  # here: every flask command's start-up imports this module (issue 17)

    queue = job_queue(current_app)
    if queue.in_process:
        raise click.UsageError(_(
            "flask worker takes its jobs from Redis: set REDIS_URL (or JOBS_REDIS_URL). "
            "Without it, every app process runs its own jobs and needs no worker."))
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    running = dramatiq.Worker(queue.broker, worker_threads=threads)
    running.start()
    click.echo(ngettext("FairPanel worker: %(num)d thread(s) on queues %(queues)s.",
                        "FairPanel worker: %(num)d thread(s) on queues %(queues)s.", threads,
                        queues=", ".join(sorted(queue.broker.get_declared_queues()))),
               err=True)
    app = current_app._get_current_object()
    _resend(app)  # at start, then every minute
    while not stop.wait(timeout=RESEND_EVERY_SECONDS):
        _resend(app)
    click.echo(_("Stopping: finishing the jobs in hand."), err=True)
    running.stop(timeout=30_000)


def _resend(app) -> None:
    """Jobs whose message never reached Redis (it was down at their commit) go now."""
    try:
        sent = resend_unsent(app)
        if sent:
            click.echo(ngettext("Sent %(num)d job(s) that had not reached the queue.",
                                "Sent %(num)d job(s) that had not reached the queue.", sent),
                       err=True)
    except SQLAlchemyError as error:  # the database is down: try again next minute
        click.echo(_("Could not look for unsent jobs: %(error)s", error=error), err=True)
    finally:
        db.session.remove()
