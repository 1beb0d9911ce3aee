"""The job that sends the outbox: one job per transaction that queued mail, sending its
messages in batches over one SMTP connection and recording, per message, that it was
sent or why not.

- A temporary failure (a 4xx reply, a dropped or refused connection) leaves the message
  pending; the job then fails and Dramatiq retries it with back-off, sending only what is
  still pending. On the last attempt, what is still pending is marked failed.
- A permanent refusal (a 5xx reply) marks that message failed at once; the others go on.
- Each batch is committed as it is sent, so a worker killed part-way leaves the sent
  ones marked sent, and the job's next run sends only the rest (at most the one message
  in flight at the kill can arrive twice: SMTP cannot be part of our transaction).
"""
from __future__ import annotations

import logging
import smtplib
import sys
from pathlib import Path
from typing import Self

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_mail import Message
from sqlalchemy import select

from panel.extensions import db, mail, utcnow
from panel.jobs.queue import job
from panel.mail.models import FAILED, PENDING, SENT, OutboxMessage

log = logging.getLogger(__name__)
BATCH = 50
MAX_RETRIES = 8  # with Dramatiq's back-off from JOBS_MIN_BACKOFF_MS: about an hour in all
TRANSIENT = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError,
             TimeoutError, OSError)


class MailNotYetSent(Exception):
    """Some messages met a temporary failure: the job is retried with back-off."""


@job("mail.send", _l("Sending e-mail"), queue="mail", max_retries=MAX_RETRIES)
def send_outbox(row) -> str:
    """Send the messages of job ``row`` that are not sent yet."""
    # Dramatiq's, imported where jobs run (a command that only queues mail never does)
    from panel.jobs.runner import is_last_attempt

    ids = list(db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.job_id == row.id,
                                       OutboxMessage.state == PENDING)
        .order_by(OutboxMessage.id)))
    row.progress_done = db.session.scalar(
        select(db.func.count()).where(OutboxMessage.job_id == row.id,
                                      OutboxMessage.state.in_((SENT, FAILED))))
    try:
        if ids:
            with _Connection() as connection:
                for start in range(0, len(ids), BATCH):
                    _send_batch(connection, row, ids[start:start + BATCH])
    except TRANSIENT as error:
        if is_last_attempt():  # the job fails; its messages say why they were not sent
            _give_up(row, f"{type(error).__name__}: {error}")
            db.session.commit()
        raise
    waiting = db.session.scalar(select(db.func.count()).where(
        OutboxMessage.job_id == row.id, OutboxMessage.state == PENDING))
    if waiting:
        if not is_last_attempt():
            raise MailNotYetSent(ngettext("%(num)d message met a temporary failure; retrying",
                                          "%(num)d messages met a temporary failure; retrying",
                                          waiting))
        _give_up(row, "still refused for now after every retry")
    return _summary(row)


def _send_batch(connection, row, ids: list[int]) -> None:
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                                  .order_by(OutboxMessage.id)).all()
    try:
        for message in messages:
            _send_one(connection, message)
            if message.state != PENDING:
                row.progress_done += 1
    finally:
        db.session.commit()  # what was sent stays sent, even if the connection then broke


def _send_one(connection, message: OutboxMessage) -> None:
    message.attempts += 1
    try:
        connection.deliver(Message(subject=message.subject, recipients=[message.recipient],
                                   body=message.body))
    except smtplib.SMTPRecipientsRefused as refusal:
        code, text = next(iter(refusal.recipients.values()))
        _refused(message, code, text)
    except smtplib.SMTPResponseException as refusal:
        _refused(message, refusal.smtp_code, refusal.smtp_error)
    except TRANSIENT as error:
        message.last_error = f"{type(error).__name__}: {error}"
        raise  # the connection is gone: the job is retried later
    else:
        message.state, message.sent_at, message.last_error = SENT, utcnow(), None


def _refused(message: OutboxMessage, code: int, text) -> None:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    message.last_error = f"{code} {text}"
    message.state = FAILED if 500 <= code < 600 else PENDING


def _give_up(row, reason: str) -> None:
    for message in db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.job_id == row.id, OutboxMessage.state == PENDING)):
        message.state = FAILED
        message.last_error = f"{message.last_error} ({reason})" if message.last_error else reason


def _summary(row) -> str:
    counts = dict(db.session.execute(
        select(OutboxMessage.state, db.func.count()).where(OutboxMessage.job_id == row.id)
        .group_by(OutboxMessage.state)).all())
    sent, failed = counts.get(SENT, 0), counts.get(FAILED, 0)
    if failed:
        return _("%(sent)d sent, %(failed)d not delivered", sent=sent, failed=failed)
    return _("%(sent)d sent", sent=sent)


class _Connection:
    """One SMTP connection for the whole job (Flask-Mail's ``mail.connect()``), or the
    development outbox folder when no mail server is configured."""

    def __enter__(self) -> Self:
        self.smtp = mail.connect() if current_app.config.get("MAIL_SERVER") else None
        if self.smtp is not None:
            self.smtp.__enter__()
        return self

    def deliver(self, message: Message) -> None:
        if self.smtp is None:
            write_to_folder(message)
        else:
            self.smtp.send(message)

    def __exit__(self, kind, error, traceback) -> None:
        if self.smtp is not None:
            try:
                self.smtp.__exit__(kind, error, traceback)
            except (smtplib.SMTPException, OSError):
                log.warning("The SMTP connection did not close cleanly", exc_info=True)


def write_to_folder(message: Message) -> None:
    """Development: print the message and keep it as an .eml file in MAIL_OUTBOX_DIR."""
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    recipient = message.recipients[0].replace("@", "_at_")
    path = outbox / f"{stamp}-{recipient}.eml"
    path.write_text(message.as_string(), encoding="utf-8")
    print(
        f"\n--- e-mail to {', '.join(message.recipients)} (saved in {path}) ---\n"
        f"Subject: {message.subject}\n\n{message.body}\n--- end of e-mail ---\n",
        file=sys.stderr,
        flush=True,
    )
