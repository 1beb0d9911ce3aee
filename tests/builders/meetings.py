"""The worked example in moderation: the meeting's round, its chair and a lived-experience
panellist signed in, and starting the meeting as the chair would."""
from __future__ import annotations

import pytest

from panel.bundle import import_bundle
from panel.extensions import db
from tests.builders import people
from tests.builders.worked import PANELLISTS, SLUG, worked_bundle
from tests.support.web import submit

CHAIR = "chair@panel.example"


LIVED = "lived1@panel.example"


ACADEMIC = "aca1@panel.example"


@pytest.fixture
def meeting_round(app, tmp_path):
    """The worked example in moderation, with a chair and no decisions yet."""
    round_ = import_bundle(None, worked_bundle(
        tmp_path / "bundle",
        **{"panellists.csv": PANELLISTS + f"{CHAIR},Chair Person,,chair\n",
           "decisions.csv": "reference,outcome,rationale\n"}), system="tests")
    round_.phase = "moderation"
    db.session.commit()
    return round_


def sign_in(client, mailbox, email):
    people.sign_in_by_link(client, mailbox, email)
    return client


@pytest.fixture
def chair(app, meeting_round, mailbox):
    return sign_in(app.test_client(), mailbox, CHAIR)


@pytest.fixture
def lived(app, meeting_round, mailbox):
    return sign_in(app.test_client(), mailbox, LIVED)


def started(chair_client):
    response = submit(chair_client, f"/rounds/{SLUG}/meeting", action=f"/rounds/{SLUG}/meeting/start")
    assert response.status_code == 302
    return chair_client.get(f"/rounds/{SLUG}/meeting").get_data(as_text=True)
