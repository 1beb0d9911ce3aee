"""What a panellist is told about a round (issue 20; panel/rounds/welcome.py): the
e-mail when scoring opens and the round's page name the round, the funder, the deadline,
how many applications and about how long, what their group is paid, and whom to ask."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from panel.audit.models import AuditEvent
from panel.extensions import db
from panel.rounds import services as rounds
from panel.rounds import setup
from tests.builders import people
from tests.builders.payments import ACADEMIC, LIVED, paid_round
from tests.support.web import submit

SLUG = "test-round"
HELP = "Sam Patel, 0161 496 0000"


def _details(round_, **changes) -> None:
    values = {"title": round_.title, "description": "", "scoring_deadline": date(2026, 6, 30),
              "time_zone": "Europe/London", "funder": "Northern Health Trust",
              "help_contact": HELP, "minutes_per_application": 30, **changes}
    setup.update_details(None, round_, **values)
    db.session.commit()


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_officer_says_what_panellists_are_told(app, officer):
    paid_round("draft")
    response = submit(officer, f"/rounds/{SLUG}/setup/details", {
        "title": "Test round", "description": "", "scoring_deadline": "30/06/2026",
        "time_zone": "Europe/London", "funder": "Northern Health Trust",
        "help_contact": HELP, "minutes_per_application": "half an hour"})
    assert "Enter how long one application takes as a whole number of minutes" in \
        _words(response.get_data(as_text=True))
    response = submit(officer, f"/rounds/{SLUG}/setup/details", {
        "title": "Test round", "description": "", "scoring_deadline": "30/06/2026",
        "time_zone": "Europe/London", "funder": "Northern Health Trust",
        "help_contact": HELP, "minutes_per_application": "30"})
    assert response.status_code == 302
    overview = _words(officer.get(f"/rounds/{SLUG}/setup").get_data(as_text=True))
    assert "Northern Health Trust" in overview and "about 30 minutes" in overview
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "round.details_changed")).all()[-1]
    assert event.after["funder"] == "Northern Health Trust"
    assert set(event.after["help_contact"]) == {"sealed"}  # it names a person


def test_the_e_mail_when_scoring_opens_says_what_a_panellist_needs(app, mailbox):
    round_ = paid_round("draft")
    _details(round_)
    rounds.change_phase(None, round_, "scoring", system="tests", notify=True)
    db.session.commit()
    [lived] = mailbox.to(LIVED)
    body = _words(mailbox.body(lived))
    assert "Scoring is open for Test round, funded by Northern Health Trust." in body
    assert "You have 2 applications to score." in body
    assert "Please send your scores by 23:59 BST on Tuesday 30 June 2026." in body
    assert "Each application takes about 30 minutes, so about 1 hour in all." in body
    assert "You are paid for your time: £25 an hour and £75 for the meeting." in body
    assert "You can choose not to be paid; this does not change anything" in body
    assert f"If you need help, ask {HELP}." in body
    [academic] = mailbox.to(ACADEMIC)
    body = _words(mailbox.body(academic))
    assert "You have 1 application to score." in body and "paid" not in body
    assert "It takes about 30 minutes." in body


def test_the_round_s_page_says_the_same(app, mailbox):
    round_ = paid_round("draft")
    _details(round_)
    round_.phase = "scoring"
    db.session.commit()
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, LIVED)
    page = _words(client.get(f"/my-rounds/{SLUG}").get_data(as_text=True))
    assert ("Funded by Northern Health Trust. You have 2 applications to score by "
            "23:59 BST on Tuesday 30 June 2026. Each takes about 30 minutes, so about 1 hour in all.") in page
    assert "You are paid for your time: £25 an hour and £75 for the meeting." in page
    assert f"If you need help, ask {HELP}." in page
    assert f'href="/my-time/{SLUG}"' in page
    academic = app.test_client()
    people.sign_in_by_link(academic, mailbox, ACADEMIC)
    page = _words(academic.get(f"/my-rounds/{SLUG}").get_data(as_text=True))
    assert "You have 1 application to score" in page and "You are paid" not in page


def test_without_the_details_the_page_says_only_what_it_knows(app, mailbox):
    paid_round()
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, ACADEMIC)
    page = _words(client.get(f"/my-rounds/{SLUG}").get_data(as_text=True))
    assert "You have 1 application to score." in page
    assert "Funded by" not in page and "If you need help" not in page
