"""Outgoing e-mail. Services queue messages; they are sent only after the transaction
that produced them commits, and dropped if it rolls back, so nobody is e-mailed about a
change that did not happen.

With ``MAIL_SERVER`` set, messages go through Flask-Mail's SMTP connection. Without it
(development), each message is printed to the console and saved in ``MAIL_OUTBOX_DIR``
as an ``.eml`` file, so the demo works with no mail server.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from flask import current_app, render_template, url_for
from flask_mail import Message
from sqlalchemy import event
from sqlalchemy.orm import Session

from panel.extensions import db, mail, utcnow

log = logging.getLogger(__name__)
_QUEUE_KEY = "outgoing_mail"


def queue(to: str, subject: str, template: str, **context) -> None:
    """Queue ``templates/emails/<template>.txt`` for ``to``; sent after commit."""
    body = render_template(f"emails/{template}.txt", **context)
    message = Message(subject=subject, recipients=[to], body=body)
    db.session.info.setdefault(_QUEUE_KEY, []).append(message)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for e-mails, always on BASE_URL (never the request's Host header)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    with current_app.test_request_context("/"):
        return base + url_for(endpoint, **values)


def deliver(message: Message) -> None:
    if current_app.config.get("MAIL_SERVER"):
        mail.send(message)
    else:
        _write_to_outbox(message)


def _write_to_outbox(message: Message) -> None:
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


@event.listens_for(Session, "after_commit")
def _send_queued(session: Session) -> None:
    messages = session.info.pop(_QUEUE_KEY, [])
    for message in messages:
        try:
            deliver(message)
        except Exception:  # the change stands; a lost e-mail is logged, not fatal
            log.exception("Could not send e-mail %r to %s", message.subject, message.recipients)


@event.listens_for(Session, "after_rollback")
def _drop_queued(session: Session) -> None:
    session.info.pop(_QUEUE_KEY, None)
