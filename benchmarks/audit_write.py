"""Writing the decision trail (issue 16, "several machines"): whether a write in one
round waits while a long transaction holds another round's chain, and what `record()`
costs, beside floors measured in the same run.

For each database (a fresh SQLite file; a throwaway PostgreSQL cluster):

- one event per transaction, as an autosave writes it (median of N): `record()` in
  round B and commit; floor: the same transaction inserting one row into a scratch
  table with no chain;
- 5,000 events in one transaction, as an import writes them; floor: 5,000 single-row
  inserts into the scratch table, each flushed the same way;
- PostgreSQL only: a write in round B while another connection holds round A's chain
  for 2 s (before trail format 4 every write waited for it), and a write in round A
  itself (which waits, by design), against the same write with nothing held.

    .venv/bin/python benchmarks/audit_write.py [--databases sqlite postgresql] [--n 200]

Prints figures; never asserts."""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from panel import create_app  # noqa: E402
from panel.audit.services import record  # noqa: E402
from panel.extensions import db  # noqa: E402

HOLD_S = 2.0
BULK = 5_000
SCRATCH = sa.table("bench_scratch", sa.column("payload", sa.JSON))


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def _one_event(round_id: int) -> None:
    record("sheet.saved", system="benchmark", round_id=round_id,
           after={"scores": {"q": 3, "n": 4}, "comment": "ok"})
    db.session.commit()


def _one_row() -> None:
    db.session.execute(sa.insert(SCRATCH), [{"payload": {"scores": {"q": 3, "n": 4}}}])
    db.session.commit()


def _bulk_events(round_id: int) -> None:
    for n in range(BULK):
        record("application.added", system="benchmark", round_id=round_id,
               after={"reference": f"X{n}", "title": "t"})
    db.session.commit()


def _bulk_rows() -> None:
    for n in range(BULK):
        db.session.execute(sa.insert(SCRATCH), [{"payload": {"reference": f"X{n}"}}])
        db.session.flush()
    db.session.commit()


def _held_write(app, held_round: int, write_round: int) -> float:
    """Latency of one write in ``write_round`` while another connection holds
    ``held_round``'s chain for HOLD_S seconds."""
    holding = threading.Event()

    def hold():
        with app.app_context():
            record("round.note", system="benchmark", round_id=held_round)
            holding.set()
            time.sleep(HOLD_S)
            db.session.commit()
            db.session.remove()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait()
    took = _timed(lambda: _one_event(write_round))
    holder.join()
    return took


def run(url: str, n: int) -> None:
    from tests.builders import rounds as round_builders

    backend = url.split(":")[0].split("+")[0]
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.session.execute(sa.text("CREATE TABLE bench_scratch (id INTEGER PRIMARY KEY, "
                                   "payload JSON)" if backend == "sqlite" else
                                   "CREATE TABLE bench_scratch (id SERIAL PRIMARY KEY, "
                                   "payload JSON)"))
        db.session.commit()
        round_a = round_builders.draft_round().id
        round_b = round_builders.draft_round(slug="round-b", title="Round B").id
        for _ in range(5):  # warm up
            _one_event(round_b)
            _one_row()
        autosave = statistics.median(_timed(lambda: _one_event(round_b)) for _ in range(n))
        floor = statistics.median(_timed(_one_row) for _ in range(n))
        print(f"[{backend}] one event per transaction (median of {n}): {autosave:6.2f} ms; "
              f"floor (one plain row): {floor:6.2f} ms")
        bulk = _timed(lambda: _bulk_events(round_a)) / 1000
        bulk_floor = _timed(_bulk_rows) / 1000
        print(f"[{backend}] {BULK:,} events in one transaction: {bulk:6.2f} s "
              f"({BULK / bulk:,.0f} events/s); floor ({BULK:,} plain rows, each flushed): "
              f"{bulk_floor:6.2f} s")
        if backend == "postgresql":
            alone = statistics.median(_timed(lambda: _one_event(round_b)) for _ in range(20))
            other = _held_write(app, round_a, round_b)
            same = _held_write(app, round_a, round_a)
            print(f"[{backend}] a write in round B while round A is held {HOLD_S:.0f} s: "
                  f"{other:7.1f} ms; in round A itself: {same:7.1f} ms; "
                  f"floor (nothing held): {alone:5.1f} ms")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    for backend in args.databases:
        with tempfile.TemporaryDirectory() as folder:
            if backend == "sqlite":
                run(f"sqlite:///{folder}/bench.sqlite3", args.n)
                continue
            from tests.support.pgcluster import PgCluster

            cluster = PgCluster().start()
            try:
                run(cluster.url(), args.n)
            finally:
                cluster.stop()


if __name__ == "__main__":
    main()
