"""How long `flask audit verify` takes over a long trail (issue 8 target: 1,000,000
events in under 60 s). Writes a valid chain of N events straight into a fresh database
with bulk inserts (hashes computed exactly as panel.audit.services does), then runs the
real `flask audit verify` command and times it.

    .venv/bin/python benchmarks/audit_verify.py [--events 1000000] [--database-url URL]

Default: a fresh SQLite file in a temp folder. Prints figures; never asserts."""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from panel import create_app  # noqa: E402
from panel.audit.chain import event_hash  # noqa: E402
from panel.audit.models import GENESIS_HASH, AuditEvent  # noqa: E402
from panel.extensions import db, utcnow  # noqa: E402

BATCH = 20_000


def write_chain(total: int) -> None:
    start = utcnow()
    previous = GENESIS_HASH
    rows = []
    for n in range(1, total + 1):
        event = AuditEvent(id=n, occurred_at=start + timedelta(milliseconds=n), actor_id=None,
                           actor="system: benchmark", action="sheet.saved",
                           object_type="score_sheets", object_id=str(n % 5000), round_id=None,
                           before={"scores": {"q": n % 5, "n": None}, "comment": ""},
                           after={"scores": {"q": (n + 1) % 5, "n": 3}, "comment": "ok"})
        digest = event_hash(previous, event.canonical())
        rows.append({"id": n, "occurred_at": event.occurred_at, "actor_id": None,
                     "actor": event.actor, "action": event.action,
                     "object_type": event.object_type, "object_id": event.object_id,
                     "round_id": None, "before": event.before, "after": event.after,
                     "prev_hash": previous, "hash": digest})
        previous = digest
        if len(rows) == BATCH:
            db.session.execute(sa.insert(AuditEvent), rows)
            db.session.commit()
            rows = []
    if rows:
        db.session.execute(sa.insert(AuditEvent), rows)
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/audit.sqlite3"
        app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            started = time.perf_counter()
            write_chain(args.events)
            print(f"wrote {args.events:,} chained events in {time.perf_counter() - started:.1f} s "
                  f"({url.split(':')[0]})")
        runner = app.test_cli_runner()
        started = time.perf_counter()
        result = runner.invoke(args=["audit", "verify"])
        took = time.perf_counter() - started
        print(result.output.strip().splitlines()[0])
        print(f"flask audit verify over {args.events:,} events: {took:.1f} s "
              f"({args.events / took:,.0f} events/s), exit {result.exit_code}")
        print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
