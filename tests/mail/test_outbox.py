"""The durable outbox (panel/mail/): an e-mail is a row written with the change that
causes it, sent by a job over one SMTP connection, with its delivery or its failure
recorded per message. Against the real loopback SMTP server, whose refused-…@ and
busy-…@ addresses answer 550 and (once) 451 as real servers do."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from panel import mail
from panel.extensions import db
from panel.jobs.models import DONE, FAILED, Job
from panel.mail import models as outbox
from panel.mail.models import OutboxMessage
from tests.support.jobs import run_jobs, stop_jobs
from tests.support.ports import free_port
from tests.support.web import make_app

LINK = "http://127.0.0.1/sign-in/staff"


def queue(*addresses: str, round_id: int | None = None) -> None:
    for address in addresses:
        mail.queue(address, "Signing in to FairPanel", "staff_use_password",
                   round_id=round_id, user={"name": "Kim"}, link=LINK)


def rows() -> dict[str, OutboxMessage]:
    db.session.expire_all()
    return {row.recipient: row for row in db.session.scalars(select(OutboxMessage))}


def sending_job() -> Job:
    return db.session.scalars(select(Job).where(Job.kind == "mail.send")).one()


def test_the_e_mail_is_a_row_of_the_transaction_that_causes_it(app, mailbox):
    queue("kim@example.org")
    db.session.rollback()
    assert rows() == {} and db.session.scalars(select(Job)).all() == []
    queue("kim@example.org")
    db.session.commit()
    run_jobs(app)
    (row,) = rows().values()
    assert (row.state, row.attempts, row.last_error) == (outbox.SENT, 1, None)
    assert row.sent_at is not None
    assert [m["To"] for m in mailbox.messages] == ["kim@example.org"]


def test_a_permanent_refusal_fails_that_message_and_the_others_are_sent(app, mailbox):
    queue("a@example.org", "refused-b@example.org", "c@example.org")
    db.session.commit()
    run_jobs(app)
    found = rows()
    assert found["refused-b@example.org"].state == outbox.FAILED
    assert found["refused-b@example.org"].last_error.startswith("550 ")
    assert {found[a].state for a in ("a@example.org", "c@example.org")} == {outbox.SENT}
    job = sending_job()
    assert (job.state, job.attempts, job.result) == (DONE, 1, "2 sent, 1 not delivered")
    assert mailbox.connections == 1


def test_a_temporary_refusal_is_tried_again_after_a_pause(app, mailbox):
    queue("a@example.org", "busy-b@example.org")
    db.session.commit()
    run_jobs(app)
    found = rows()
    assert found["busy-b@example.org"].state == outbox.SENT
    assert found["busy-b@example.org"].attempts == 2  # 451, then accepted
    assert found["a@example.org"].attempts == 1  # sent once, not again with the retry
    job = sending_job()
    assert (job.state, job.attempts) == (DONE, 2)
    assert "MailNotYetSent" in job.last_error
    assert sorted(m["To"] for m in mailbox.messages) == ["a@example.org", "busy-b@example.org"]


def test_a_mail_server_that_never_answers_fails_the_job_after_its_retries(
        database_url, mailbox, tmp_path):
    app = make_app(database_url, mailbox, tmp_path, MAIL_PORT=free_port())
    with app.app_context():
        try:
            queue("kim@example.org")
            db.session.commit()
            run_jobs(app)
            job = sending_job()
            assert job.state == FAILED and job.attempts == 9  # the first try and 8 retries
            assert "ConnectionRefusedError" in job.last_error
            (row,) = rows().values()
            assert row.state == outbox.FAILED and "ConnectionRefusedError" in row.last_error
        finally:
            stop_jobs(app)
            db.session.remove()
            db.engine.dispose()


def test_without_a_mail_server_the_rows_are_written_to_the_folder(app, mailbox):
    app.config["MAIL_SERVER"] = ""
    queue("kim@example.org")
    db.session.commit()
    run_jobs(app)
    (saved,) = Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml")
    assert "kim_at_example.org" in saved.name
    assert rows()["kim@example.org"].state == outbox.SENT and mailbox.messages == []
