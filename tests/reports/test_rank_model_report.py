"""How sure the ranking is, in the report (DESIGN.md §3a): ``flask round rank-model``
works the model out (now or as a job) and keeps it per round version; ``flask round
report`` gives each application ``expected_rank``, ``rank_interval_50``,
``rank_interval_90`` and ``grey_zone``, None while the model is off or not worked out."""
from __future__ import annotations

import json

import sqlalchemy as sa

from panel.audit.models import AuditEvent
from panel.extensions import db
from panel.jobs.models import DONE, Job
from panel.scoring.models import RankModelResult
from tests.builders.worked import SLUG
from tests.support.jobs import run_jobs

KEYS = ("expected_rank", "rank_interval_50", "rank_interval_90", "grey_zone")


def report(runner) -> dict:
    result = runner.invoke(args=["round", "report", SLUG, "--format", "json"])
    assert result.exit_code == 0, result.output
    return {a["reference"]: a for a in json.loads(result.output)["applications"]}


def test_the_model_is_off_for_a_round_under_ten_applications(worked_round, runner):
    rows = report(runner)
    assert all(row[key] is None for row in rows.values() for key in KEYS)
    result = runner.invoke(args=["round", "rank-model", SLUG])
    assert result.exit_code == 0, result.output
    assert "off" in result.output
    assert db.session.scalar(sa.select(sa.func.count(RankModelResult.id))) == 0


def test_turned_on_the_report_gives_expected_ranks_and_keeps_them(worked_round, runner):
    result = runner.invoke(args=["round", "rank-model", SLUG, "--set", "on"])
    assert result.exit_code == 0, result.output
    assert "Expected ranks worked out for 3 applications" in result.output
    assert db.session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc())
                             .where(AuditEvent.action.like("round.rank_model%"))) \
        == "round.rank_model_changed"
    first = report(runner)
    for row in first.values():
        assert 1 <= row["expected_rank"] <= 3
        low, high = row["rank_interval_90"]
        assert 1 <= low <= row["rank_interval_50"][0] <= row["rank_interval_50"][1] <= high <= 3
        # Two funded (L = 2): in the grey zone when the 90 % interval holds 2.5.
        assert row["grey_zone"] == (low <= 2 < high)
    assert sum(row["expected_rank"] for row in first.values()) == 6  # 1 + 2 + 3
    # The report's own export moved the round's version on; the sheets did not change,
    # so the kept result still holds, and is the same.
    assert report(runner) == first
    runner.invoke(args=["round", "rank-model", SLUG, "--set", "off"])
    assert all(row[key] is None for row in report(runner).values() for key in KEYS)


def test_the_model_as_a_background_job(app, worked_round, runner):
    runner.invoke(args=["round", "rank-model", SLUG, "--set", "on"])
    db.session.execute(sa.delete(RankModelResult))
    db.session.commit()
    result = runner.invoke(args=["round", "rank-model", SLUG, "--in-background"])
    assert result.exit_code == 0, result.output
    run_jobs(app)
    job = db.session.scalar(sa.select(Job).where(Job.kind == "reports.rank_model"))
    db.session.refresh(job)
    assert job.state == DONE
    assert db.session.scalar(sa.select(sa.func.count(RankModelResult.id))) == 1
    assert report(runner)["A3"]["expected_rank"] is not None
