"""Sign-in rate limits hold across every gunicorn worker (issue 8): each worker is its
own process, so the count of attempts must live in a shared store. Two real gunicorn
servers (separate processes, as workers are) share one Redis; attempts for one e-mail
alternate between them, and the limit holds for the pair. The in-process store, shown
for contrast, counts per process: the same attempts get through twice as often, which
is why production needs RATELIMIT_STORAGE_URI=redis://…"""
from __future__ import annotations

import re

from tests.builders import people
from tests.support.gunicorn import Gunicorn

EMAIL = "officer@example.org"
PER_EMAIL = 3  # attempts per minute for one address


def start_server(database_url: str, storage: str) -> Gunicorn:
    """One worker: a separate process like any worker."""
    return Gunicorn(database_url, RATELIMIT_STORAGE_URI=storage,
                    SIGN_IN_RATE_LIMIT="100 per minute",
                    SIGN_IN_PER_EMAIL_LIMIT=f"{PER_EMAIL} per minute", SECRET_KEY="shared")


def attempts(servers: list[Gunicorn], count: int) -> list[int]:
    """Wrong-password attempts for EMAIL, alternating between the servers; each server's
    own session cookie and CSRF token. Returns the status codes in order."""
    forms = []
    for server in servers:
        _, headers, page = server.request("GET", "/sign-in/staff")
        cookie = headers["Set-Cookie"].split(";")[0]
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        forms.append((cookie, token))
    statuses = []
    for n in range(count):
        server, (cookie, token) = servers[n % len(servers)], forms[n % len(servers)]
        body = f"csrf_token={token}&email={EMAIL}&password=wrong+password+{n}"
        status, _, _ = server.request("POST", "/sign-in/staff", body, {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        statuses.append(status)
    return statuses


def run_servers(database_url: str, storage: str) -> list[int]:
    servers = [start_server(database_url, storage), start_server(database_url, storage)]
    try:
        return attempts(servers, 8)
    finally:
        for server in servers:
            server.stop()


def test_the_per_address_limit_holds_across_workers_with_redis(app, database_url, redis_url):
    people.staff(EMAIL, "officer")
    statuses = run_servers(database_url, redis_url)
    assert statuses == [200] * PER_EMAIL + [429] * (8 - PER_EMAIL)


def test_the_in_process_store_counts_per_worker(app, database_url):
    people.staff(EMAIL, "officer")
    statuses = run_servers(database_url, "memory://")
    # Each of the two processes lets PER_EMAIL through: twice the limit.
    assert statuses.count(200) == 2 * PER_EMAIL
