"""Time to render the first page of the officer's ranking page from a real database
holding a large round: 20,000 applications, 2,000 panellists, 100,000 sheets over 6
criteria (the round of benchmarks/ranking.py, written with bulk inserts).

    .venv/bin/python benchmarks/ranking_page.py [--database-url URL]

Default: a fresh SQLite file in a temp folder. Prints figures; never asserts."""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from ranking import APPLICATIONS, CRITERIA, GROUPS, make_round  # noqa: E402

from panel import create_app  # noqa: E402
from panel.accounts import services as accounts  # noqa: E402
from panel.extensions import db, utcnow  # noqa: E402
from panel.models import (  # noqa: E402
    Application,
    Conflict,
    Criterion,
    CriterionScore,
    Group,
    PanelMember,
    Round,
    ScoreSheet,
    User,
)
from panel.scoring.models import store_scores  # noqa: E402

SLUG = "benchmark-round"


def build(seed: int, applications: int = APPLICATIONS) -> None:
    """Write the round of :func:`ranking.make_round` with bulk inserts, and an officer."""
    frames = make_round(seed, applications)
    round_ = Round(slug=SLUG, title="Benchmark round", budget=2_000_000, phase="scoring")
    round_.groups = [Group(key=k, label=k, weight=w, position=i)
                     for i, (k, w) in enumerate(GROUPS.items())]
    round_.criteria = [Criterion(key=k, name=k, weight=w, position=i)
                       for i, (k, w) in enumerate(CRITERIA.items())]
    db.session.add(round_)
    db.session.flush()
    groups = {g.key: g.id for g in round_.groups}
    criteria = {c.key: c.id for c in round_.criteria}
    now = utcnow()
    apps = frames["applications"]
    db.session.execute(sa.insert(Application), [
        {"round_id": round_.id, "reference": r, "title": f"Project {r}", "lay_summary": "",
         "requested_amount": int(a), "extra": {}, "created_at": now}
        for r, a in zip(apps["reference"], apps["requested_amount"])])
    app_ids = dict(db.session.execute(sa.select(Application.reference, Application.id)).all())
    sheets = frames["sheets"]
    member_group = sheets.drop_duplicates("member").set_index("member")["group"]
    db.session.execute(sa.insert(User), [
        {"email": f"p{m}@bench.example", "name": f"Panellist {m}", "active": True,
         "session_version": 1, "created_at": now} for m in member_group.index])
    user_ids = dict(db.session.execute(sa.select(User.email, User.id)).all())
    db.session.execute(sa.insert(PanelMember), [
        {"round_id": round_.id, "user_id": user_ids[f"p{m}@bench.example"],
         "group_id": groups[g], "role": "panellist", "affiliations": [], "joined_at": now}
        for m, g in member_group.items()])
    member_ids = {int(e.split("@")[0][1:]): i for e, i in db.session.execute(
        sa.select(User.email, PanelMember.id).join(PanelMember.user))}
    db.session.execute(sa.insert(ScoreSheet), [
        {"id": int(s) + 1, "member_id": member_ids[int(m)], "application_id": app_ids[r],
         "stage": "initial" if v == 0 else "revised", "revision": int(v), "status": st,
         "comment": "", "reason": "", "version": 1, "created_at": now, "updated_at": now,
         "submitted_at": now if st == "submitted" else None}
        for s, m, r, v, st in zip(sheets["sheet"], sheets["member"], sheets["reference"],
                                  sheets["revision"], sheets["status"])])
    scores = frames["scores"]
    db.session.execute(sa.insert(CriterionScore), [
        {"sheet_id": int(s) + 1, "criterion_id": criteria[c],
         "value": None if v != v else int(v)}
        for s, c, v in zip(scores["sheet"], scores["criterion"], scores["value"])])
    store_scores(round_.id)  # as submitting each sheet would
    if db.engine.dialect.name == "postgresql":  # the ids were given: move the sequence on
        db.session.execute(sa.text("SELECT setval(pg_get_serial_sequence('score_sheets', 'id'), "
                                   "(SELECT max(id) FROM score_sheets))"))
    conflicts = frames["conflicts"]
    db.session.execute(sa.insert(Conflict), [
        {"member_id": member_ids[int(m)], "application_id": app_ids[r], "kind": "other",
         "details": "", "level": "step_out", "source": "officer", "status": "confirmed",
         "review_reason": "", "created_at": now}
        for m, r in zip(conflicts["member"], conflicts["reference"])])
    accounts.create_account(None, email="officer@bench.example", name="Officer",
                            roles={"officer"}, password="benchmark password", system="bench")
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Planner statistics, as a bulk import leaves them (panel/bundle/bulk.py): without
        # them the report's sheets query is planned for empty tables and runs for minutes.
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                sa.text("ANALYZE"))


def requests(client, what: str) -> str:
    """Three requests for page 1 of the ranking page, each timed; the last page's text."""
    for attempt in (1, 2, 3):
        started = time.perf_counter()
        response = client.get(f"/rounds/{SLUG}/ranking")
        took = time.perf_counter() - started
        print(f"ranking page 1 {what}, request {attempt}: {took:.2f} s, "
              f"status {response.status_code}, {len(response.data) / 1024:.0f} KB")
    return response.get_data(as_text=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            started = time.perf_counter()
            build(args.seed)
            print(f"built the round in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
            from panel.rounds.queries import round_by_slug
            from panel.scoring import figures

            round_ = round_by_slug(SLUG)
            started = time.perf_counter()
            frames = figures.load(round_, figures.RANKING)
            loaded = time.perf_counter()
            figures.figures(frames, figures.RANKING)
            print(f"of which: loading the round {loaded - started:.2f} s, "
                  f"the ranking {time.perf_counter() - loaded:.2f} s")
        client = app.test_client()
        page = client.get("/sign-in/staff").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post("/sign-in/staff", data={"csrf_token": token, "email": "officer@bench.example",
                                            "password": "benchmark password"})
        requests(client, "before the rank model is worked out")
        # How sure the ranking is (docs/ranking.md): the same page once the model's result
        # is kept, with its interval plot of the region around the funding line; the
        # requests above are its floor.
        with app.app_context():
            from panel.reports import rank_model_jobs
            from panel.rounds.queries import round_by_slug

            started = time.perf_counter()
            rank_model_jobs.compute(round_by_slug(SLUG))
            db.session.commit()
            print(f"rank model worked out and kept in {time.perf_counter() - started:.1f} s")
            from panel.moderation.meeting import shown_figures
            from panel.scoring.rank_intervals import rank_intervals

            round_ = round_by_slug(SLUG)
            found = shown_figures(round_)
            titles = found.applications.set_index("reference")["title"].to_dict()
            for attempt in (1, 2, 3):
                started = time.perf_counter()
                plot = rank_intervals(round_, titles, found)
                print(f"the interval plot alone (kept result read, rows chosen, drawn), "
                      f"{attempt}: {time.perf_counter() - started:.3f} s, "
                      f"{len(plot.rows)} of {plot.ranked:,} rows, grey zone {plot.grey_zone}")
        html = requests(client, "with the interval plot")
        dots = html.count('class="fp-intervals__dot"') - 1  # less the legend's
        print(f"interval plot rows drawn: {dots}")
        print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
