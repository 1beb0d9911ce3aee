"""CPU per request, in process: a panellist's question page and the JSON save, beside a
bare Flask app's trivial endpoint and the signed-in floor, measured in the same run.

Each request goes through Flask's test client (no network, no server); its cost is
``time.process_time`` over many requests after a warm-up, so it is CPU of this process
only (the database's own work on PostgreSQL is in its backend, not counted here).

- **bare Flask**: ``Flask(__name__)`` with one route returning ``"ok"``;
- **signed-in floor**: ``/healthz`` with the panellist's session cookie — the session is
  read and the person loaded, then ``SELECT 1``: a signed-in request that does nothing
  else;
- **question page**: ``GET /my-rounds/load/<ref>/question/1`` (issue 17's target ≤ 2 ms,
  set where bare Flask took 0.13 ms: also printed as ≤ 15.4× bare Flask of the same run);
- **save (JSON)**: ``POST .../save``, what scoring.js sends, alternating the score so
  every save writes (a sheet update, an answer and an audit event).

The round is benchmarks/load/run.py's (50 applications, 4 criteria), on a SQLite file
and on a throwaway PostgreSQL 15 cluster (tests/support/pgcluster.py). Prints figures
and ratios and the machine's load average beside them; never asserts.

    .venv/bin/python benchmarks/cpu.py [--databases sqlite postgresql] [--requests 1000]
                                       [--rounds 5] [--profile] [--profile-save]

``--profile`` adds a cProfile of the question page, ``--profile-save`` one of the JSON
save (top functions by own time, then by cumulative time). The save's profile counts
CPU time (``time.process_time``), as the figures do: on the clock, the save's commit
waiting for the disk (SQLite) or for the server (PostgreSQL) would hide the code's cost."""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Issue 17's ≤ 2 ms for the question page, as a multiple of bare Flask on the machine where
# it was set (bare Flask 0.13 ms), for machines that run slower or busier.
TARGET_OF_BARE = 2 / 0.13
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "load"))
from flask import Flask
from run import CSRF, META_CSRF, prepare

from panel import create_app
from tests.support.pgcluster import PgCluster


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def bare_flask():
    app = Flask("bare")

    @app.get("/")
    def index():
        return "ok"

    client = app.test_client()
    return lambda: client.get("/")


def panellist(url: str):
    """A signed-in panellist's test client and the four requests to measure."""
    slug, sessions = prepare(url, users=1, runs=1)
    token, reference = sessions[0][0]
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    client = app.test_client()
    page = client.get(f"/sign-in/link/{token}").get_data(as_text=True)
    signed = client.post(f"/sign-in/link/{token}",
                         data={"csrf_token": CSRF.search(page).group(1)})
    assert signed.status_code == 302, signed.status_code
    base = f"/my-rounds/{slug}/{reference}"
    page = client.get(f"{base}/question/1").get_data(as_text=True)
    csrf = (META_CSRF.search(page) or CSRF.search(page)).group(1)
    state = {"n": 0, "version": 0}

    def question():
        response = client.get(f"{base}/question/1")
        assert response.status_code == 200, response.status_code

    def save():
        state["n"] += 1
        response = client.post(f"{base}/save", data=json.dumps(
            {"version": state["version"], "scores": {"c0": str(1 + state["n"] % 5)}}),
            headers={"Content-Type": "application/json", "X-CSRFToken": csrf})
        answer = response.get_json()
        assert answer.get("saved"), answer
        state["version"] = answer.get("version", state["version"])

    def floor():
        response = client.get("/healthz")
        assert response.status_code == 200, response.status_code

    return app, {"signed-in floor (/healthz with a session)": floor,
                 "question page": question, "save (JSON)": save}


def cpu_per_request(call, requests: int) -> float:
    started = time.process_time()
    for _ in range(requests):
        call()
    return (time.process_time() - started) / requests


def measure(calls: dict, requests: int, rounds: int) -> dict[str, list[float]]:
    """Each call ``requests`` times per round, the calls interleaved round by round so
    a busy spell on the shared machine falls on all of them alike. The app's request log
    lines are still made (a cost every request has) but go to /dev/null."""
    with open(os.devnull, "w") as nowhere:
        shown, sys.stdout = sys.stdout, nowhere
        try:
            return _measure(calls, requests, rounds)
        finally:
            sys.stdout = shown


def _measure(calls: dict, requests: int, rounds: int) -> dict[str, list[float]]:
    for call in calls.values():  # warm-up: templates compiled, statements cached
        for _ in range(max(50, requests // 5)):
            call()
    figures: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            figures[name].append(cpu_per_request(call, requests))
    return figures


def profile(call, requests: int, what: str = "question pages", timer=None) -> None:
    profiler = cProfile.Profile(timer) if timer else cProfile.Profile()
    with open(os.devnull, "w") as nowhere:
        shown, sys.stdout = sys.stdout, nowhere
        try:
            profiler.enable()
            for _ in range(requests):
                call()
            profiler.disable()
        finally:
            sys.stdout = shown
    stats = pstats.Stats(profiler, stream=sys.stdout)
    clock = "CPU time" if timer else "time on the clock"
    print(f"\n  cProfile of {requests} {what} ({clock}), top 25 by own time:")
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--requests", type=int, default=1000, help="per call per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile the question page")
    parser.add_argument("--profile-save", action="store_true", help="cProfile the JSON save")
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; "
          f"{load()}; {args.rounds} rounds of {args.requests} requests each, CPU of this "
          f"process per request (median of the rounds, best in brackets)")
    for database in args.databases:
        with tempfile.TemporaryDirectory() as folder:
            cluster = None
            if database == "postgresql":
                cluster = PgCluster().start()
                url = cluster.url()
            else:
                url = f"sqlite:///{folder}/cpu.db"
            try:
                _, calls = panellist(url)
                calls = {"bare Flask (one route, 'ok')": bare_flask(), **calls}
                figures = measure(calls, args.requests, args.rounds)
                print(f"\n{database} ({load()}):")
                medians = {name: statistics.median(v) for name, v in figures.items()}
                bare = medians["bare Flask (one route, 'ok')"]
                floor = medians["signed-in floor (/healthz with a session)"]
                for name, values in figures.items():
                    median = medians[name]
                    print(f"  {name:<44}{median * 1000:7.3f} ms ({min(values) * 1000:.3f})"
                          f"  = {median / bare:5.1f}× bare Flask, "
                          f"{median / floor:4.2f}× the signed-in floor")
                question = medians["question page"]
                print(f"  question page against the target ≤ 2 ms: "
                      f"{'met' if question <= 0.002 else 'NOT met'}")
                # The target was set where bare Flask took 0.13 ms: on a slower or busier
                # machine the same code takes longer, so it is read against bare Flask too.
                print(f"  question page against the target read as ≤ {TARGET_OF_BARE:.1f}× bare "
                      f"Flask (2 ms where bare Flask took 0.13 ms): {question / bare:.1f}×, "
                      f"{'met' if question / bare <= TARGET_OF_BARE else 'NOT met'}")
                if args.profile:
                    profile(calls["question page"], args.requests)
                if args.profile_save:
                    profile(calls["save (JSON)"], args.requests, "JSON saves", time.process_time)
            finally:
                if cluster:
                    cluster.stop()
    print(f"\nend {time.strftime('%H:%M UTC', time.gmtime())}; {load()}")


if __name__ == "__main__":
    main()
