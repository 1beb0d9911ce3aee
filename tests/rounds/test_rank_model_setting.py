"""The round's setting for how sure the ranking is (DESIGN.md §3a), on its set-up page:
auto, on or off with a plain explanation; recorded as round.rank_model_changed; open
until the round is decided; bad input changes nothing."""
from __future__ import annotations

import html
import re

import sqlalchemy as sa

from panel.audit.models import AuditEvent
from panel.extensions import db
from tests.builders.worked import SLUG
from tests.support.web import submit

PAGE = f"/rounds/{SLUG}/setup/rank-model"


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(body)).strip()


def changes() -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "round.rank_model_changed")).all()


def test_the_page_explains_each_choice_with_automatic_chosen(worked_round, officer):
    response = officer.get(PAGE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r'value="auto"[^>]*checked|checked[^>]*value="auto"', page)
    words = text(response)
    assert "Work it out for a round of 10 applications or more" in words
    assert "Always work it out, however few applications the round has." in words
    assert "the funding rule lottery cannot prepare its draw" in words
    assert "It never changes a score" in words


def test_turning_it_on_is_saved_and_recorded(worked_round, officer):
    response = submit(officer, PAGE, {"rank_model": "on"})
    assert response.status_code == 302
    db.session.refresh(worked_round)
    assert worked_round.rank_model == "on"
    [event] = changes()
    assert (event.before, event.after) == ({"rank_model": "auto"}, {"rank_model": "on"})
    # A setting behind the published result, like the funding rule: in the public kit.
    assert event.public is True
    overview = text(officer.get(f"/rounds/{SLUG}/setup"))
    assert "How sure the ranking is On: Always work it out" in overview


def test_a_choice_that_is_not_offered_changes_nothing(worked_round, officer):
    response = submit(officer, PAGE, {"rank_model": "sometimes"})
    assert response.status_code == 200
    assert ("Choose automatic, on or off for working out how sure the ranking is"
            in text(response))
    db.session.refresh(worked_round)
    assert worked_round.rank_model == "auto" and changes() == []


def test_it_can_change_in_the_meeting_but_not_once_decided(worked_round, officer):
    worked_round.phase = "moderation"
    db.session.commit()
    assert submit(officer, PAGE, {"rank_model": "off"}).status_code == 302
    worked_round.phase = "decided"
    db.session.commit()
    assert officer.get(PAGE).status_code == 409
    assert "whether to work out how sure" not in officer.get(
        f"/rounds/{SLUG}/setup").get_data(as_text=True)
