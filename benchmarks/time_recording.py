"""What measuring panellists' time costs a scoring page (issue 20; docs/payments.md):
the median time of a panellist's application page (``/my-rounds/<slug>/A1/application``)
for a member of a group the round does not pay (one more statement: the record and the
group's pay looked up, nothing found) and of a paid group (that statement, the record's
update and its commit), beside the floor, ``/healthz`` (one ``SELECT 1``), measured in
the same run through the same kind of client, from the request to the answer.

    .venv/bin/python benchmarks/time_recording.py [--databases sqlite postgresql]
        [--repeat 200]

PostgreSQL is a throwaway cluster (tests/support/pgcluster.py). Prints figures; never
asserts."""
from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PAGE = "/my-rounds/test-round/A1/application"


def summary(times: list[float]) -> str:
    return (f"median {statistics.median(times) * 1000:6.2f} ms, "
            f"best {min(times) * 1000:6.2f} ms")


def timed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    took = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return took


def signed_in(app, email: str):
    """A test client holding ``email``'s session, as signing in by link would leave it."""
    from panel.accounts.services import find_user
    from tests.support.web import IsolatedClient

    user = find_user(email)
    client = IsolatedClient(app, app.response_class, use_cookies=True)
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_version}"
        session["_fresh"] = True
        session["signed_in_at"] = int(time.time())
    return client


def run(url: str, repeat: int) -> None:
    from flask_migrate import upgrade

    from panel import create_app
    from panel.payments import recording
    from tests.builders.payments import ACADEMIC, LIVED, paid_round

    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    logging.disable(logging.INFO)
    with app.app_context():
        upgrade()
        paid_round()
        backend = url.split(":")[0].split("+")[0]
        floor = app.test_client()
        unpaid, paid = signed_in(app, ACADEMIC), signed_in(app, LIVED)
        hooks = app.before_request_funcs[None]
        kinds = {
            "floor /healthz": (floor, "/healthz", True),
            "page, not measured (the hook taken out)": (unpaid, PAGE, False),
            "page, group not paid": (unpaid, PAGE, True),
            "page, group paid": (paid, PAGE, True),
        }
        times: dict[str, list[float]] = {kind: [] for kind in kinds}
        for n in range(repeat + 5):  # in turn, so that a busy moment hits every kind alike
            for kind, (client, path, measured) in kinds.items():
                if not measured:
                    hooks.remove(recording.before_request)
                try:
                    took = timed(client, path)
                finally:
                    if not measured:
                        hooks.append(recording.before_request)
                if n >= 5:  # the first few warm up
                    times[kind].append(took)
        for kind, found in times.items():
            print(f"[{backend}] {kind:42} {summary(found)} ({repeat} requests)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    for backend in args.databases:
        with tempfile.TemporaryDirectory() as folder:
            if backend == "sqlite":
                run(f"sqlite:///{folder}/bench.sqlite3", args.repeat)
                continue
            from tests.support.pgcluster import PgCluster

            cluster = PgCluster().start()
            try:
                run(cluster.url(), args.repeat)
            finally:
                cluster.stop()


if __name__ == "__main__":
    main()
