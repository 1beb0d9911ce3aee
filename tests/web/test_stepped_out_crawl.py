"""Stepping out holds on every page (DESIGN.md §5): a panellist with a confirmed step_out
conflict on application X walks every route the app has, GET and POST, and learns nothing
of X beyond its title, cannot save or submit a score for it, and is told kindly that they
have stepped out. New routes are covered as they are added: the walk iterates url_map.

Also: a sheet made before the conflict was confirmed stays on record but stops counting."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from panel.accounts.models import User
from panel.conflicts import services as conflicts
from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.reports.report import round_report
from panel.rounds import services as rounds
from panel.rounds.models import Assignment, PanelMember
from panel.scoring import queries
from panel.scoring import services as scoring
from panel.scoring.models import ScoreSheet
from tests.builders import people
from tests.builders import rounds as round_builders

SLUG = "test-round"
CANARIES = ("CANARY-SUMMARY", "CANARY-APPLICANT", "CANARY-ORG", "canary@leak.example",
            "CANARY-PHONE", "CANARY-AREA")
TITLE = "Growing food together"
KIND_WORDS = "You will not score this one"
# Pages only staff may open: the panellist must get 403 or 404 from every one of them.
STAFF_PREFIXES = ("/rounds", "/admin", "/audit")
# Posting here would end the walk itself.
NOT_POSTED = {"accounts.sign_out"}
PLAUSIBLE_FORM = {"answer": "none", "kind": "other", "note": "A note", "score": "5",
                  "version": "0", "comment": "Great", "c_q": "5", "c_n": "5",
                  "action": "submit", "level": "declared", "reason": "Because"}


def canary_round(members=("amira@example.org", "bea@example.org")):
    """A round in scoring: X = A1, every field but its title a canary; A2 plain. Each of
    ``members`` (lived experience) is assigned both."""
    round_ = round_builders.draft_round(identifying_columns=["lead_contact_phone"])
    rounds.add_application(None, round_, {
        "reference": "A1", "title": TITLE, "lay_summary": "CANARY-SUMMARY of the garden",
        "requested_amount": 60, "applicant_name": "CANARY-APPLICANT",
        "organisation": "CANARY-ORG", "contact_email": "canary@leak.example",
        "area": "CANARY-AREA", "lead_contact_phone": "CANARY-PHONE-0770"}, system="tests")
    rounds.add_application(None, round_, {
        "reference": "A2", "title": "Walks for older people", "lay_summary": "Gentle walks.",
        "requested_amount": 40, "applicant_name": "Second", "organisation": "Second Org",
        "contact_email": "second@org.example"}, system="tests")
    db.session.commit()
    for email in members:
        member = round_builders.member(round_, email, "lived_experience")
        for application in round_.applications:
            db.session.add(Assignment(member_id=member.id, application_id=application.id))
    rounds.change_phase(None, round_, "scoring", system="tests")
    db.session.commit()
    return round_


def member(email: str) -> PanelMember:
    return db.session.scalar(select(PanelMember).join(User).where(User.email == email))


def score(email: str, reference: str, value: str, *, submit: bool = True) -> ScoreSheet:
    found = member(email)
    assignment = queries.assignment_for(found, reference)
    scoring.answer_no_connection(found.user, assignment)
    sheet = scoring.save_sheet(found.user, assignment, 0, scores={"q": value, "n": value},
                               comment="Mine")
    if submit:
        scoring.submit_sheet(found.user, assignment, sheet.version)
    db.session.commit()
    return sheet


def step_out(email: str, reference: str) -> Conflict:
    """An officer records a confirmed step_out conflict."""
    officer = people.staff("boss@example.org", "officer")
    found = member(email)
    application = queries.assignment_for(found, reference).application
    made = conflicts.add_conflict(officer, found.round, found, application, "family_or_friend",
                                  "Her brother runs it", "step_out")
    db.session.commit()
    return made


def sheet_state(member_id: int, application_id: int):
    sheet = queries.initial_sheet(member_id, application_id)
    if sheet is None:
        return None
    return (sheet.status, sheet.version, sheet.comment,
            sorted((s.criterion_id, s.value) for s in sheet.scores))


def values_for(rule, amira: PanelMember, conflict: Conflict) -> dict:
    known = {"slug": SLUG, "reference": "A1", "member_id": amira.id, "number": 1,
             "conflict_id": conflict.id, "user_id": amira.user_id, "key": "q",
             "direction": "up", "action": "disable", "token": "no-such-token"}
    return {name: known.get(name, "x") for name in rule.arguments}


def build_path(rule, values: dict) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def csrf_from(client) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"',
                      client.get("/my-rounds").get_data(as_text=True))
    assert found, "a signed-in page carries the CSRF token"
    return found.group(1)


@pytest.fixture(params=["no sheet", "draft sheet before"])
def walk(request, app, mailbox):
    canary_round()
    if request.param == "draft sheet before":
        score("amira@example.org", "A1", "4", submit=False)
    conflict = step_out("amira@example.org", "A1")
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    return client, member("amira@example.org"), conflict


def test_a_stepped_out_member_learns_nothing_and_scores_nothing_anywhere(app, walk):
    client, amira, conflict = walk
    x = conflict.application_id
    before = sheet_state(amira.id, x)
    token = csrf_from(client)
    visited = []
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    assert len(rules) > 30, "the walk must see the whole app"
    for rule in rules:
        path = build_path(rule, values_for(rule, amira, conflict))
        for method in sorted(rule.methods & {"GET", "POST"}):
            if method == "POST" and rule.endpoint in NOT_POSTED:
                continue
            if method == "GET":
                response = client.get(path)
            elif rule.endpoint == "scoring.save":
                response = client.post(path, headers={"X-CSRFToken": token}, json={
                    "version": 0, "scores": {"q": "5", "n": "5"}, "comment": "Great"})
            else:
                response = client.post(path, data={"csrf_token": token, **PLAUSIBLE_FORM})
            visited.append((method, path, response.status_code))
            body = page_text(response)
            for canary in CANARIES:
                assert canary not in body, f"{method} {path} shows {canary}"
            assert response.status_code < 500, f"{method} {path}"
            if rule.rule.startswith(STAFF_PREFIXES):
                assert response.status_code in (403, 404), f"{method} {path} is for staff"
    assert sheet_state(amira.id, x) == before
    assert db.session.scalar(select(func.count()).select_from(Conflict).where(
        Conflict.member_id == amira.id, Conflict.application_id == x)) == 1
    assignment = queries.assignment_for(amira, "A1")
    assert assignment.passed_at is None
    assert client.get("/my-rounds").status_code == 200, "still signed in after the walk"
    assert any(path.endswith("/A1/check") for _, path, _ in visited)
    assert not [v for v in visited if v[2] == 400], "every post got past the CSRF check"


def test_every_page_about_x_tells_the_member_kindly(app, walk):
    client, amira, conflict = walk
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/my-rounds/") or "reference" not in rule.arguments \
                or "GET" not in rule.methods:
            continue
        response = client.get(build_path(rule, values_for(rule, amira, conflict)),
                              follow_redirects=True)
        body = page_text(response)
        assert response.status_code == 200 and KIND_WORDS in body, rule.rule
        assert TITLE in body and "CANARY" not in body
    listing = page_text(client.get(f"/my-rounds/{SLUG}"))
    assert "Stepped out" in listing and TITLE in listing and "CANARY" not in listing


def test_a_sheet_from_before_the_conflict_stays_on_record_but_stops_counting(app):
    canary_round()
    kept = score("amira@example.org", "A1", "5")
    score("bea@example.org", "A1", "1")
    # A suggestion changes nothing until an officer confirms it.
    amira = member("amira@example.org")
    suggestion = Conflict(member_id=amira.id, application_id=kept.application_id,
                          kind="work_or_volunteer", details="CANARY-ORG", source="suggested")
    db.session.add(suggestion)
    db.session.commit()
    counted = _x(round_report(amira.round))
    assert counted["sheets"]["lived_experience"] == 2

    conflicts.confirm(people.staff("boss@example.org", "officer"), suggestion)
    db.session.commit()
    report = _x(round_report(amira.round))
    assert report["sheets"]["lived_experience"] == 1
    assert report["score"] < counted["score"]
    sheet = db.session.get(ScoreSheet, kept.id)
    assert sheet is not None and sheet.status == "submitted"


def _x(report: dict) -> dict:
    return next(a for a in report["applications"] if a["reference"] == "A1")
