"""A job whose message could not reach the queue — Redis was down when the change that
queued it committed — is not lost: the change stands, the job's row says it waits, and
a worker sends it when the queue answers again; it then runs once."""
from __future__ import annotations

from sqlalchemy import select

from panel.extensions import db
from panel.jobs.models import DONE, QUEUED, Job
from panel.jobs.queue import UNSENT, resend_unsent
from tests.builders import people
from tests.support.jobs import run_jobs
from tests.support.web import make_app, submit


def test_a_job_queued_while_redis_is_down_is_sent_when_it_answers_and_runs_once(
        database_url, dead_redis_url, redis_url, mailbox, tmp_path):
    down = make_app(database_url, mailbox, tmp_path / "down", JOBS_REDIS_URL=dead_redis_url)
    with down.app_context():
        people.panellist("amira@example.org")
        client = down.test_client()
        answer = submit(client, "/sign-in", {"email": "amira@example.org"})
        assert answer.status_code in (200, 302)  # the person is answered as usual
        row = db.session.scalar(select(Job).where(Job.kind == "accounts.sign_in_link"))
        assert (row.state, row.attempts) == (QUEUED, 0)
        assert row.last_error.startswith(UNSENT)
        # the sign-in page was in English, so the link comes in English
        assert row.arguments == {"email": "amira@example.org", "language": "en"}
        db.session.remove()
    mailbox.settlers.clear()  # the app whose Redis is down cannot run jobs for the mailbox

    up = make_app(database_url, mailbox, tmp_path / "up", JOBS_REDIS_URL=redis_url)
    with up.app_context():
        assert resend_unsent(up) == 1
        assert resend_unsent(up) == 0  # sent once
        run_jobs(up)
        db.session.expire_all()
        row = db.session.scalar(select(Job).where(Job.kind == "accounts.sign_in_link"))
        assert (row.state, row.attempts, row.last_error) == (DONE, 1, None)
        assert len(mailbox.to("amira@example.org")) == 1
        db.session.remove()
