"""Blind scoring, enforced on the server (DESIGN.md §4): the identifying fields of an
application never reach a panel member, on any page or JSON answer of theirs."""
from __future__ import annotations

from panel.extensions import db
from panel.rounds.models import Application
from panel.scoring.blind import blind_view, summary_view
from tests.builders import people
from tests.builders.rounds import CANARIES, scoring_round
from tests.support.web import csrf_token, submit

BASE = "/my-rounds/test-round/A1"


def assert_blind(text: str, where: str) -> None:
    for canary in CANARIES:
        assert canary.lower() not in text.lower(), f"{canary} leaked on {where}"


def test_the_blind_view_keeps_only_what_identifies_no_one(app):
    scoring_round()
    application = db.session.query(Application).filter_by(reference="A1").one()
    view = blind_view(application)
    assert view.details == (("Area", "a mill town"),)
    assert_blind(repr(view), "blind_view")
    assert_blind(repr(summary_view(application)), "summary_view")


def test_identifying_columns_are_hidden_whatever_their_case(app):
    round_ = scoring_round()
    application = round_.applications[0]
    application.extra = {**application.extra, "Lead_Contact_Phone": "CANARY-PHONE-0770",
                         "organisation": "CANARY-ORG"}
    assert_blind(repr(blind_view(application)), "blind_view")


def test_no_panellist_page_or_answer_shows_an_identifying_field(app, client, mailbox):
    scoring_round()
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    seen = []

    def get(path):
        response = client.get(path, follow_redirects=True)
        assert_blind(response.get_data(as_text=True), path)
        seen.append(path)
        return response.get_data(as_text=True)

    for path in ("/my-rounds", "/my-rounds/test-round", BASE, f"{BASE}/connection",
                 f"{BASE}/pass"):
        get(path)
    for response in (submit(client, f"{BASE}/connection", {}),
                     submit(client, f"{BASE}/connection", {"answer": "none"},
                            follow_redirects=True)):
        assert_blind(response.get_data(as_text=True), "connection answer")
    page = get(f"{BASE}/application")
    assert "a mill town" in page  # a column the round does not mark identifying
    token = csrf_token(get(f"{BASE}/question/1"))
    for number in (1, 2):
        assert_blind(submit(client, f"{BASE}/question/{number}", {}).get_data(as_text=True),
                     "question error")
    for body in ({"version": 0, "scores": {"q": "4"}}, {"version": 0, "scores": {"q": "2"}},
                 {"version": 9, "scores": {"nope": "2"}}, {"version": 1, "comment": "x"}):
        response = client.post(f"{BASE}/save", json=body, headers={"X-CSRFToken": token})
        assert_blind(response.get_data(as_text=True), f"save {body}")
    assert_blind(submit(client, f"{BASE}/question/1", {"score": "3", "version": "0"},
                        follow_redirects=True).get_data(as_text=True), "stale question")
    for path in (f"{BASE}/question/2", f"{BASE}/comment", f"{BASE}/check"):
        get(path)
    assert_blind(submit(client, f"{BASE}/check", follow_redirects=True).get_data(as_text=True),
                 "submit")
    get(BASE)  # the locked sheet
    assert len(seen) >= 10


def test_a_declared_connection_reveals_nothing_either(app, client, mailbox):
    scoring_round()
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    response = submit(client, f"{BASE}/connection/kind", {"kind": "local", "note": "neighbour"},
                      follow_redirects=True)
    assert_blind(response.get_data(as_text=True), "stepped out")
    assert_blind(client.get(f"{BASE}/application", follow_redirects=True).get_data(as_text=True),
                 "application after stepping out")
