"""The draw takes its grey zone from the rank model (DESIGN.md §3a), through the source
registered at start-up: not known until the model has been worked out for the scores as
they are, then the applications whose 90 % rank interval [lo, hi] has lo ≤ L < hi, and
still the same model once the lots are drawn."""
from __future__ import annotations

import json
import re

from sqlalchemy import select

from panel.accounts.models import User
from panel.bundle import import_bundle
from panel.extensions import db
from panel.moderation import lottery
from panel.reports import rank_model_jobs
from panel.scoring import grey_zone
from tests.builders.meetings import CHAIR
from tests.builders.worked import PANELLISTS, ROUND, SLUG, worked_bundle
from tests.support.jobs import finish_job
from tests.support.web import csrf_token, submit

PREPARE = f"/rounds/{SLUG}/draw/prepare"


def test_the_grey_zone_comes_from_the_worked_out_model_and_outlives_the_draw(
        app, officer, tmp_path):
    round_ = import_bundle(None, worked_bundle(
        tmp_path / "bundle",
        **{"round.json": json.dumps({**ROUND, "funding_rule": "lottery"}),
           "panellists.csv": PANELLISTS + f"{CHAIR},Chair Person,,chair\n",
           "decisions.csv": "reference,outcome,rationale\n"}), system="tests")
    round_.phase, round_.rank_model = "moderation", "off"
    db.session.commit()
    # Off by the round's choice: nothing to work out, the officer is told what to change.
    page = officer.get(PREPARE).get_data(as_text=True)
    assert "setting for how sure the ranking is is off" in page
    assert "Work out how sure the ranking is</button>" not in page

    round_.rank_model = "auto"  # 3 applications, but the lottery needs the model: on
    db.session.commit()

    # Not worked out yet: the grey zone is unknown, the officer is told and offered it.
    assert grey_zone.grey_zone(round_) is None
    page = officer.get(PREPARE).get_data(as_text=True)
    assert "has not yet worked out how sure the ranking is" in page
    assert "Work out how sure the ranking is" in page
    refused = submit(officer, PREPARE)
    assert refused.status_code == 400 and lottery.lottery_of(round_) is None

    started = officer.post(f"/rounds/{SLUG}/report/rank-model",
                           data={"csrf_token": csrf_token(page)})
    assert re.fullmatch(r"/jobs/\d+", started.headers["Location"])
    assert "Expected ranks worked out for 3 applications" in finish_job(app, officer, started)

    # Now known: the model's own marks, by DESIGN §3a's rule on its stored intervals.
    result = rank_model_jobs.kept(round_)
    columns = result["applications"]
    line = result["line"]
    assert line == 2  # A3 and A2 fit the £100 budget walked as fill; A1 does not
    by_rule = sorted(ref for ref, (lo, hi) in zip(columns["reference"],
                                                  columns["rank_interval_90"])
                     if lo <= line < hi)
    assert grey_zone.grey_zone(round_) == by_rule
    page = officer.get(PREPARE).get_data(as_text=True)
    assert "has not yet worked out" not in page

    assert by_rule  # three applications this close: at least one is too close to call
    # The draw, then the report still finds the same model.
    officer_user = db.session.scalar(select(User).where(
        User.email == "officer@example.org"))
    lottery.prepare_draw(officer_user, round_)
    db.session.commit()
    lottery.draw(officer_user, round_, "7 19 42")
    db.session.commit()
    after = rank_model_jobs.kept(round_)
    assert after is not None and after["applications"] == columns
