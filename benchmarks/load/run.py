"""Load: gunicorn (4 workers) on PostgreSQL, N simulated panellists, three runs of T seconds.

Each simulated panellist signs in with a one-time link, then loops: their home page, an
application, a question page, and a background save of one answer (the JSON endpoint
scoring.js uses). Three runs, each with fresh sign-ins:

1. **at pace**: every panellist waits a random 0.5–1.5 s (``--think-min``/``--think-max``)
   before each request, and they start spread over the first think time. 100 panellists
   then ask for about 100 pages a second: some 20–60 times what a real panel does (a
   person reads an application and picks a score in tens of seconds). Latency targets
   are judged here.
2. **flat out**: no waiting at all, so the server is the limit: its most requests/s.
3. **ceiling**: the same clients, flat out, on /healthz (one ``SELECT 1`` and a Redis
   ``PING``): the most this server answers on this machine. The share of the ceiling is run 2 against run 3.
4. **signed-in floor**: the same, but each client signed in first, so every request also
   reads the session cookie and loads the person (one statement) before its ``SELECT 1``:
   the most any page for a signed-in panellist could reach, before it reads or renders
   anything of its own.

Before them, 5 s flat out (``--warm-up``) that is not reported, so every worker has
compiled its templates and opened its database connection, as on a server that has been
up a while.

Prints requests/s, p50, p95 and p99 per endpoint, the errors, the CPU the load generator
itself used (it shares the machine), and each figure against its target.

    .venv/bin/python benchmarks/load/run.py [--users 100] [--seconds 60] [--workers 4]
        [--runs pace flat ceiling floor]

1,000 panellists at a slower pace (issue 17): ``--users 1000 --think-min 15 --think-max 45
--seconds 120 --runs pace``. The flat-out comparison with bare Flask is benchmarks/load/wrk.py.

Why not judge latency flat out: 100 clients that never wait, on 4 sync workers, queue by
construction. By Little's law the mean wait is clients / throughput, so p95 ≤ 50 ms with
100 such clients would need well over 2,000 requests/s, more than this server answers
for ``SELECT 1``.

A throwaway PostgreSQL cluster (tests/support/pgcluster.py) is started in a temp folder
and removed afterwards; gunicorn listens on 127.0.0.1 only. Prints figures; never asserts.
The sign-in rate limits are raised for the run (all clients share one address)."""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
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
from tests.support.pgcluster import PgCluster  # noqa: E402
from tests.support.ports import free_port  # noqa: E402
from tests.support.redis_server import RedisServer

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def prepare(url: str, users: int, runs: int) -> tuple[str, list[list[tuple[str, str]]]]:
    """A round in scoring with ``users`` panellists, each assigned 5 applications and
    having said "no connection" to them; returns the slug and, for each of ``runs``
    runs, a (one-time sign-in token, reference) per panellist."""
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
        sessions: list[list[tuple[str, str]]] = [[] for _ in range(runs)]
        for n in range(users):
            user = accounts.create_account(None, email=f"p{n}@load.example", name=f"P {n}",
                                           system="load")
            group = "lived_experience" if n % 2 else "academic"
            member = rounds.add_member(None, round_, user, group_key=group, system="load")
            db.session.flush()
            apps = [round_.applications[(n + k) % 50] for k in range(5)]
            for application in apps:
                db.session.add(Assignment(member_id=member.id, application_id=application.id))
            for run_sessions in sessions:
                token = accounts._issue_token(user, "sign_in", timedelta(hours=2))
                run_sessions.append((token, apps[0].reference))
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


def run(port: int, sessions, seconds: float, think: tuple[float, float] | None,
        healthz: bool = False, sign_in: bool = True):
    """Every simulated panellist in its own thread for ``seconds``; ``think`` is the
    (least, most) wait before each request, or None to never wait. With ``healthz`` they
    ask for /healthz over and over instead of their pages (signed in or not)."""
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def pause(rng):
        if think:
            time.sleep(rng.uniform(*think))

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

    def user(number, token, reference):
        rng = random.Random(number)
        client = Client(port)
        if think:  # people do not all arrive in the same millisecond
            time.sleep(rng.uniform(0, think[1]))
        if sign_in:
            _, page = timed(client, "GET sign-in link", "GET", f"/sign-in/link/{token}")
            found = CSRF.search(page)
            if not found:
                return
            pause(rng)
            timed(client, "POST sign in", "POST", f"/sign-in/link/{token}",
                  f"csrf_token={found.group(1)}",
                  {"Content-Type": "application/x-www-form-urlencoded"}, ok=(302,))
        base = f"/my-rounds/load/{reference}"
        n = 0
        while time.monotonic() < deadline:
            if healthz:
                timed(client, "GET /healthz", "GET", "/healthz")
                continue
            pause(rng)
            timed(client, "GET /my-rounds", "GET", "/my-rounds")
            pause(rng)
            timed(client, "GET application", "GET", f"{base}/application")
            pause(rng)
            status, page = timed(client, "GET question", "GET", f"{base}/question/1")
            token_found = META_CSRF.search(page) or CSRF.search(page)
            version = re.search(r'name="version"[^>]*value="(\d+)"', page)
            if token_found:
                body = json.dumps({"version": int(version.group(1)) if version else 0,
                                   "scores": {"c0": str(1 + n % 5)}})
                pause(rng)
                timed(client, "POST save (JSON)", "POST", f"{base}/save", body,
                      {"Content-Type": "application/json",
                       "X-CSRFToken": token_found.group(1)})
            n += 1

    threads = [threading.Thread(target=user, args=(n, *s)) for n, s in enumerate(sessions)]
    started, cpu = time.monotonic(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return timings, errors, elapsed, (time.process_time() - cpu) / elapsed


def server_env(url: str, rate_limit_store: str) -> dict:
    """gunicorn's environment: production settings on ``url``, sign-in limits raised (all
    clients share one address), plain http on loopback."""
    return {**os.environ, "FAIRPANEL_CONFIG": "production", "DATABASE_URL": url,
            "SECRET_KEY": "load-benchmark", "SESSION_COOKIE_SECURE": "false",
            "BASE_URL": "https://panel.example.org", "RATELIMIT_STORAGE_URI": rate_limit_store,
            "TOTP_REQUIRED": "false", "SIGN_IN_RATE_LIMIT": "100000 per minute",
            "SIGN_IN_PER_EMAIL_LIMIT": "100000 per minute", "MAIL_SERVER": ""}


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def report(title: str, timings, errors, elapsed: float, generator_cpu: float):
    """Prints one run; returns (requests/s, worst p95 in ms, errors)."""
    total = sum(len(v) for v in timings.values())
    print(f"\n{title} (load average {load()}): {total:,} requests in {elapsed:.1f} s = {total / elapsed:,.0f} "
          f"requests/s, {sum(errors.values())} errors; the load generator used "
          f"{generator_cpu:.0%} of one core")
    print(f"  {'endpoint':<22}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    worst = 0.0
    for name, values in sorted(timings.items()):
        values = sorted(values)
        pick = lambda q: values[min(len(values) - 1, int(q * len(values)))] * 1000  # noqa: E731
        worst = max(worst, pick(0.95))
        print(f"  {name:<22}{len(values):>8}{statistics.median(values) * 1000:>9.1f}"
              f"{pick(0.95):>9.1f}{pick(0.99):>9.1f}{errors.get(name, 0):>8}")
    return total / elapsed, worst, sum(errors.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60, help="length of each run")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think-min", type=float, default=0.5)
    parser.add_argument("--think-max", type=float, default=1.5)
    parser.add_argument("--warm-up", type=float, default=5, help="seconds, flat out, not reported")
    parser.add_argument("--runs", nargs="+", default=["pace", "flat", "ceiling", "floor"],
                        choices=["pace", "flat", "ceiling", "floor"],
                        help="which runs (e.g. --users 1000 --think-min 5 --think-max 15 "
                             "--runs pace: 1,000 panellists at a slower pace, issue 17)")
    args = parser.parse_args()
    cluster = PgCluster().start()
    # Several production workers need the shared rate-limit store (panel/gunicorn_conf.py).
    redis_server = RedisServer()
    try:
        url = cluster.url()
        slug, sessions = prepare(url, args.users, runs=4)
        port = free_port()
        env = server_env(url, redis_server.url)
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:panel.gunicorn_conf",
             "--workers", str(args.workers),
             "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    Client(port).call("GET", "/healthz")
                    break
                except OSError:
                    time.sleep(0.2)
            # A server that has been up a while: every worker has compiled its templates,
            # opened its database connection and prepared its statements. Not reported.
            # 50 of them flat out: enough to warm 4 workers without 1,000 threads racing.
            run(port, sessions[3][:50], args.warm_up, None)
            think = (args.think_min, args.think_max)
            print(f"gunicorn {args.workers} workers on PostgreSQL; {args.users} simulated "
                  f"panellists, {args.seconds:.0f} s per run; {os.cpu_count()} CPU cores "
                  f"shared by server, database and load generator; load average {load()}")
            results = {}
            if "pace" in args.runs:
                results["pace"] = report(
                    f"1. At pace (a random {think[0]}–{think[1]} s before each request)",
                    *run(port, sessions[0], args.seconds, think))
            if "flat" in args.runs:
                results["flat"] = report(
                    "2. Flat out (no waiting)", *run(port, sessions[1], args.seconds, None))
            if "ceiling" in args.runs:
                results["ceiling"] = report(
                    "3. Ceiling (/healthz, flat out)",
                    *run(port, sessions[1], args.seconds, None, healthz=True, sign_in=False))
            if "floor" in args.runs:
                results["floor"] = report(
                    "4. Signed-in floor (/healthz with a session, flat out)",
                    *run(port, sessions[2], args.seconds, None, healthz=True))
            errors = sum(r[2] for r in results.values())
            print("\nAgainst the targets:")
            print(f"  errors, all runs:             {errors:>6}    target 0       "
                  f"{'met' if errors == 0 else 'NOT met'}")
            if "pace" in results:
                paced_p95 = results["pace"][1]
                print(f"  worst p95 at pace:            {paced_p95:>6.1f} ms target ≤ 50 ms "
                      f"{'met' if paced_p95 <= 50 else 'NOT met'}")
            if {"flat", "floor", "ceiling"} <= results.keys():
                flat_rate, floor, ceiling = (results[k][0] for k in ("flat", "floor", "ceiling"))
                print(f"  the signed-in floor is {floor / ceiling:.0%} of the ceiling; the "
                      f"panellists flat out are {flat_rate / floor:.0%} of the floor "
                      "(benchmarks/load/wrk.py compares with bare Flask, issue 17)")
            print(f"  end {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
                  f"load average {load()}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        redis_server.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
