"""What the moderation meeting costs on the large round of benchmarks/ranking_page.py
(20,000 applications, 2,000 panellists, 100,000 sheets): starting the meeting (the
default agenda), the chair's item page, a panellist's live poll when nothing changed
(204) and when something did (the region's HTML).

    .venv/bin/python benchmarks/meeting.py [--database-url URL] [--polls 200]

Default: a fresh SQLite file in a temp folder. Prints figures; never asserts."""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from ranking_page import SLUG, build  # noqa: E402

from panel import create_app  # noqa: E402
from panel.extensions import db  # noqa: E402


def sign_in(client, email: str, password: str) -> None:
    page = client.get("/sign-in/staff").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/sign-in/staff", data={"csrf_token": token, "email": email,
                                        "password": password})


def timed(label: str, call, repeat: int = 3):
    times, response = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        response = call()
        times.append(time.perf_counter() - started)
    print(f"{label}: best {min(times) * 1000:.0f} ms of {repeat}, status {response.status_code}, "
          f"{len(response.data) / 1024:.1f} KB")
    return response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--polls", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            from flask_migrate import upgrade

            from panel.rounds.queries import round_by_slug

            upgrade()
            build(args.seed)
            round_by_slug(SLUG).phase = "moderation"
            db.session.commit()
        client = app.test_client()
        sign_in(client, "officer@bench.example", "benchmark password")
        page = client.get(f"/rounds/{SLUG}/meeting").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        started = time.perf_counter()
        client.post(f"/rounds/{SLUG}/meeting/start", data={"csrf_token": token})
        print(f"starting the meeting (agenda of 20,000 in the default order): "
              f"{time.perf_counter() - started:.2f} s ({url.split(':')[0]})")
        chair = timed("the chair's item page", lambda: client.get(f"/rounds/{SLUG}/meeting"))
        version = chair.headers["X-Live-Version"]
        timed("live region, something changed (the item's HTML)",
              lambda: client.get(f"/rounds/{SLUG}/meeting?since=0"))
        polls = []
        for _ in range(args.polls):
            started = time.perf_counter()
            response = client.get(f"/rounds/{SLUG}/meeting?since={version}")
            polls.append(time.perf_counter() - started)
        polls.sort()
        print(f"live poll, nothing changed ({args.polls} polls, status {response.status_code}, "
              f"{len(response.data)} bytes): median {statistics.median(polls) * 1000:.1f} ms, "
              f"95th percentile {polls[int(len(polls) * 0.95) - 1] * 1000:.1f} ms")
        timed("agenda page 1", lambda: client.get(f"/rounds/{SLUG}/meeting/agenda"))


if __name__ == "__main__":
    main()
