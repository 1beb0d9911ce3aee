"""Fixtures shared by every test: a fresh migrated database per test (SQLite or
PostgreSQL, from FAIRPANEL_TEST_DB), a real SMTP server on loopback, a Redis when asked
(redis_url, or dead_redis_url for one that is down), the app, its
test client and command runner, an officer signed in; and the rounds many test files
build (tests/builders/): the worked example, its meeting, the scored demo round, a
round with a rich decision trail, a world with every kind of page."""
from __future__ import annotations

import os

import pytest

from panel.extensions import db
from tests.builders import people
from tests.builders.demo import demo_decided  # noqa: F401  (fixtures every test file may ask for)
from tests.builders.every_page import world  # noqa: F401
from tests.builders.lottery import lottery_round  # noqa: F401
from tests.builders.meetings import chair, lived, meeting_round  # noqa: F401
from tests.builders.small_groups import lone_round  # noqa: F401
from tests.builders.trail import audited_round  # noqa: F401
from tests.builders.worked import worked_round  # noqa: F401
from tests.support.databases import PostgresDatabases, SqliteDatabases
from tests.support.jobs import stop_jobs
from tests.support.redis_server import dead_redis_url, redis_url  # noqa: F401
from tests.support.smtp import SmtpServer
from tests.support.url_builders import share as share_url_builders
from tests.support.web import make_app

share_url_builders()

BACKEND = os.environ.get("FAIRPANEL_TEST_DB", "sqlite")


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


@pytest.fixture
def app(database_url, mailbox, tmp_path):
    app = make_app(database_url, mailbox, tmp_path)
    with app.app_context():
        yield app
        stop_jobs(app)
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
    people.staff("officer@example.org", "officer")
    people.sign_in_staff(client, "officer@example.org")
    return client

