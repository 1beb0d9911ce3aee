"""The panellist's connections page and the suggested conflicts it feeds (DESIGN.md §5):
saving, the audit trail, suggestions the panellist never sees, withdrawing them, and
validation that changes nothing."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.conflicts import suggestions
from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.rounds.models import PanelMember
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.builders.rounds import scoring_round
from tests.support.web import submit

PAGE = "/my-connections"
# A1's hidden contact e-mail is canary@leak.example (tests.test_scoring_services).
DETAILS = "Possible match: leak.example ~ contact_email"


@pytest.fixture
def round_(app):
    return scoring_round(members=("amira@example.org",))


@pytest.fixture
def amira(app, mailbox, round_):
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    return client


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def save(client, connections: str):
    return submit(client, PAGE, {"connections": connections})


def memberships() -> list[PanelMember]:
    return db.session.scalars(select(PanelMember).order_by(PanelMember.id)).all()


def suggested() -> list[Conflict]:
    return db.session.scalars(select(Conflict).where(Conflict.source == "suggested")).all()


def events(action: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()


def test_page_explains_why_we_ask(amira):
    page = text(amira.get(PAGE))
    assert "<h1" in page and "My connections" in page
    assert "so that nobody scores a project they are close to" in page
    assert "One per line" in page or "one on each line" in page


def test_saving_updates_every_membership_and_is_audited(amira, round_):
    other = round_builders.draft_round(slug="other-round", title="Other round")
    round_builders.member(other, "amira@example.org", "lived_experience")
    response = save(amira, "Eastgate Food Club\n\n  eastgate   food club \nCarers Together Network")
    assert response.status_code == 302 and response.location.endswith(PAGE)
    assert [m.affiliations for m in memberships()] == [
        ["Eastgate Food Club", "Carers Together Network"]] * 2
    changed = events("member.affiliations_changed")
    assert len(changed) == 2
    assert changed[0].before == {"affiliations": []}
    assert opened(changed[0]).after == {"affiliations": ["Eastgate Food Club", "Carers Together Network"]}
    page = text(amira.get(PAGE))
    assert "Your connections have been saved" in page
    assert "Eastgate Food Club\nCarers Together Network" in page


def test_a_match_raises_a_suggestion_the_panellist_never_sees(amira, round_):
    save(amira, "leak.example")
    [conflict] = suggested()
    assert (conflict.status, conflict.level, conflict.kind) == ("pending", "step_out", "other")
    assert conflict.details == DETAILS
    assert conflict.application.reference == "A1"
    [event] = events("conflict.suggested")
    assert event.actor == "system: conflict matching" and event.after["field"] == "contact_email"

    base = "/my-rounds/test-round/A1"
    pages = ["/", "/my-rounds", PAGE, "/my-rounds/test-round", base, f"{base}/connection"]
    submit(amira, f"{base}/connection", {"answer": "none"})  # a suggestion does not step out
    pages += [f"{base}/application", f"{base}/question/1", f"{base}/comment", f"{base}/check"]
    for path in pages:
        response = amira.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        page = text(response)
        assert DETAILS not in page and "Possible match" not in page, path
        assert "stepped out" not in page.lower(), path


def test_removing_the_connection_withdraws_the_pending_suggestion(amira):
    save(amira, "leak.example")
    save(amira, "Carers Together Network")
    [conflict] = suggested()
    assert (conflict.status, conflict.review_reason) == ("dismissed", suggestions.WITHDRAWN)
    assert len(events("conflict.suggestion_withdrawn")) == 1
    save(amira, "canary@leak.example")  # back again: the same suggestion reopens
    [conflict] = suggested()
    assert conflict.status == "pending"
    assert conflict.details == "Possible match: canary@leak.example ~ contact_email"


def test_no_suggestion_when_a_conflict_is_already_on_record(amira):
    member = memberships()[0]
    db.session.add(Conflict(member_id=member.id, kind="local", source="declared",
                            application_id=member.assignments[0].application_id))
    db.session.commit()
    save(amira, "leak.example")
    assert suggested() == []


def test_officer_decisions_on_suggestions_are_left_alone(amira):
    save(amira, "leak.example")
    conflict = suggested()[0]
    conflict.status = "confirmed"
    db.session.commit()
    save(amira, "")
    assert suggested()[0].status == "confirmed"


def test_refresh_for_round_matches_identifying_extra_columns(app, round_):
    member = memberships()[0]
    member.affiliations = ["+44 (0) CANARY"]  # not a phone number: no match
    db.session.commit()
    assert suggestions.refresh_for_round(round_) == []
    round_.applications[1].extra = {"lead_contact_phone": "07700 900123"}
    member.affiliations = ["07700 900 123"]
    raised = suggestions.refresh_for_round(round_)
    db.session.commit()
    assert [(c.application.reference, c.details) for c in raised] == [
        ("A2", "Possible match: 07700 900 123 ~ lead_contact_phone")]


def test_decided_rounds_are_left_alone(app, round_):
    round_.phase = "decided"
    memberships()[0].affiliations = ["leak.example"]
    assert suggestions.refresh_for_round(round_) == []


@pytest.mark.parametrize("connections, message", [
    ("\n".join(f"Group {n}" for n in range(51)), "Write 50 connections or fewer. You wrote 51."),
    ("Fine\n" + "x" * 201, "Line 2 is too long. Keep each line to 200 letters or fewer."),
])
def test_bad_input_shows_an_error_and_changes_nothing(amira, connections, message):
    save(amira, "Eastgate Food Club")
    response = save(amira, connections)
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert "<title>Error: My connections" in page
    assert memberships()[0].affiliations == ["Eastgate Food Club"]
    assert len(events("member.affiliations_changed")) == 1


def test_people_on_no_panel_cannot_open_it(app, client, mailbox):
    assert client.get(PAGE).status_code == 302  # signed out: to sign in
    people.panellist("nobody@example.org", "No Body")
    people.sign_in_by_link(client, mailbox, "nobody@example.org")
    assert client.get(PAGE).status_code == 403
