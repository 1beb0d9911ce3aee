""""Who to chase" lists panellists only once a set share of the scoring window (from
opening to the deadline) has passed; before then it says when it will start (issue 20)."""
from __future__ import annotations

import html as html_lib
import re
from datetime import datetime, timedelta

from panel.extensions import db, utcnow
from panel.rounds import progress, services
from panel.rounds.rules_chase import chase_from
from panel.rounds.rules_time_zones import local_time
from tests.builders import rounds as round_builders

DASHBOARD = "/rounds/test-round/"


def text(response) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ",
                                             response.get_data(as_text=True))).split())


def test_half_way_from_opening_to_the_deadline():
    opened, deadline = datetime(2026, 6, 1, 9, 0), datetime(2026, 6, 11, 9, 0)
    assert chase_from(opened, deadline) == datetime(2026, 6, 6, 9, 0)  # 10 days / 2
    assert chase_from(opened, deadline, 0.25) == datetime(2026, 6, 3, 21, 0)  # 2.5 days
    assert chase_from(opened, deadline, 0) == opened


def test_without_a_deadline_or_an_opening_the_list_starts_at_once():
    assert chase_from(None, datetime(2026, 6, 11)) is None
    assert chase_from(datetime(2026, 6, 1), None) is None
    assert chase_from(datetime(2026, 6, 11), datetime(2026, 6, 1)) is None  # moved after


def _scoring_round(deadline_in_days: int):
    round_ = round_builders.draft_round()
    round_builders.applications(round_, 60, 50)
    round_builders.member(round_, "ac@example.org", "academic")
    round_builders.member(round_, "le@example.org", "lived_experience")
    services.assign_everyone(None, round_, system="tests")
    services.change_phase(None, round_, "scoring", system="tests")
    round_.scoring_deadline = utcnow() + timedelta(days=deadline_in_days)
    db.session.commit()
    return round_


def test_early_in_scoring_nobody_is_listed_and_the_page_says_from_when(app, officer):
    round_ = _scoring_round(10)
    opened = progress.scoring_opened_at(round_)
    assert opened is not None and utcnow() - opened < timedelta(minutes=5)
    start = chase_from(opened, round_.scoring_deadline, 0.5)
    page = text(officer.get(DASHBOARD))
    assert "It is early in scoring, so nobody is listed yet." in page
    local = local_time(start, round_.time_zone)  # five days after opening, London time
    # In the round's zone with its abbreviation: GMT in winter, BST in summer.
    assert (f"From {local:%H:%M} {local.tzname()} on {local:%A} {local.day} {local:%B %Y}"
            in page)
    assert "50% of the way from opening to the deadline" in page
    assert "Send a reminder" not in page and "Ac: 2 left" not in page


def test_once_the_share_has_passed_everyone_outstanding_is_listed(app, officer):
    _scoring_round(10)
    app.config["CHASE_AFTER_PERCENT"] = 0
    try:
        page = text(officer.get(DASHBOARD))
    finally:
        app.config["CHASE_AFTER_PERCENT"] = 50
    assert "It is early" not in page
    assert "Ac: 2 left" in page and "Le: 2 left" in page
    assert "Send a reminder to everyone outstanding (2 people)" in page


def test_after_the_deadline_everyone_outstanding_is_listed(app, officer):
    _scoring_round(-1)
    page = text(officer.get(DASHBOARD))
    assert "Ac: 2 left" in page and "It is early" not in page
