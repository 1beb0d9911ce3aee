"""A round where application B has one lived-experience reviewer (tests/reports/
test_small_groups.py works its figures by hand), its panel and staff readers."""
from __future__ import annotations

import json

import pytest

from panel.bundle import import_bundle
from panel.extensions import db
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.builders.worked import ROUND, worked_bundle

SLUG = "small-groups"
CHAIR = "chair@panel.example"
LONE = "lived1@panel.example"
WHY = ("so that no one's score can be worked out; the round shows a group's score only "
       "when at least 2 of its members scored")
B_NOTE = ("Academic: 2 panellists — not shown separately; Lived experience: one panellist — "
          f"not shown separately. Group scores are not shown {WHY}.")
LEFT_OUT = ("Worked out without the 1 application whose group scores are not shown (a group "
            "there had fewer than 2 members scoring), so that no one's score can be worked "
            "out from two figures.")

SPEC = {**ROUND, "slug": SLUG, "title": "Small groups",
        "criteria": [{"key": "q", "name": "Quality", "weight": 1, "guidance": "",
                      "descriptors": {}},
                     {"key": "n", "name": "Need", "weight": 1, "guidance": "",
                      "descriptors": {}}]}
APPLICATIONS = (
    "reference,title,lay_summary,requested_amount,applicant_name,organisation,contact_email\n"
    + "".join(f"{r},Project {r},What {r} does,{amount},Name {r},Org {r},{r}@x.example\n"
              for r, amount in (("A", 40), ("B", 30), ("C", 30), ("D", 30))))
PANELLISTS = ("email,name,group,role\n"
              "aca1@panel.example,Academic One,academic,panellist\n"
              "aca2@panel.example,Academic Two,academic,panellist\n"
              "lived1@panel.example,Lived One,lived_experience,panellist\n"
              "lived2@panel.example,Lived Two,lived_experience,panellist\n")
SCORES = ("email,reference,stage,q,n,comment\n"
          "aca1@panel.example,A,initial,5,5,\n"
          "aca2@panel.example,A,initial,3,3,\n"
          "lived1@panel.example,A,initial,2,2,\n"
          "lived2@panel.example,A,initial,4,4,\n"
          "lived2@panel.example,A,revised,5,5,\n"
          "aca1@panel.example,B,initial,4,4,\n"
          "aca2@panel.example,B,initial,4,2,\n"
          "lived1@panel.example,B,initial,1,1,\n"
          "lived1@panel.example,B,revised,3,3,\n"
          "aca1@panel.example,C,initial,2,2,\n"
          "aca2@panel.example,C,initial,2,4,\n"
          "lived1@panel.example,C,initial,5,5,\n"
          "lived2@panel.example,C,initial,3,5,\n"
          "aca1@panel.example,D,initial,3,3,\n"
          "aca2@panel.example,D,initial,3,3,\n"
          "lived1@panel.example,D,initial,3,3,\n"
          "lived2@panel.example,D,initial,4,2,\n")


@pytest.fixture
def lone_round(app, tmp_path):
    round_ = import_bundle(None, worked_bundle(
        tmp_path / "bundle", **{"round.json": json.dumps(SPEC),
                                "applications.csv": APPLICATIONS,
                                "panellists.csv": PANELLISTS, "scores.csv": SCORES,
                                "decisions.csv": "reference,outcome,rationale\n"}),
        system="tests")
    round_builders.member(round_, CHAIR, None, role="chair")
    round_.phase = "published"
    db.session.commit()
    return round_


def reader(app, mailbox, email):
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, email)
    return client


def staff_reader(app, role):
    client = app.test_client()
    people.staff(f"{role}@example.org", role)
    people.sign_in_staff(client, f"{role}@example.org")
    return client
