"""/healthz (issue 16, panel/health.py): for a load balancer or a monitor, 200 with JSON
when the database, the rate-limit store (Redis, when configured) and the queue answer,
503 naming the part that does not. Anyone may ask; it says nothing about anybody, is
never rate-limited and never on the decision trail. Real Redis servers, up and down."""
from __future__ import annotations

import sqlalchemy as sa

from panel.audit.models import AuditEvent
from panel.extensions import db
from tests.support.ports import free_port
from tests.support.web import make_app

NO_STORE = "not configured: each worker counts in its own memory"
NO_QUEUE = "in process: each app process runs its own background jobs"


def health_of(database_url, mailbox, tmp_path, **settings):
    """(status, JSON) of /healthz on an app built with ``settings``."""
    app = make_app(database_url, mailbox, tmp_path, **settings)
    with app.app_context():
        response = app.test_client().get("/healthz")
        db.session.remove()
        db.engine.dispose()
    return response.status_code, response.get_json()


def test_all_well_is_200_with_each_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.is_json
    assert response.get_json() == {"status": "ok", "checks": {
        "database": {"ok": True, "state": "ok"},
        "rate_limit_store": {"ok": True, "state": NO_STORE},
        "figures_cache": {"ok": True,
                          "state": "not configured: each process computes the figures it shows"},
        "queue": {"ok": True, "state": NO_QUEUE}}}


def test_a_shared_redis_that_answers_is_checked(database_url, mailbox, tmp_path, redis_url):
    status, answer = health_of(database_url, mailbox, tmp_path, RATELIMIT_STORAGE_URI=redis_url)
    assert status == 200
    assert answer["checks"]["rate_limit_store"] == {"ok": True, "state": "ok"}


def test_the_figures_cache_is_checked_when_redis_url_is_set(database_url, mailbox, tmp_path,
                                                           redis_url, dead_redis_url):
    status, answer = health_of(database_url, mailbox, tmp_path, CACHE_TYPE="RedisCache",
                               CACHE_REDIS_URL=redis_url)
    assert status == 200 and answer["checks"]["figures_cache"] == {"ok": True, "state": "ok"}
    status, answer = health_of(database_url, mailbox, tmp_path, CACHE_TYPE="RedisCache",
                               CACHE_REDIS_URL=dead_redis_url)
    assert status == 503 and answer["checks"]["figures_cache"]["ok"] is False
    assert answer["checks"]["figures_cache"]["state"].startswith(
        "the figures cache (REDIS_URL) does not answer")


def test_the_job_queue_is_checked_when_it_is_on_redis(database_url, mailbox, tmp_path,
                                                     redis_url, dead_redis_url):
    status, answer = health_of(database_url, mailbox, tmp_path, JOBS_REDIS_URL=redis_url)
    assert status == 200 and answer["checks"]["queue"] == {"ok": True, "state": "ok"}
    status, answer = health_of(database_url, mailbox, tmp_path, JOBS_REDIS_URL=dead_redis_url)
    assert status == 503 and answer["checks"]["queue"]["ok"] is False
    assert answer["checks"]["queue"]["state"].startswith("the job queue (REDIS_URL) does not")


def test_a_redis_that_is_down_is_503_naming_it(database_url, mailbox, tmp_path, dead_redis_url):
    status, answer = health_of(database_url, mailbox, tmp_path,
                               RATELIMIT_STORAGE_URI=dead_redis_url)
    assert status == 503 and answer["status"] == "failing"
    assert answer["checks"]["database"] == {"ok": True, "state": "ok"}
    store = answer["checks"]["rate_limit_store"]
    assert store["ok"] is False
    assert store["state"].startswith("the rate-limit store (RATELIMIT_STORAGE_URI) does not answer")
    assert "127.0.0.1" not in str(answer)  # where it lives is for the operator's settings


def test_a_database_that_is_down_is_503_naming_it(mailbox, tmp_path):
    down = f"postgresql+psycopg://fairpanel@127.0.0.1:{free_port()}/fairpanel"
    status, answer = health_of(down, mailbox, tmp_path)
    assert status == 503
    assert answer["checks"]["database"] == {"ok": False, "state": "the database does not answer"}
    assert answer["checks"]["queue"]["ok"] is True


def test_anyone_may_ask_often_and_nothing_is_recorded(database_url, mailbox, tmp_path):
    app = make_app(database_url, mailbox, tmp_path, RATELIMIT_ENABLED=True,
                   SIGN_IN_RATE_LIMIT="1 per minute")
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        client = app.test_client()
        responses = [client.get("/healthz") for _ in range(20)]
        after = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        db.session.remove()
        db.engine.dispose()
    assert [r.status_code for r in responses] == [200] * 20
    assert after == before
    assert all("Set-Cookie" not in r.headers for r in responses)
