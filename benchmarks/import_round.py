"""Importing a large round with ``flask round import``, beside a floor measured in the
same run: issue 17's bundle of 5,000 applications, 300 panellists, 24,000 submitted
sheets (4 criteria each) and 60,000 conflicts (tests/builders/big_bundle.py), on SQLite
and on PostgreSQL (a throwaway cluster, tests/support/pgcluster.py).

For each database, each run on a freshly migrated, empty database, it prints

- **flask round import PATH**: end to end in a subprocess, what the user waits for
  (start-up, reading and checking every file, writing, matching connections, the audit
  events, the commit); best of ``--repeat``;
- **of which**: the same import in this process with a progress callback, split into
  checking the files, writing each table, matching connections, and the audit events and
  commit, and how long the write transaction held the database (first write to commit);
- **start-up**: ``flask round --help`` alone;
- **floor**: the same rows read from the same CSV files with the csv module and written
  through one plain DB-API connection (executemany on SQLite, COPY on PostgreSQL) in one
  transaction: no checks, no ORM, no audit events, no matching;
- the machine's load average and CPU count before and after.

    .venv/bin/python benchmarks/import_round.py [--databases sqlite postgresql]
        [--applications 5000 --panellists 300 --sheets 24000 --conflicts 60000]
        [--repeat 3]

Prints figures; never asserts. Target (issue 17): ≤ 10 s on both databases."""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from panel import create_app
from panel.extensions import db
from tests.builders.big_bundle import CRITERIA, write_bundle


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


class Databases:
    """Fresh, migrated, empty databases of one kind, one per run."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend, self.folder, self.count = backend, folder, 0
        self.cluster = None
        if backend == "postgresql":
            from tests.support.pgcluster import PgCluster

            self.cluster = PgCluster().start()
            self._admin("CREATE DATABASE template_import")
            self.template = self.cluster.url("template_import")
        else:
            self.template = f"sqlite:///{folder}/template.sqlite3"
        app = create_app("test", SQLALCHEMY_DATABASE_URI=self.template)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            db.engine.dispose()

    def _admin(self, statement: str) -> None:
        import psycopg

        url = self.cluster.url().replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(statement)

    def fresh(self) -> str:
        self.count += 1
        if self.cluster is None:
            path = self.folder / f"run{self.count}.sqlite3"
            shutil.copy(self.folder / "template.sqlite3", path)
            return f"sqlite:///{path}"
        self._admin(f"CREATE DATABASE run{self.count} TEMPLATE template_import")
        return self.cluster.url(f"run{self.count}")

    def stop(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()


def cli(url: str, *args: str) -> tuple[float, int, str]:
    """(wall seconds, exit status, last line of output) of ``flask ARGS`` in a subprocess."""
    env = {**os.environ, "DATABASE_URL": url, "FAIRPANEL_CONFIG": "development",
           "MAIL_OUTBOX_DIR": "/dev/null/never-used", "PYTHONPATH": str(ROOT)}
    flask = Path(sys.executable).with_name("flask")
    started = time.perf_counter()
    done = subprocess.run([str(flask), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=False)
    took = time.perf_counter() - started
    if done.returncode:
        print(done.stderr[-2000:])
    return took, done.returncode, (done.stdout.strip().splitlines() or [""])[-1]


def in_process(url: str, bundle: Path) -> dict[str, float]:
    """The import with a progress callback: seconds per stage, and how long the
    database was held (first write to the end of the commit)."""
    from panel.bundle import import_bundle
    from panel.bundle.loading import TRAIL

    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    stages: dict[str, float] = {}
    mark = {"at": time.perf_counter(), "stage": "Checking the files", "first": None,
            "trail": None}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        stages[mark["stage"]] = stages.get(mark["stage"], 0) + now - mark["at"]
        mark["at"], mark["stage"] = now, stage
        if mark["first"] is None:
            mark["first"] = now  # "Creating the round": the first write follows
        if stage == TRAIL and mark["trail"] is None:
            mark["trail"] = now  # the first audit event takes the chain's lock

    with app.app_context():
        started = time.perf_counter()
        mark["at"] = started
        import_bundle(None, bundle, system="benchmark", progress=progress)
        now = time.perf_counter()
        stages[mark["stage"]] = stages.get(mark["stage"], 0) + now - mark["at"]
        db.session.commit()
        ended = time.perf_counter()
        stages["Commit"] = ended - now
        stages["whole import"] = ended - started
        stages["database held"] = ended - mark["first"]
        stages["chain held"] = ended - mark["trail"]
        db.engine.dispose()
    return stages


def floor(url: str, bundle: Path) -> float:
    """Seconds to read the bundle's CSV files with the csv module and write the same rows
    through one plain DB-API connection in one transaction (executemany on SQLite, COPY
    on PostgreSQL). The round itself (one row, its groups and criteria) is made first,
    outside the time, through the app."""
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from panel.rounds import services as rounds

        round_ = rounds.build_round(json.loads((bundle / "round.json").read_text()))
        round_id = round_.id
        groups = {g.key: g.id for g in round_.groups}
        criteria = [c.id for c in round_.criteria]
        db.session.commit()
        db.engine.dispose()
    started = time.perf_counter()
    tables = _floor_rows(bundle, round_id, groups, criteria)
    if url.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        for table, (columns, rows) in tables.items():
            marks = ", ".join("?" for _ in columns)
            connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) "
                                   f"VALUES ({marks})", rows)
        connection.commit()
        connection.close()
    else:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            with conn.cursor() as cursor:
                for table, (columns, rows) in tables.items():
                    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            conn.commit()
    return time.perf_counter() - started


def _floor_rows(bundle: Path, round_id: int, groups: dict[str, int],
                criteria: list[int]) -> dict[str, tuple[list[str], list[tuple]]]:
    now = datetime.now(UTC).replace(tzinfo=None)
    read = {name: list(csv.DictReader((bundle / f"{name}.csv").open(encoding="utf-8")))
            for name in ("applications", "panellists", "scores", "conflicts")}
    base = 1_000_000  # ids of their own, so no RETURNING is needed
    app_ids = {row["reference"]: base + i for i, row in enumerate(read["applications"])}
    member_ids = {row["email"]: base + i for i, row in enumerate(read["panellists"])}
    standard = ("reference", "title", "lay_summary", "requested_amount", "applicant_name",
                "organisation", "contact_email")
    tables = {
        "applications": (["id", "round_id", *standard, "extra", "created_at"], [
            (app_ids[r["reference"]], round_id, *(r[c] for c in standard),
             json.dumps({k: v for k, v in r.items() if k not in standard}), now)
            for r in read["applications"]]),
        "users": (["id", "email", "name", "active", "session_version", "created_at"], [
            (member_ids[r["email"]], r["email"], r["name"], True, 1, now)
            for r in read["panellists"]]),
        "panel_members": (["id", "round_id", "user_id", "group_id", "role", "affiliations",
                           "joined_at"], [
            (member_ids[r["email"]], round_id, member_ids[r["email"]], groups.get(r["group"]),
             r["role"], json.dumps(r["affiliations"].split(";")), now)
            for r in read["panellists"]]),
        "conflicts": (["member_id", "application_id", "kind", "details", "level", "source",
                       "status", "review_reason", "reviewed_at", "created_at"], [
            (member_ids[r["email"]], app_ids[r["reference"]], r["kind"], r["details"],
             r["level"], "imported", "confirmed", "", now, now) for r in read["conflicts"]]),
        "score_sheets": (["id", "member_id", "application_id", "stage", "revision", "status",
                          "comment", "comment_for_chair", "reason", "version", "created_at",
                          "updated_at", "submitted_at"], [
            (base + i, member_ids[r["email"]], app_ids[r["reference"]], r["stage"], 0,
             "submitted", r["comment"], False, "", 1, now, now, now)
            for i, r in enumerate(read["scores"])]),
        "criterion_scores": (["sheet_id", "criterion_id", "value"], [
            (base + i, criterion, int(r[key]) if r[key] else None)
            for i, r in enumerate(read["scores"]) for criterion, key in zip(criteria, CRITERIA)]),
    }
    return tables


def run(databases: Databases, bundle: Path, repeat: int) -> None:
    name = databases.backend
    print(f"[{name}] before: {load()}")
    runs = [cli(databases.fresh(), "round", "import", str(bundle)) for _ in range(repeat)]
    command, status, last = min(runs)
    startup = min(cli(databases.fresh(), "round", "--help")[0] for _ in range(repeat))
    stages = in_process(databases.fresh(), bundle)
    floors = [floor(databases.fresh(), bundle) for _ in range(repeat)]
    best_floor = min(floors)
    print(f"[{name}] flask round import (subprocess, best of {repeat}, all: "
          f"{', '.join(f'{t:.2f}' for t, _, _ in runs)}): {command:6.2f} s = "
          f"{command / best_floor:4.1f}× the floor, exit {status}, printed {last!r}")
    print(f"[{name}] flask round --help (start-up alone): {startup:6.2f} s")
    print(f"[{name}] floor (csv module + one DB-API connection, "
          f"{'executemany' if name == 'sqlite' else 'COPY'}): {best_floor:6.2f} s")
    print(f"[{name}] in process: {stages.pop('whole import'):.2f} s, of which "
          + ", ".join(f"{stage.lower()} {seconds:.2f}" for stage, seconds in stages.items()
                      if stage not in ("database held", "chain held")))
    print(f"[{name}] the write transaction lasted {stages['database held']:.2f} s (first "
          f"write to the end of the commit; on SQLite every other writer waits that long); "
          f"the audit chain's lock was held {stages['chain held']:.2f} s")
    print(f"[{name}] after: {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--applications", type=int, default=5_000)
    parser.add_argument("--panellists", type=int, default=300)
    parser.add_argument("--sheets", type=int, default=24_000)
    parser.add_argument("--conflicts", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bundle = write_bundle(Path(folder) / "bundle", applications=args.applications,
                              panellists=args.panellists, sheets=args.sheets,
                              conflicts=args.conflicts)
        sizes = {p.name: p.stat().st_size for p in sorted(bundle.iterdir())}
        print("bundle: " + ", ".join(f"{n} {s / 2**20:.1f} MiB" for n, s in sizes.items()))
        for backend in args.databases:
            databases = Databases(backend, Path(folder))
            try:
                run(databases, bundle, args.repeat)
            finally:
                databases.stop()


if __name__ == "__main__":
    main()
