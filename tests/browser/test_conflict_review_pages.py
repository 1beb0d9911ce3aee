"""The officer reviews conflicts in a real browser: the queue (laptop and a 360 px phone),
the dismiss page with its error summary, and the matrix; axe on every page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.rounds import services as rounds
from tests.builders import people
from tests.builders import rounds as round_builders

QUEUE = "/rounds/test-round/conflicts"


@pytest.fixture
def with_conflicts(app):
    people.staff("officer@example.org")
    round_ = round_builders.draft_round()
    round_builders.applications(round_, 60, 50, 40)
    amira = round_builders.member(round_, "amira@example.org", "lived_experience")
    ben = round_builders.member(round_, "ben@example.org", "academic")
    rounds.change_phase(None, round_, "scoring", system="tests")
    a1, a2, a3 = round_.applications
    db.session.add_all([
        Conflict(member_id=amira.id, application_id=a1.id, kind="uses_services",
                 details="I go to the lunch club", source="declared"),
        Conflict(member_id=ben.id, application_id=a2.id, kind="work_or_volunteer",
                 details="Organisation 2 CIC", source="suggested"),
        Conflict(member_id=ben.id, application_id=a3.id, kind="academic", level="declared",
                 source="imported", status="confirmed"),
    ])
    db.session.commit()
    return round_


def sign_in(visitor):
    visitor.goto("/sign-in/staff")
    visitor.page.get_by_label("Email address").fill("officer@example.org")
    visitor.page.get_by_label("Password").fill(people.PASSWORD)
    visitor.page.get_by_role("button", name="Sign in").click()
    expect(visitor.page.get_by_role("heading", level=1)).to_have_text("Rounds")


def test_officer_reviews_and_dismisses_with_a_reason(with_conflicts, visit):
    visitor = visit()
    page = visitor.page
    sign_in(visitor)
    visitor.goto(QUEUE)
    expect(page.get_by_role("heading", name="Ben on A2: Project A2")).to_be_visible()
    page.get_by_role("button", name="Confirm for Amira on A1").click()
    expect(page.get_by_text("Conflict confirmed: Amira on A1.")).to_be_visible()
    visitor.check()

    page.get_by_role("link", name="Dismiss for Ben on A2").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dismiss a conflict")
    visitor.check()
    page.get_by_role("button", name="Dismiss conflict").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why you are dismissing")
    visitor.check()
    page.get_by_label("Why are you dismissing this conflict?").fill("A different organisation")
    page.get_by_role("button", name="Dismiss conflict").click()
    expect(page.get_by_text("Conflict dismissed: Ben on A2.")).to_be_visible()

    visitor.goto(QUEUE + "/matrix")
    page.get_by_label("Status").select_option("dismissed")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#pairs-caption")).to_have_text("1 conflict")
    visitor.check()


def test_queue_fits_a_phone(with_conflicts, visit):
    visitor = visit(phone=True)
    sign_in(visitor)
    visitor.goto(QUEUE)
    page = visitor.page
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the queue scrolls sideways by {overflow}px on a phone"
    box = page.get_by_role("button", name="Confirm for Amira on A1").bounding_box()
    assert box["height"] >= 44
