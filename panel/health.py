"""What ``/healthz`` checks, for a load balancer or a monitor: each part FairPanel needs
to serve people, by name, without signing in and without personal data.

A part is a function that returns how it is ("ok", or why there is nothing to check)
or raises :class:`Unhealthy` saying what is wrong.
"""
from __future__ import annotations

from collections.abc import Callable

import redis
from flask import current_app
from limits.storage import storage_from_string
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from panel.extensions import db, redis_client


class Unhealthy(Exception):
    """A part that does not work; the message says how (never an address or a secret)."""


def database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        raise Unhealthy("the database does not answer") from None
    return "ok"


def rate_limit_store() -> str:
    """The shared store of sign-in attempt counts (Redis), when one is configured."""
    uri = current_app.config["RATELIMIT_STORAGE_URI"]
    if uri.startswith("memory://"):
        return "not configured: each worker counts in its own memory"
    store = current_app.extensions.get("fairpanel.health.store")
    if store is None:
        store = storage_from_string(uri, **current_app.config["RATELIMIT_STORAGE_OPTIONS"])
        current_app.extensions["fairpanel.health.store"] = store
    if not store.check():
        raise Unhealthy("the rate-limit store (RATELIMIT_STORAGE_URI) does not answer; "
                        "each worker counts sign-in attempts in its own memory until it does")
    return "ok"


def figures_cache() -> str:
    """The Redis the meeting's figures are shared through (REDIS_URL), when set. While
    it does not answer, each process computes its own and pages still answer."""
    url = current_app.config.get("CACHE_REDIS_URL")
    if not url:
        return "not configured: each process computes the figures it shows"
    try:
        redis_client(url).ping()
    except redis.RedisError:
        raise Unhealthy("the figures cache (REDIS_URL) does not answer; each process "
                        "computes the figures it shows until it does") from None
    return "ok"


def queue() -> str:
    """The Redis the background jobs go through (JOBS_REDIS_URL, by default REDIS_URL),
    when set. While it does not answer, changes are still saved (with their e-mails in
    the outbox) but their jobs wait until it does."""
    url = current_app.config.get("JOBS_REDIS_URL")
    if not url:
        return IN_PROCESS
    try:
        redis_client(url).ping()
    except redis.RedisError:
        raise Unhealthy("the job queue (REDIS_URL) does not answer; e-mail and other "
                        "background work wait until it does") from None
    return "ok"


IN_PROCESS = "in process: each app process runs its own background jobs"


PARTS: dict[str, Callable[[], str]] = {
    "database": database,
    "rate_limit_store": rate_limit_store,
    "figures_cache": figures_cache,
    "queue": queue,
}


def check() -> tuple[bool, dict]:
    """(all healthy, what to answer): each part's state, and "ok" or "failing"."""
    states, healthy = {}, True
    for name, part in PARTS.items():
        try:
            states[name] = {"ok": True, "state": part()}
        except Unhealthy as problem:
            states[name] = {"ok": False, "state": str(problem)}
            healthy = False
    return healthy, {"status": "ok" if healthy else "failing", "checks": states}
