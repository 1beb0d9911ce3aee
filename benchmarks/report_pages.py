"""The report's pages as the user gets them on a large round (20,000 applications, 2,000
panellists, about 110,000 sheets: the round of benchmarks/ranking_page.py, in
moderation): the community-voice report page, the panel's page, the public summary and
the report's CSV, each

- **first**: the first request, the figures made from the database;
- **warm**: asked again with nothing changed (each of ``--repeat`` times);

then the report page as the first request after a change to the round (its details
renamed), beside the floor, ``/healthz`` (one ``SELECT 1``), through the same client in
the same run. Requests go through Flask's test client, from the request to the answer.
Also printed: this process's resident memory at the end (the reports it keeps).

    .venv/bin/python benchmarks/report_pages.py [--databases sqlite postgresql] [--repeat 5]

PostgreSQL is a throwaway cluster (tests/support/pgcluster.py). Prints figures; never
asserts."""
from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from meeting import sign_in
from pages import OFFICER, main, ms, round_in_moderation, timed_get
from ranking_page import SLUG

from panel.extensions import db

PAGES = {
    "report page": f"/rounds/{SLUG}/report",
    "the panel's page": f"/rounds/{SLUG}/report/for-panel",
    "public summary": f"/rounds/{SLUG}/report/summary",
    "report CSV": f"/rounds/{SLUG}/report.csv",
}


def resident_mib() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def renamed(app, n: int) -> None:
    """A change to the round, as the officer makes it: its details renamed (audited)."""
    with app.app_context():
        from panel.rounds.queries import round_by_slug
        from panel.rounds.setup import update_details

        round_ = round_by_slug(SLUG)
        update_details(None, round_, title=f"Benchmark round, renamed {n}", description="",
                       scoring_deadline=None, time_zone=round_.time_zone)
        db.session.commit()


def run(url: str, seed: int, repeat: int) -> None:
    app, backend = round_in_moderation(url, seed)
    client = app.test_client()
    sign_in(client, OFFICER, "benchmark password")
    floor = [timed_get(client, "/healthz") for _ in range(repeat * 5)]
    before = resident_mib()
    for page, address in PAGES.items():
        first = timed_get(client, address)
        warm = [timed_get(client, address) for _ in range(repeat)]
        size = len(client.get(address).data)
        print(f"[{backend}] {page:<17} first {first * 1000:7.0f} ms; warm {ms(warm)} "
              f"= {statistics.median(warm) / statistics.median(floor):5.0f}× the floor; "
              f"{size / 1024:,.0f} KiB", flush=True)
    after_change = []
    for n in range(3):
        renamed(app, n)
        after_change.append(timed_get(client, PAGES["report page"]))
    print(f"[{backend}] report page, first request after a change: {ms(after_change)}")
    floor += [timed_get(client, "/healthz") for _ in range(repeat * 5)]
    print(f"[{backend}] /healthz (floor): {ms(floor)}")
    print(f"[{backend}] resident memory {before:,.0f} MiB after building the round, "
          f"{resident_mib():,.0f} MiB at the end (peak "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB); "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f}")
    main(run, __doc__)
