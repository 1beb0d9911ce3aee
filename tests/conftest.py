"""Fixtures shared by every test: a fresh migrated database per test (SQLite or
PostgreSQL, from FAIRPANEL_TEST_DB), a real SMTP server on loopback, the app, its
test client and command runner."""
from __future__ import annotations

import contextvars
import os
import re

import pytest
from flask import has_app_context
from flask.testing import FlaskClient

from panel import create_app
from panel.extensions import db
from tests.support.databases import PostgresDatabases, SqliteDatabases
from tests.support.smtp import SmtpServer

BACKEND = os.environ.get("FAIRPANEL_TEST_DB", "sqlite")
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                        r'type="hidden" name="csrf_token" value="([^"]+)"')


def pytest_report_header(config):
    return f"FairPanel test database: {BACKEND}"


def pytest_collection_modifyitems(config, items):
    if BACKEND == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with FAIRPANEL_TEST_DB=postgresql)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    factory = (PostgresDatabases() if BACKEND == "postgresql"
               else SqliteDatabases(tmp_path_factory.mktemp("databases")))
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def smtp_server():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server):
    box = smtp_server.mailbox()
    box.clear()
    return box


@pytest.fixture
def database_url(databases):
    url = databases.create()
    yield url
    databases.drop(url)


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
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture
def app(database_url, mailbox, tmp_path):
    app = make_app(database_url, mailbox, tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def officer(app, client):
    """The test client, signed in as a programme officer."""
    from tests import builders

    builders.staff("officer@example.org", "officer")
    builders.sign_in_staff(client, "officer@example.org")
    return client


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
