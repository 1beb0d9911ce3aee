"""Production refuses to start with settings that are only safe on a laptop (issue 16),
saying which setting and what to set: no SECRET_KEY, BASE_URL left at its default, and
the in-memory rate-limit store under several gunicorn workers. create_app checks the
settings; panel/gunicorn_conf.py checks them again with gunicorn's number of workers, before
any worker starts (real gunicorn processes here)."""
from __future__ import annotations

import pytest

from config import startup_problems
from panel import create_app
from panel.extensions import db
from tests.support.gunicorn import Gunicorn, refusal

PUBLIC = "https://panel.example.org"
SET_BASE_URL = "Set BASE_URL to the public address people open, e.g. https://panel.example.org"
SET_SECRET_KEY = "SECRET_KEY is not set. Set it to a long random string: python3 -c"
SET_REDIS = "Set RATELIMIT_STORAGE_URI=redis://HOST:6379/0 (one Redis shared by all workers)"
PRODUCTION = {"FAIRPANEL_CONFIG": "production", "SECRET_KEY": "a production secret",
              "BASE_URL": PUBLIC, "RATELIMIT_STORAGE_URI": "memory://"}


def production(database_url: str, **settings):
    return create_app("production", SQLALCHEMY_DATABASE_URI=database_url, **settings)


def test_production_refuses_base_url_left_at_its_default(database_url):
    with pytest.raises(RuntimeError) as refused:
        production(database_url, SECRET_KEY="a production secret")
    assert "FairPanel will not start until this is fixed" in str(refused.value)
    assert "BASE_URL is left at its default, http://127.0.0.1:5000" in str(refused.value)
    assert SET_BASE_URL in str(refused.value)


def test_production_refuses_to_start_without_secret_key(database_url):
    with pytest.raises(RuntimeError, match=SET_SECRET_KEY):
        production(database_url, SECRET_KEY="", BASE_URL=PUBLIC)


def test_production_starts_once_they_are_set(database_url):
    app = production(database_url, SECRET_KEY="a production secret", BASE_URL=PUBLIC)
    with app.app_context():
        assert app.test_client().get("/healthz").status_code == 200
        db.session.remove()
        db.engine.dispose()


def test_development_keeps_its_defaults():
    development = {"SECRET_KEY": "dev", "BASE_URL": "http://127.0.0.1:5000",
                   "RATELIMIT_STORAGE_URI": "memory://", "PRODUCTION": False}
    assert startup_problems(development, workers=4) == []


def test_the_memory_store_is_refused_only_with_several_workers():
    settings = {"SECRET_KEY": "s", "BASE_URL": PUBLIC, "PRODUCTION": True,
                "RATELIMIT_STORAGE_URI": "memory://"}
    assert startup_problems(settings, workers=1) == []
    [problem] = startup_problems(settings, workers=4)
    assert problem.startswith("RATELIMIT_STORAGE_URI is memory:// but gunicorn runs 4 workers")
    assert SET_REDIS in problem
    assert startup_problems({**settings, "RATELIMIT_STORAGE_URI": "redis://r:6379/0"},
                            workers=4) == []


def test_gunicorn_refuses_several_workers_on_the_memory_store(database_url):
    status, output = refusal(database_url, "--workers", "2", **PRODUCTION)
    assert status == 1, output
    assert "RATELIMIT_STORAGE_URI is memory:// but gunicorn runs 2 workers" in output
    assert SET_REDIS in output


def test_gunicorn_counts_the_workers_web_concurrency_asks_for(database_url):
    status, output = refusal(database_url, **PRODUCTION, WEB_CONCURRENCY="3")
    assert status == 1 and "gunicorn runs 3 workers" in output, output


def test_gunicorn_refuses_production_left_with_the_default_base_url(database_url):
    settings = {key: value for key, value in PRODUCTION.items() if key != "BASE_URL"}
    status, output = refusal(database_url, "--workers", "1", **settings)
    assert status == 1 and SET_BASE_URL in output, output


def test_gunicorn_runs_several_production_workers_on_redis(database_url, redis_url):
    server = Gunicorn(database_url, 2, **{**PRODUCTION, "RATELIMIT_STORAGE_URI": redis_url})
    try:
        status, _, _ = server.request("GET", "/healthz")
        assert status == 200 and len(server.workers()) == 2
    finally:
        server.stop()
