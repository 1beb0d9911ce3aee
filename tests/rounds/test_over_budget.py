"""Deciding a round whose funded set is over the budget (DESIGN.md §3): the phase check
says so, and the move to decided needs the officer's tick and reason, kept on the round
and audited in the same transaction as the move.

The round is DESIGN.md §3's worked example with bigger amounts. Ranked A3 (87.5), A2 (75),
A1 (43.75); budget £400,000, strict: A3 £200,000 and A2 £200,000 fill it exactly
(£400,000 is within the budget), A1 £45,050 does not fit. The chair's decision to fund
A1 makes the funded set £445,050, over the budget by £45,050."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.extensions import db
from panel.moderation.models import Decision
from panel.rounds import phases, services
from panel.rounds.models import Application
from panel.rounds.services import RoundError
from tests.builders.over_budget import FUND_A1, KEEP_ALL, in_moderation
from tests.builders.worked import SLUG
from tests.support.web import csrf_token

FORWARD = f"/rounds/{SLUG}/phase/next"
OVER = "The funded set is £445,050, over the £400,000 budget by £45,050."
REASON = "The only lived-experience-led project in the north; the trust tops up £45,050."


@pytest.fixture
def over_budget(app, tmp_path):
    return in_moderation(tmp_path, FUND_A1)


@pytest.fixture
def within_budget(app, tmp_path):
    return in_moderation(tmp_path, KEEP_ALL)


def events(*actions: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(actions))
                              .order_by(AuditEvent.id)).all()


def post(client, data: dict):
    token = csrf_token(client.get(FORWARD).get_data(as_text=True))
    return client.post(FORWARD, data={"csrf_token": token, "from_phase": "moderation", **data})


def text_of(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).replace("&#39;", "'").split())


def test_the_phase_check_lists_the_funded_set_over_budget(officer, over_budget):
    checklist = phases.checklist(over_budget, "decided")
    assert checklist.over_budget.check_text == OVER
    assert (checklist.over_budget.funded, checklist.over_budget.budget,
            checklist.over_budget.over) == (445050, 400000, 45050)
    assert checklist.warnings == [] and checklist.blocking == []
    page = text_of(officer.get(FORWARD).get_data(as_text=True))
    assert f"Over budget: acknowledge before deciding {OVER}" in page
    assert "Nothing is missing." not in page
    assert "I understand that the funded set is over the budget" in page


@pytest.mark.parametrize("data", [{}, {"acknowledge": "y"},
                                  {"over_budget_reason": REASON},
                                  {"acknowledge": "y", "over_budget_reason": "   "}])
def test_deciding_over_budget_without_the_tick_and_a_reason_changes_nothing(
        officer, over_budget, data):
    response = post(officer, data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert ("Tick to confirm that the funded set is over the budget" in page) == (
        "acknowledge" not in data)
    assert ("Enter why the round is being decided over budget" in page) == (
        not data.get("over_budget_reason", "").strip())
    db.session.refresh(over_budget)
    assert over_budget.phase == "moderation"
    assert (over_budget.over_budget_reason, over_budget.over_budget_acknowledged_at) == (
        None, None)
    assert events("round.phase_changed", "round.over_budget_acknowledged") == []


def test_the_service_refuses_to_decide_over_budget_without_a_reason(over_budget):
    with pytest.raises(RoundError, match=re.escape(
            f"{OVER} Give a reason for deciding the round over budget.")):
        services.change_phase(None, over_budget, "decided", over_budget_reason=" ",
                              system="tests")


def test_deciding_over_budget_keeps_the_reason_and_audits_it_with_the_move(officer,
                                                                          over_budget):
    response = post(officer, {"acknowledge": "y", "over_budget_reason": f"  {REASON} "})
    assert response.status_code == 302
    db.session.refresh(over_budget)
    assert over_budget.phase == "decided"
    assert over_budget.over_budget_reason == REASON
    assert over_budget.over_budget_acknowledged_at is not None
    acknowledged, moved = events("round.phase_changed", "round.over_budget_acknowledged")
    assert acknowledged.action == "round.over_budget_acknowledged"
    assert opened(acknowledged).who == opened(moved).who == "officer@example.org"
    assert acknowledged.before == {"over_budget_reason": None,
                                   "over_budget_acknowledged_at": None}
    assert opened(acknowledged).after == {
        "over_budget_reason": REASON,
        "over_budget_acknowledged_at":
            over_budget.over_budget_acknowledged_at.isoformat(timespec="microseconds"),
        "funded": "445050", "budget": "400000", "over": "45050"}
    assert (moved.before, opened(moved).after) == ({"phase": "moderation"},
                                           {"phase": "decided", "reason": ""})
    assert moved.id == acknowledged.id + 1  # one transaction, the acknowledgement first


def test_a_round_within_budget_needs_no_acknowledgement(officer, within_budget):
    # A3 and A2 fill the £400,000 budget exactly: within it, not over.
    checklist = phases.checklist(within_budget, "decided")
    assert checklist.over_budget is None and checklist.warnings == []
    page = officer.get(FORWARD).get_data(as_text=True)
    assert "Nothing is missing." in page
    assert "Over budget" not in page and 'name="acknowledge"' not in page
    assert post(officer, {}).status_code == 302
    db.session.refresh(within_budget)
    assert within_budget.phase == "decided" and within_budget.over_budget_reason is None
    assert events("round.over_budget_acknowledged") == []
    assert len(events("round.phase_changed")) == 1


def test_a_decision_made_after_the_page_was_opened_asks_for_the_acknowledgement(
        officer, within_budget):
    token = csrf_token(officer.get(FORWARD).get_data(as_text=True))
    db.session.scalar(select(Decision).join(Application).where(
        Application.round_id == within_budget.id, Application.reference == "A1")
    ).outcome = "fund"
    db.session.commit()
    response = officer.post(FORWARD, data={"csrf_token": token, "from_phase": "moderation"})
    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    assert "Tick to confirm that the funded set is over the budget" in page and OVER in page
    db.session.refresh(within_budget)
    assert within_budget.phase == "moderation"
