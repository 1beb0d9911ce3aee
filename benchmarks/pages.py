"""The officer's and the chair's pages as the user gets them on a large round (20,000
applications, 2,000 panellists, about 110,000 sheets: the round of
benchmarks/ranking_page.py) in moderation: starting the meeting, then the ranking page,
the agenda page and the chair's item page, each

- **warm**: asked again with nothing changed;
- **cold**: the first request after a change to the round, for three kinds of change:
  the agenda moved one place (the meeting's own bookkeeping), an outcome recorded, and a
  panellist's sheet revised (the scores change);

beside the floor, ``/healthz`` (one ``SELECT 1``), measured in the same run through the
same client. Requests go through Flask's test client, from the request to the answer.

    .venv/bin/python benchmarks/pages.py [--databases sqlite postgresql] [--repeat 5]

PostgreSQL is a throwaway cluster (tests/support/pgcluster.py). Prints figures; never
asserts."""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from agenda_page import token_of
from flask import Flask
from meeting import sign_in
from ranking_page import SLUG, build

from panel import create_app
from panel.extensions import db

PAGES = {
    "ranking page 1": f"/rounds/{SLUG}/ranking",
    "agenda page 1": f"/rounds/{SLUG}/meeting/agenda",
    "chair's item page": f"/rounds/{SLUG}/meeting",
}
OFFICER = "officer@bench.example"


def timed_get(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    took = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return took


def ms(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:7.1f} ms, best {min(times) * 1000:7.1f} ms"


class Changes:
    """The three kinds of change, each made as the people in the meeting make them
    (through the services, committed), alternating so each really changes something."""

    def __init__(self, app, client, token: str) -> None:
        self.app, self.client, self.token, self.n = app, client, token, 0

    def agenda_moved(self) -> None:
        html = self.client.get(PAGES["agenda page 1"]).get_data(as_text=True)
        reference = html.split('id="item-')[2].split('"')[0]
        moved = self.client.post(f"{PAGES['agenda page 1']}/{reference}", data={
            "csrf_token": self.token, "action": "down" if self.n % 2 == 0 else "up"})
        assert moved.status_code == 302, moved.status_code
        self.n += 1

    def outcome_recorded(self) -> None:
        with self.app.app_context():
            from panel.accounts.services import find_user
            from panel.moderation import services
            from panel.moderation.meeting import meeting_of
            from panel.rounds.queries import round_by_slug

            meeting = meeting_of(round_by_slug(SLUG))
            services.record_outcome(find_user(OFFICER), meeting,
                                    "fund" if self.n % 2 == 0 else "do_not_fund",
                                    "Benchmark: the panel agreed")
            db.session.commit()
        self.n += 1

    def sheet_revised(self) -> None:
        with self.app.app_context():
            import sqlalchemy as sa

            from panel.moderation import services
            from panel.moderation.meeting import meeting_of
            from panel.rounds.models import PanelMember
            from panel.rounds.queries import round_by_slug
            from panel.scoring.models import ScoreSheet

            round_ = round_by_slug(SLUG)
            meeting = meeting_of(round_)
            members = db.session.scalars(sa.select(PanelMember).join(
                ScoreSheet, ScoreSheet.member_id == PanelMember.id).where(
                ScoreSheet.application_id == meeting.current_application_id,
                ScoreSheet.status == "submitted")).unique().all()
            level = str(2 + self.n % 3)
            for member in members:
                if services.revise_refusal(member, meeting):
                    continue
                latest = services.latest_sheet(member.id, meeting.current_application_id)
                values = {c.key: level for c in round_.criteria}
                if services.sheet_values(latest, round_) == values:
                    values[round_.criteria[0].key] = "5" if level != "5" else "1"
                services.revise_sheet(member.user, member, meeting, latest.revision, values,
                                      "Benchmark: heard the discussion")
                db.session.commit()
                break
            else:
                raise RuntimeError("no member could revise the current item")
        self.n += 1


def round_in_moderation(url: str, seed: int) -> tuple[Flask, str]:
    """An app on ``url`` holding the large round in moderation, and the database's name."""
    backend = url.split(":")[0].split("+")[0]
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    logging.disable(logging.INFO)  # the request log of every request
    with app.app_context():
        from flask_migrate import upgrade

        from panel.rounds.queries import round_by_slug

        upgrade()
        started = time.perf_counter()
        build(seed)
        round_by_slug(SLUG).phase = "moderation"
        db.session.commit()
        print(f"[{backend}] built the round in {time.perf_counter() - started:.0f} s; "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
    return app, backend


def run(url: str, seed: int, repeat: int) -> None:
    app, backend = round_in_moderation(url, seed)
    client = app.test_client()
    sign_in(client, OFFICER, "benchmark password")
    floor = [timed_get(client, "/healthz") for _ in range(repeat * 5)]
    started = time.perf_counter()
    token = token_of(client.get(PAGES["chair's item page"]).get_data(as_text=True))
    took = time.perf_counter() - started
    print(f"[{backend}] the chair's start page, first request (the round's figures made "
          f"from the database): {took * 1000:.0f} ms", flush=True)
    started = time.perf_counter()
    response = client.post(f"/rounds/{SLUG}/meeting/start", data={"csrf_token": token})
    took = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    print(f"[{backend}] starting the meeting (Start pressed: the agenda of 20,000 written): "
          f"{took * 1000:.0f} ms", flush=True)
    changes = Changes(app, client, token)
    results: dict[tuple[str, str], list[float]] = {}
    for page, address in PAGES.items():
        timed_get(client, address)
        results[(page, "warm")] = [timed_get(client, address) for _ in range(repeat)]
        for kind in ("agenda_moved", "outcome_recorded", "sheet_revised"):
            cold = []
            for _ in range(3):
                getattr(changes, kind)()
                cold.append(timed_get(client, address))
            results[(page, f"cold after {kind.replace('_', ' ')}")] = cold
    floor += [timed_get(client, "/healthz") for _ in range(repeat * 5)]
    print(f"[{backend}] /healthz (floor): {ms(floor)}")
    for (page, when), times in results.items():
        print(f"[{backend}] {page:<18} {when:<30} {ms(times)}; "
              f"{statistics.median(times) / statistics.median(floor):5.0f}× the floor",
              flush=True)
    print(f"[{backend}] load average {os.getloadavg()[0]:.1f}")
    with app.app_context():
        db.engine.dispose()


def main(run: Callable[[str, int, int], None] = run, doc: str = __doc__) -> None:
    """``run(url, seed, repeat)`` on each database asked for (a SQLite file, a throwaway
    PostgreSQL cluster), with the command line of this script."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
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
