"""Moving a round between phases (DESIGN.md §2): what is incomplete before each move,
the hard refusals, the back-steps and their reasons, and the audit trail."""
from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.conflicts.models import Conflict
from panel.extensions import db, utcnow
from panel.moderation.models import Decision
from panel.rounds import phases, services
from panel.rounds.models import Assignment
from panel.rounds.services import RoundError
from panel.scoring.models import ScoreSheet
from tests.builders import rounds as round_builders
from tests.support.web import csrf_token

PHASE = "/rounds/test-round/phase"
FORWARD = "/rounds/test-round/phase/next"
BACK = "/rounds/test-round/phase/back"


def text_of(page: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def post_form(client, page: str, data: dict | None = None):
    """Open ``page``, then post its form back with every hidden field it carries."""
    html = client.get(page).get_data(as_text=True)
    hidden = dict(re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?type="hidden"[^>]*?value="([^"]*)"',
                             html))
    hidden.update(re.findall(r'<input[^>]*?type="hidden"[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"',
                             html))
    hidden["csrf_token"] = csrf_token(html)
    return client.post(page, data={**hidden, **(data or {})})


def sheet(member, application, status="submitted"):
    db.session.add(ScoreSheet(member=member, application=application, status=status,
                              revision=0, stage="initial"))


def phase_events() -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "round.phase_changed").order_by(AuditEvent.id)).all()


@pytest.fixture
def half_built(app):
    """Budget 0; no lived-experience panellist; Ac1 reviews A1 only; Ac2 reviews nothing;
    one suggested conflict waiting for review."""
    round_ = round_builders.draft_round(budget=0)
    a1, _, _ = round_builders.applications(round_, 10, 20, 30)
    ac1 = round_builders.member(round_, "ac1@example.org", "academic")
    ac2 = round_builders.member(round_, "ac2@example.org", "academic")
    round_builders.member(round_, "chair@example.org", "academic", role="chair")
    db.session.add(Assignment(member=ac1, application=a1))
    db.session.add(Conflict(member=ac2, application=a1, source="suggested", status="pending"))
    db.session.commit()
    return round_


@pytest.fixture
def scoring_round(app):
    """In scoring. Ac: A1, A2 submitted, A3 draft. Le: A1 not started, A2 passed,
    A3 stepped out (with a submitted sheet that does not count)."""
    round_ = round_builders.draft_round()
    a1, a2, a3 = round_builders.applications(round_, 60, 50, 40)
    ac = round_builders.member(round_, "ac@example.org", "academic")
    le = round_builders.member(round_, "le@example.org", "lived_experience")
    services.assign_everyone(None, round_, system="tests")
    services.change_phase(None, round_, "scoring", system="tests")
    sheet(ac, a1)
    sheet(ac, a2)
    sheet(ac, a3, "draft")
    db.session.scalar(select(Assignment).where(Assignment.member_id == le.id,
                                               Assignment.application_id == a2.id)
                      ).passed_at = utcnow()
    db.session.add(Conflict(member=le, application=a3, level="step_out", status="confirmed"))
    sheet(le, a3)
    db.session.commit()
    return round_


# --- What is incomplete ---------------------------------------------------------------

def test_before_scoring_lists_exactly_what_is_incomplete(half_built):
    checklist = phases.checklist(half_built, "scoring")
    assert checklist.blocking == []
    assert [(item.text, item.details) for item in checklist.warnings] == [
        ("The budget is £0, so no application can be funded.", []),
        ("The Lived experience group has no panellists.", []),
        ("2 applications have no reviewer:", ["A2", "A3"]),
        ("1 panellist has nothing to review:", ["Ac2"]),
        ("1 possible conflict of interest is waiting for review.", []),
    ]


def test_confirmation_page_shows_the_list_and_the_officer_may_still_move_on(officer,
                                                                            half_built):
    page = officer.get(FORWARD).get_data(as_text=True)
    text = text_of(page)
    assert "Move from draft to scoring" in text
    assert ("Not finished yet The budget is £0, so no application can be funded. "
            "The Lived experience group has no panellists. 2 applications have no reviewer: "
            "A2 A3 1 panellist has nothing to review: Ac2 1 possible conflict of interest is "
            "waiting for review. You can still move the round on.") in text
    response = post_form(officer, FORWARD)
    assert response.status_code == 302
    db.session.refresh(half_built)
    assert half_built.phase == "scoring"


def test_a_round_ready_for_scoring_has_nothing_missing(officer, scoring_round):
    scoring_round.phase = "draft"
    db.session.commit()
    assert phases.checklist(scoring_round, "scoring").warnings == []
    assert "Nothing is missing." in officer.get(FORWARD).get_data(as_text=True)


def test_scoring_cannot_open_without_criteria_applications_or_panellists(officer, app):
    round_ = round_builders.draft_round(criteria=[])
    checklist = phases.checklist(round_, "scoring")
    assert [item.text for item in checklist.blocking] == [
        "There are no criteria. Add at least one to the rubric.",
        "There are no applications. Import them first.",
        "There are no panellists. Import the panel first.",
    ]
    page = officer.get(FORWARD).get_data(as_text=True)
    assert "The round cannot move to scoring yet" in page
    assert "Move to scoring</button>" not in page

    response = post_form(officer, FORWARD, {"from_phase": "draft"})
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    db.session.refresh(round_)
    assert round_.phase == "draft" and phase_events() == []
    with pytest.raises(RoundError, match="There are no criteria"):
        services.change_phase(None, round_, "scoring", system="tests")


def test_only_the_chair_is_not_a_panel(app):
    round_ = round_builders.draft_round()
    round_builders.applications(round_, 10)
    round_builders.member(round_, "chair@example.org", "academic", role="chair")
    assert [item.text for item in phases.checklist(round_, "scoring").blocking] == [
        "There are no panellists. Import the panel first."]


def test_before_moderation_names_late_panellists_and_unscored_applications(scoring_round):
    checklist = phases.checklist(scoring_round, "moderation")
    assert [(item.text, item.details) for item in checklist.warnings] == [
        ("2 panellists have not submitted every sheet:",
         ["Ac: 1 of 3 not submitted", "Le: 1 of 1 not submitted"]),
        ("1 application has no submitted sheet:", ["A3"]),
    ]
    assert checklist.blocking == []


def test_before_decided_lists_applications_without_an_outcome(scoring_round):
    scoring_round.phase = "moderation"
    a1 = scoring_round.applications[0]
    db.session.add(Decision(application=a1, outcome="keep"))
    db.session.commit()
    checklist = phases.checklist(scoring_round, "decided")
    assert [(item.text, item.details) for item in checklist.warnings] == [
        ("2 applications have no recorded outcome:", ["A2", "A3"])]


def test_long_lists_are_cut_short(app):
    round_ = round_builders.draft_round()
    round_builders.applications(round_, *([1] * 53))
    (item,) = [i for i in phases.checklist(round_, "scoring").warnings if i.details]
    assert item.text == "53 applications have no reviewer:"
    assert len(item.details) == 51 and item.details[-1] == "and 3 more"


# --- Moving forward ---------------------------------------------------------------------

def test_opening_scoring_is_audited_and_emails_the_panellists(officer, half_built, mailbox):
    response = post_form(officer, FORWARD)
    page = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Test round is now in the scoring phase. We emailed 1 person to say scoring is open." \
        in page
    (event,) = phase_events()
    assert opened(event).who == "officer@example.org"
    assert (event.before, event.after) == ({"phase": "draft"},
                                           {"phase": "scoring", "reason": ""})
    (message,) = mailbox.messages  # Ac1 has something to score; Ac2 and the chair do not
    assert message["To"] == "ac1@example.org"
    assert message["Subject"] == "Scoring is open: Test round"
    assert "You have 1 application to score." in mailbox.body(message)


def test_a_stale_confirmation_changes_nothing(officer, scoring_round):
    response = post_form(officer, FORWARD, {"from_phase": "draft"})
    assert response.status_code == 200
    assert "The round has already moved to the scoring phase." in response.get_data(
        as_text=True)
    db.session.refresh(scoring_round)
    assert scoring_round.phase == "scoring" and len(phase_events()) == 1  # the builder's


def test_published_is_the_last_phase(officer, scoring_round):
    scoring_round.phase = "published"
    db.session.commit()
    assert "This is the last phase." in officer.get(PHASE).get_data(as_text=True)
    assert officer.get(FORWARD).status_code == 409


def test_phases_move_one_step_at_a_time(scoring_round):
    with pytest.raises(RoundError, match="cannot move from scoring to decided"):
        services.change_phase(None, scoring_round, "decided", system="tests")


# --- Going back ----------------------------------------------------------------------------

def test_going_back_needs_a_reason(officer, half_built):
    services.change_phase(None, half_built, "scoring", system="tests")
    db.session.commit()
    response = post_form(officer, BACK, {"reason": "   "})
    page = response.get_data(as_text=True)
    assert "<title>Error: Move back to draft – Test round – FairPanel</title>" in page
    assert '<a href="#reason">Enter why the round is moving back</a>' in page
    db.session.refresh(half_built)
    assert half_built.phase == "scoring"
    with pytest.raises(RoundError, match="Give a reason"):
        services.change_phase(None, half_built, "draft", system="tests")


def test_back_to_draft_with_a_reason_is_audited(officer, half_built):
    services.change_phase(None, half_built, "scoring", system="tests")
    db.session.commit()
    response = post_form(officer, BACK, {"reason": "We forgot a criterion."})
    assert response.status_code == 302
    db.session.refresh(half_built)
    assert half_built.phase == "draft"
    event = phase_events()[-1]
    assert (event.before, opened(event).after) == (
        {"phase": "scoring"}, {"phase": "draft", "reason": "We forgot a criterion."})
    assert opened(event).who == "officer@example.org"


def test_no_way_back_to_draft_once_a_sheet_is_submitted(officer, scoring_round):
    page = officer.get(PHASE).get_data(as_text=True)
    assert "Scores have been submitted, so the round cannot go back to draft." in page
    assert "Move back to draft</a>" not in page
    assert 'name="reason"' not in officer.get(BACK).get_data(as_text=True)
    token = csrf_token(officer.get(PHASE).get_data(as_text=True))
    response = officer.post(BACK, data={"csrf_token": token, "from_phase": "scoring",
                                        "reason": "Please"})
    assert "Scores have been submitted" in response.get_data(as_text=True)
    db.session.refresh(scoring_round)
    assert scoring_round.phase == "scoring" and len(phase_events()) == 1


def test_moderation_may_go_back_to_scoring_even_with_submitted_sheets(officer, scoring_round):
    services.change_phase(None, scoring_round, "moderation", system="tests")
    db.session.commit()
    response = post_form(officer, BACK, {"reason": "Two panellists were ill."})
    assert response.status_code == 302
    db.session.refresh(scoring_round)
    assert scoring_round.phase == "scoring"
    assert opened(phase_events()[-1]).after == {"phase": "scoring",
                                                "reason": "Two panellists were ill."}


def test_no_going_back_from_draft_or_decided(officer, half_built):
    assert officer.get(BACK).status_code == 409
    half_built.phase = "decided"
    db.session.commit()
    assert officer.get(BACK).status_code == 409
    assert "Going back" not in officer.get(PHASE).get_data(as_text=True)
