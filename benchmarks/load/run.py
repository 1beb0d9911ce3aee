"""Load: gunicorn (4 workers) on PostgreSQL, N simulated panellists for T seconds.

Each simulated panellist signs in with a one-time link, then loops: their home page, an
application, a question page, and a background save of one answer (the JSON endpoint
scoring.js uses), with `--think` seconds between actions (default 0: as fast as the
server answers). The same number of clients then hits /healthz (one `SELECT 1`) for
the same time: the ceiling of this server on this machine. Prints requests/s, p50, p95
and p99 per endpoint and the errors.

    .venv/bin/python benchmarks/load/run.py [--users 100] [--seconds 60] [--workers 4]

A throwaway PostgreSQL cluster (tests/support/pgcluster.py) is started in a temp folder
and removed afterwards; gunicorn listens on 127.0.0.1 only. Prints figures; never asserts.
The sign-in rate limits are raised for the run (all clients share one address)."""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from panel import create_app  # noqa: E402
from tests.support.pgcluster import PgCluster, free_port  # noqa: E402

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def prepare(url: str, users: int) -> tuple[str, list[tuple[str, str]]]:
    """A round in scoring with ``users`` panellists, each assigned 5 applications and
    having said "no connection" to them; returns the slug and (token, reference) each."""
    from datetime import timedelta

    from flask_migrate import upgrade

    from panel.accounts import services as accounts
    from panel.extensions import db
    from panel.rounds import services as rounds
    from panel.rounds.models import Assignment, Criterion, Group, Round
    from panel.scoring import services as scoring

    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        round_ = Round(slug="load", title="Load round", budget=1_000_000, phase="draft")
        round_.groups = [Group(key="academic", label="Academic", position=0),
                         Group(key="lived_experience", label="Lived experience", position=1)]
        round_.criteria = [Criterion(key=f"c{n}", name=f"Criterion {n}", weight=1, position=n)
                           for n in range(4)]
        db.session.add(round_)
        db.session.flush()
        for n in range(50):
            rounds.add_application(None, round_, {
                "reference": f"L{n:03}", "title": f"Project {n}", "lay_summary": "x" * 400,
                "requested_amount": 10_000, "applicant_name": "A", "organisation": "O",
                "contact_email": "a@o.example"}, system="load")
        sessions = []
        for n in range(users):
            user = accounts.create_account(None, email=f"p{n}@load.example", name=f"P {n}",
                                           system="load")
            group = "lived_experience" if n % 2 else "academic"
            member = rounds.add_member(None, round_, user, group_key=group, system="load")
            db.session.flush()
            apps = [round_.applications[(n + k) % 50] for k in range(5)]
            for application in apps:
                db.session.add(Assignment(member_id=member.id, application_id=application.id))
            token = accounts._issue_token(user, "sign_in", timedelta(hours=2))
            sessions.append((token, apps[0].reference))
        round_.phase = "scoring"
        db.session.commit()
        for assignment in db.session.query(Assignment).all():
            scoring.answer_no_connection(assignment.member.user, assignment)
        db.session.commit()
    return "load", sessions


class Client:
    def __init__(self, port: int) -> None:
        self.port, self.cookie = port, ""

    def call(self, method: str, path: str, body: str = "", headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            sent = {**(headers or {}), **({"Cookie": self.cookie} if self.cookie else {})}
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read().decode("utf-8", "replace")
            cookie = response.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";")[0]
            return response.status, data
        finally:
            connection.close()


def run(port: int, sessions, seconds: float, think: float, ceiling: bool):
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def timed(client, name, method, path, body="", headers=None, ok=(200,)):
        started = time.perf_counter()
        try:
            status, data = client.call(method, path, body, headers)
        except OSError:
            status, data = 0, ""
        took = time.perf_counter() - started
        with lock:
            timings[name].append(took)
            if status not in ok:
                errors[name] += 1
        return status, data

    def user(token, reference):
        client = Client(port)
        if not ceiling:
            _, page = client.call("GET", f"/sign-in/link/{token}")
            found = CSRF.search(page)
            if not found:
                with lock:
                    errors["sign in"] += 1
                return
            timed(client, "sign in", "POST", f"/sign-in/link/{token}",
                  f"csrf_token={found.group(1)}",
                  {"Content-Type": "application/x-www-form-urlencoded"}, ok=(302,))
        base = f"/my-rounds/load/{reference}"
        n = 0
        while time.monotonic() < deadline:
            if ceiling:
                timed(client, "GET /healthz", "GET", "/healthz")
                continue
            timed(client, "GET /my-rounds", "GET", "/my-rounds")
            timed(client, "GET application", "GET", f"{base}/application")
            status, page = timed(client, "GET question", "GET", f"{base}/question/1")
            token_found = META_CSRF.search(page) or CSRF.search(page)
            version = re.search(r'name="version"[^>]*value="(\d+)"', page)
            if token_found:
                body = json.dumps({"version": int(version.group(1)) if version else 0,
                                   "scores": {"c0": str(1 + n % 5)}})
                timed(client, "POST save (JSON)", "POST", f"{base}/save", body,
                      {"Content-Type": "application/json",
                       "X-CSRFToken": token_found.group(1)})
            n += 1
            if think:
                time.sleep(think)

    threads = [threading.Thread(target=user, args=s) for s in sessions]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors, time.monotonic() - started


def report(title: str, timings, errors, elapsed: float) -> float:
    total = sum(len(v) for v in timings.values())
    print(f"\n{title}: {total:,} requests in {elapsed:.1f} s = {total / elapsed:,.0f} requests/s, "
          f"{sum(errors.values())} errors")
    print(f"  {'endpoint':<22}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, values in sorted(timings.items()):
        values = sorted(values)
        pick = lambda q: values[min(len(values) - 1, int(q * len(values)))] * 1000  # noqa: E731
        print(f"  {name:<22}{len(values):>8}{statistics.median(values) * 1000:>9.1f}"
              f"{pick(0.95):>9.1f}{pick(0.99):>9.1f}{errors.get(name, 0):>8}")
    return total / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=0.0)
    args = parser.parse_args()
    cluster = PgCluster().start()
    try:
        url = cluster.url()
        slug, sessions = prepare(url, args.users)
        port = free_port()
        env = {**os.environ, "FAIRPANEL_CONFIG": "production", "DATABASE_URL": url,
               "SECRET_KEY": "load-benchmark", "SESSION_COOKIE_SECURE": "false",
               "TOTP_REQUIRED": "false", "SIGN_IN_RATE_LIMIT": "100000 per minute",
               "SIGN_IN_PER_EMAIL_LIMIT": "100000 per minute", "MAIL_SERVER": ""}
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(args.workers),
             "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    Client(port).call("GET", "/healthz")
                    break
                except OSError:
                    time.sleep(0.2)
            print(f"gunicorn {args.workers} workers on PostgreSQL; {args.users} simulated "
                  f"panellists for {args.seconds:.0f} s, think time {args.think} s; "
                  f"{os.cpu_count()} CPU cores shared by server, database and clients")
            app_rate = report("Panellists", *run(port, sessions, args.seconds, args.think,
                                                 ceiling=False))
            ceiling = report("Ceiling (/healthz)", *run(port, sessions, args.seconds, 0,
                                                        ceiling=True))
            print(f"\nThroughput against the ceiling: {100 * app_rate / ceiling:.0f} %")
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
