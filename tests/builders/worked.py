"""DESIGN.md §3's worked example as a round bundle (applications A1–A3, two academics and a
lived-experience panellist, one revision), imported through the real bundle loader."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from panel.bundle import import_bundle
from panel.extensions import db

SLUG = "worked-example"


ROUND = {
    "title": "Worked example", "slug": SLUG, "scale": {"min": 1, "max": 5}, "budget": 100,
    "funding_rule": "strict", "weighting": "equal_groups",
    "groups": [{"key": "academic", "label": "Academic", "weight": 1},
               {"key": "lived_experience", "label": "Lived experience", "weight": 1}],
    "criteria": [{"key": "q", "name": "Quality", "weight": 3, "guidance": "", "descriptors": {}},
                 {"key": "n", "name": "Need", "weight": 1, "guidance": "", "descriptors": {}}],
}


APPLICATIONS = (
    "reference,title,lay_summary,requested_amount,applicant_name,organisation,contact_email\n"
    "A1,Project one,What one does,60,Ann,Org one,ann@one.example\n"
    "A2,=HYPERLINK(\"http://evil\"),What two does,50,Bob,Org two,bob@two.example\n"
    "A3,Project three,What three does,40,Cat,Org three,cat@three.example\n")


PANELLISTS = ("email,name,group,role\n"
              "aca1@panel.example,Academic One,academic,panellist\n"
              "aca2@panel.example,Academic Two,academic,panellist\n"
              "lived1@panel.example,Lived One,lived_experience,panellist\n")


SCORES = ("email,reference,stage,q,n,comment\n"
          "aca1@panel.example,A1,initial,5,5,\n"
          "aca1@panel.example,A2,initial,3,3,\n"
          "aca1@panel.example,A3,initial,4,,\n"
          "aca2@panel.example,A1,initial,5,1,\n"
          "lived1@panel.example,A1,initial,1,1,\n"
          "lived1@panel.example,A2,initial,5,5,\n"
          "lived1@panel.example,A3,initial,4,4,\n"
          "lived1@panel.example,A3,revised,5,,\n")


DECISIONS = "reference,outcome,rationale\nA3,do_not_fund,-Funded elsewhere already\n"


def worked_bundle(folder: Path, **changes: str) -> Path:
    folder.mkdir()
    files = {"round.json": json.dumps(ROUND), "applications.csv": APPLICATIONS,
             "panellists.csv": PANELLISTS, "scores.csv": SCORES, "decisions.csv": DECISIONS,
             **changes}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def worked_round(app, tmp_path):
    round_ = import_bundle(None, worked_bundle(tmp_path / "bundle"), system="tests")
    db.session.commit()
    return round_
