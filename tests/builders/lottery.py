"""The worked example under the funding rule ``lottery`` (DESIGN.md §3a), in moderation,
with a chair; the grey zone set through the seam (panel/scoring/grey_zone.py) for the
test, and the rank model's source put back afterwards.

Final scores: A3 87.5 (£40), A2 75 (£50), A1 43.75 (£60); budget £100. The provisional
line, walked as fill, funds A3 and A2 (£90) and skips A1. With the grey zone A1 and A2,
A3 alone is above it and B' = £100 − £40 = £60. Drawn A1 first: A1 (£60) fits, then A2
(£50) does not; drawn A2 first: A2 fits (£50), then A1 (£60) does not."""
from __future__ import annotations

import json

import pytest

from panel.bundle import import_bundle
from panel.extensions import db
from panel.scoring import grey_zone
from tests.builders.meetings import CHAIR
from tests.builders.worked import PANELLISTS, ROUND, worked_bundle

GREY_ZONE = ["A1", "A2"]


@pytest.fixture
def lottery_round(app, tmp_path):
    round_ = import_bundle(None, worked_bundle(
        tmp_path / "bundle",
        **{"round.json": json.dumps({**ROUND, "funding_rule": "lottery"}),
           "panellists.csv": PANELLISTS + f"{CHAIR},Chair Person,,chair\n",
           "decisions.csv": "reference,outcome,rationale\n"}), system="tests")
    round_.phase = "moderation"
    db.session.commit()
    model = app.extensions.get(grey_zone.SOURCE)  # the rank model's, set at start-up
    grey_zone.use_source(app, lambda _round: GREY_ZONE)
    yield round_
    grey_zone.use_source(app, model)
