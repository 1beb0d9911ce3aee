"""Talking to the app as a browser would: a test client that gives each request its own
application context, the app built for a test, and forms posted with their CSRF token."""
from __future__ import annotations

import contextvars
import io
import re

from flask import has_app_context
from flask.testing import FlaskClient

from panel import create_app
from panel.extensions import db
from tests.support.jobs import settle_mail_of

CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                        r'type="hidden" name="csrf_token" value="([^"]+)"')


class IsolatedClient(FlaskClient):
    """Each request runs in its own application context, as in production, even while the
    test holds one open for its own queries: no shared ``g``, no shared database session."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context() and db.session.registry.has():
            db.session.expire_all()  # the test's own session sees what the request did
        return response


def make_app(database_url: str, mailbox, tmp_path, **overrides):
    settings = dict(
        SQLALCHEMY_DATABASE_URI=database_url,
        MAIL_SERVER=mailbox.host,
        MAIL_PORT=mailbox.port,
        MAIL_OUTBOX_DIR=str(tmp_path / "outbox"),
    )
    settings.update(overrides)
    app = create_app("test", **settings)
    # What the app keeps in its instance folder (the kept reports) stays with the test:
    # tests running side by side number their rounds alike.
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = IsolatedClient
    settle_mail_of(app, mailbox)
    return app


def csrf_token(html: str) -> str:
    found = CSRF_INPUT.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1) or found.group(2)


def submit(client, page: str, data: dict | None = None, action: str | None = None, **kwargs):
    """Open ``page`` like a browser, then post its form (with its CSRF token) to
    ``action`` (default: the page itself)."""
    response = client.get(page)
    fields = {"csrf_token": csrf_token(response.get_data(as_text=True)), **(data or {})}
    return client.post(action or page, data=fields, **kwargs)


def upload(client, path: str, content: bytes, filename: str):
    """Choose a file on the upload page ``path`` and send it: the preview (or problems)."""
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token(page),
                                   "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def confirm_upload(client, preview_html: str, action: str):
    """Press the preview's confirm button (its parked upload's token goes with it)."""
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview_html).group(1)
    return client.post(action, data={"csrf_token": csrf_token(preview_html), "token": token})
