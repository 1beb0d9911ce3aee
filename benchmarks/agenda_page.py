"""What the chair waits for on the meeting's agenda page, on the large round of
benchmarks/ranking_page.py (20,000 applications, 2,000 panellists, 100,000 sheets) in
moderation with the meeting started: page 1 and a late page (the last, 400), each of
them

- **cold**: the first request after a change to the round (the agenda moved one place),
  when the round's figures are made again (:func:`panel.moderation.meeting.shown_figures`);
- **warm**: asked again with nothing changed;

beside the floor, ``/healthz`` (one ``SELECT 1``) measured in the same run through the
same client. Requests go through Flask's test client, from the request to the answer.

    .venv/bin/python benchmarks/agenda_page.py [--databases sqlite postgresql] [--repeat 10]
    .venv/bin/python benchmarks/agenda_page.py --database-url URL

PostgreSQL is a throwaway cluster (tests/support/pgcluster.py) unless a URL is given.
Prints figures; never asserts."""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from meeting import sign_in
from ranking_page import SLUG, build

from panel import create_app
from panel.extensions import db

AGENDA = f"/rounds/{SLUG}/meeting/agenda"
LATE_PAGE = 400  # the last of 20,000 at 50 a page


def token_of(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0] if 'name="csrf_token" value="' in html \
        else html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def milliseconds(times: list[float]) -> str:
    return (f"best {min(times) * 1000:7.1f} ms, median {statistics.median(times) * 1000:7.1f} ms"
            f" ({len(times)} requests)")


def timed_get(client, url: str) -> tuple[float, object]:
    started = time.perf_counter()
    response = client.get(url)
    took = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return took, response


def version(app) -> int:
    with app.app_context():
        from panel.moderation.meeting import version as round_version
        from panel.rounds.queries import round_by_slug

        return round_version(round_by_slug(SLUG))


def run(url: str, seed: int, repeat: int) -> None:
    backend = url.split(":")[0].split("+")[0]
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from flask_migrate import upgrade

        from panel.rounds.queries import round_by_slug

        upgrade()
        started = time.perf_counter()
        build(seed)
        round_by_slug(SLUG).phase = "moderation"
        db.session.commit()
        print(f"[{backend}] built the round in {time.perf_counter() - started:.0f} s")
    client = app.test_client()
    sign_in(client, "officer@bench.example", "benchmark password")
    page = client.get(f"/rounds/{SLUG}/meeting").get_data(as_text=True)
    token = token_of(page)
    started = time.perf_counter()
    client.post(f"/rounds/{SLUG}/meeting/start", data={"csrf_token": token})
    print(f"[{backend}] started the meeting (agenda of 20,000) in "
          f"{time.perf_counter() - started:.1f} s")

    floor = [timed_get(client, "/healthz")[0] for _ in range(repeat * 3)]
    results: dict[str, list[float]] = {}
    for name, address in (("page 1", AGENDA), (f"page {LATE_PAGE}", f"{AGENDA}?page={LATE_PAGE}")):
        cold, warm = [], []
        for n in range(3):
            # A change: one item moved one place. Every change is an audit event, so the
            # round's version moves on and the figures are made again on the next request.
            before = version(app)
            reference = client.get(address).get_data(as_text=True).split('id="item-')[2].split('"')[0]
            moved = client.post(f"{AGENDA}/{reference}", data={"csrf_token": token,
                                                               "action": "down" if n % 2 == 0 else "up"})
            assert moved.status_code == 302, moved.status_code
            if version(app) == before:
                print(f"[{backend}] (a change to {reference} changed nothing: "
                      "this request was not cold)")
            took, response = timed_get(client, address)
            cold.append(took)
            assert "Agenda" in response.get_data(as_text=True)
        for _ in range(repeat):
            warm.append(timed_get(client, address)[0])
        size = len(response.data) / 1024
        results[f"{name}, cold after a change"] = cold
        results[f"{name}, warm"] = warm
        results[f"{name}, size"] = [size]
    print(f"[{backend}] /healthz (floor):               {milliseconds(floor)}")
    for label, times in results.items():
        if label.endswith("size"):
            print(f"[{backend}] {label}: {times[0]:.1f} KB")
        else:
            print(f"[{backend}] agenda {label:<24}: {milliseconds(times)}; "
                  f"median {statistics.median(times) / statistics.median(floor):.0f}× the floor")
    with app.app_context():
        from panel.rounds.queries import round_by_slug
        from panel.scoring.figures import RANKING, round_figures

        started = time.perf_counter()
        round_figures(round_by_slug(SLUG), RANKING)
        print(f"[{backend}] of a cold request: the round's figures alone take "
              f"{(time.perf_counter() - started) * 1000:.0f} ms")
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="one database to use instead of --databases")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    if args.database_url:
        run(args.database_url, args.seed, args.repeat)
        return
    for backend in args.databases:
        with tempfile.TemporaryDirectory() as folder:
            if backend == "sqlite":
                run(f"sqlite:///{folder}/bench.sqlite3", args.seed, args.repeat)
                continue
            from tests.support.pgcluster import PgCluster

            cluster = PgCluster().start()
            try:
                run(cluster.url(), args.seed, args.repeat)
            finally:
                cluster.stop()


if __name__ == "__main__":
    main()
