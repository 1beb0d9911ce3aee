"""The full report of a large round as a user gets it, beside a floor measured in the
same run: 20,000 applications, 2,000 panellists, 110,000 sheets over 6 criteria (the
round of benchmarks/ranking.py, written by benchmarks/ranking_page.py's bulk inserts),
on SQLite and on PostgreSQL (a throwaway cluster, tests/support/pgcluster.py).

For each database it prints

- **report**: :func:`panel.reports.report.round_report` from the database, as the
  report page and ``flask round report`` call it (best of ``--repeat``), with its parts:
  loading the round's frames, the figures, the report dict (the parts are each timed
  alone, so they need not add up to the whole);
- **floor**: the same statements run on one plain DB-API cursor each, the rows handed to
  pandas as tuples, and the same in-memory figures (:func:`panel.scoring.figures.figures`)
  — what the report could cost with no ORM and no per-application Python;
- **CLI**: ``flask round report SLUG -o FILE`` end to end in a subprocess (start-up,
  import, the report, the audit event, writing the JSON), its peak RSS: the first run,
  which makes the report and keeps it (:mod:`panel.reports.kept`), and the best of the
  runs after it, which read the kept report; and beside it
  ``flask round --help`` (the start-up alone);
- the benchmark process's peak RSS (resource.getrusage).

    .venv/bin/python benchmarks/report.py [--databases sqlite postgresql]
        [--applications 20000] [--repeat 3] [--before DIR [DIR ...]]

``--before DIR`` times the commands again with another checkout's code (main's tree, say)
and this one's in turn, on the same database and packages: the kept report, ``flask round
--help`` and ``flask --help``, each checkout's figures beside the other's and the load.
Several folders are taken in turn the same way (main's tree with and without its modules
compiled to bytecode, say: ``python -m compileall`` in it, as ``make install`` does).

Prints figures; never asserts. Target (issue 17): ``flask round report`` at 20,000 /
110,000 on PostgreSQL ≤ 1.5 s wall, ≤ 3× the floor, ≤ 1 GB."""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from ranking import APPLICATIONS
from ranking_page import SLUG, build

from panel import create_app
from panel.extensions import db


def best(call, repeat: int) -> tuple[float, float, object]:
    """(best wall seconds, CPU seconds of that run, the last answer) of ``repeat`` calls."""
    times, answer = [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        answer = call()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    wall, cpu = min(times)
    return wall, cpu, answer


def floor_report(round_) -> object:
    """The floor: the same statements on plain DB-API cursors, tuples into pandas, and the
    same in-memory figures."""
    from panel.scoring import figures

    connection = db.session.connection().connection.driver_connection
    frames = {}
    for name, statement in figures.statements(round_, figures.REPORT).items():
        compiled = statement.compile(dialect=db.engine.dialect,
                                     compile_kwargs={"literal_binds": True})
        cursor = connection.cursor()
        cursor.execute(str(compiled))
        frames[name] = pd.DataFrame.from_records(
            cursor.fetchall(), columns=[d[0] for d in cursor.description])
        cursor.close()
    return figures.figures(figures.frames_of(round_, frames, figures.REPORT), figures.REPORT)


def in_process(url: str, repeat: int) -> dict[str, float]:
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    found = {}
    with app.app_context():
        from panel.reports.report import build_report, round_report
        from panel.rounds.queries import round_by_slug
        from panel.scoring import figures

        round_ = round_by_slug(SLUG)
        found["report"], found["report CPU"], report = best(lambda: round_report(round_), repeat)
        found["loading"], _, frames = best(lambda: figures.load(round_, figures.REPORT), repeat)
        found["figures"], _, result = best(lambda: figures.figures(frames, figures.REPORT),
                                           repeat)
        found["report dict"], _, _ = best(lambda: build_report(round_, result), repeat)
        found["floor"], found["floor CPU"], _ = best(lambda: floor_report(round_), repeat)
        found["rows"] = len(report["applications"])
        db.session.rollback()
        db.engine.dispose()
    return found


def cli(url: str, *args: str, folder: Path,
        checkout: Path = ROOT) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS in MiB, exit status, CPU seconds: user and system) of
    ``flask ARGS`` in a subprocess,
    with the code of ``checkout`` (this one, or ``--before``'s) and this environment's
    packages. The peak is /usr/bin/time's: the child of a small process, since a child
    forked from this one would report this process's memory as its own."""
    # Kept reports go in the run's own ``folder`` (one instance folder per checkout: each
    # keeps its own), not the checkout's instance folder, so that no run finds a report
    # an earlier run kept.
    instance = folder / f"instance-{checkout.name}"
    env = {**os.environ, "DATABASE_URL": url, "FAIRPANEL_CONFIG": "development",
           "FAIRPANEL_INSTANCE": str(instance),
           "MAIL_OUTBOX_DIR": "/dev/null/never-used", "PYTHONPATH": str(checkout)}
    flask = Path(sys.executable).with_name("flask")
    with tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-o", peak.name, "-f", "%U %S %M", str(flask),
                               *args],
                              cwd=checkout, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, check=False)
        took = time.perf_counter() - started
        user, system, kib = peak.read().split()[-3:]
    if done.returncode:
        print(done.stderr[-2000:])
    return took, int(kib) / 1024, done.returncode, float(user) + float(system)


def run(url: str, seed: int, applications: int, repeat: int, folder: str,
        before: list[Path]) -> None:
    backend = url.split(":")[0].split("+")[0]
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        started = time.perf_counter()
        build(seed, applications)
        print(f"[{backend}] built the round in {time.perf_counter() - started:.0f} s")
        db.engine.dispose()
    found = in_process(url, repeat)
    output = Path(folder) / "report.json"
    # The first run makes the report and keeps it (panel.reports.kept); the others read
    # the kept one, the round unchanged.
    runs = [cli(url, "round", "report", SLUG, "-o", str(output), folder=output.parent)
            for _ in range(repeat + 1)]
    made, made_rss, made_status, _ = runs[0]
    command, command_rss, status, _ = min(runs[1:])
    startup, startup_rss, _, _ = min(cli(url, "round", "--help", folder=output.parent)
                                     for _ in range(repeat))
    floor = found["floor"]
    print(f"[{backend}] {found['rows']:,} applications in the report")
    print(f"[{backend}] round_report from the database: {found['report']:6.2f} s "
          f"(CPU {found['report CPU']:.2f} s) = {found['report'] / floor:4.1f}× the floor")
    print(f"[{backend}]   of which loading the frames {found['loading']:.2f} s, the figures "
          f"{found['figures']:.2f} s, the report dict {found['report dict']:.2f} s")
    print(f"[{backend}] floor (plain cursors, tuples, in-memory figures): {floor:6.2f} s "
          f"(CPU {found['floor CPU']:.2f} s)")
    print(f"[{backend}] flask round report -o FILE (subprocess), first run, making the "
          f"report and keeping it: {made:6.2f} s = {made / floor:4.1f}× the floor, peak RSS "
          f"{made_rss:.0f} MiB, exit {made_status}")
    print(f"[{backend}] flask round report -o FILE (subprocess, best of {repeat} more, the "
          f"kept report read): {command:6.2f} s = {command / floor:4.1f}× the floor, peak RSS "
          f"{command_rss:.0f} MiB, exit {status}, {output.stat().st_size / 2**20:.1f} MiB JSON")
    print(f"[{backend}] flask round --help (start-up alone): {startup:6.2f} s, "
          f"peak RSS {startup_rss:.0f} MiB")
    if before:
        commands(url, SLUG, output, repeat, before)


def commands(url: str, slug: str, output: Path, repeat: int, before: list[Path]) -> None:
    """The commands again, this checkout's and each of ``before``'s in turn, so that a busy
    moment hits all alike: the report kept (after a first run of each that makes and keeps
    its own), ``flask round --help``, and ``flask --help``. Best and median of ``repeat``."""
    backend = url.split(":")[0].split("+")[0]
    checkouts = {"this checkout": ROOT, **{f"before ({each})": each for each in before}}
    for checkout in checkouts.values():
        cli(url, "round", "report", slug, "-o", str(output), folder=output.parent,
            checkout=checkout)
    asked = {"flask round report (kept)": ("round", "report", slug, "-o", str(output)),
             "flask round --help": ("round", "--help"), "flask --help": ("--help",)}
    for what, args in asked.items():
        times = {name: [] for name in checkouts}
        for _ in range(repeat):
            for name, checkout in checkouts.items():
                times[name].append(cli(url, *args, folder=output.parent, checkout=checkout))
        for name, found in times.items():
            walls = sorted(run[0] for run in found)
            cpus = sorted(run[3] for run in found)
            print(f"[{backend}] {what}, {name}: wall best {walls[0]:5.2f} s, median "
                  f"{walls[len(walls) // 2]:5.2f} s; CPU best {cpus[0]:5.2f} s, median "
                  f"{cpus[len(cpus) // 2]:5.2f} s; peak RSS {max(run[1] for run in found):.0f} "
                  f"MiB, exit {max(run[2] for run in found)}, load {_load()}")


def _load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--applications", type=int, default=APPLICATIONS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", type=Path, nargs="+", default=[],
                        help="other checkouts (e.g. main's tree) whose commands are timed "
                        "in turn with this one's, same packages")
    args = parser.parse_args()
    before = [each.resolve() for each in args.before]
    for backend in args.databases:
        with tempfile.TemporaryDirectory() as folder:
            if backend == "sqlite":
                run(f"sqlite:///{folder}/bench.sqlite3", args.seed, args.applications,
                    args.repeat, folder, before)
                continue
            from tests.support.pgcluster import PgCluster

            cluster = PgCluster().start()
            try:
                run(cluster.url(), args.seed, args.applications, args.repeat, folder, before)
            finally:
                cluster.stop()
    print(f"benchmark process peak RSS: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
