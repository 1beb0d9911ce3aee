"""The officer runs a round in a real browser: dashboard, assignments (preview, then
apply), and the move to scoring through the confirmation page; axe on every page."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.builders import people
from tests.builders import rounds as round_builders

DASHBOARD = "/rounds/test-round/"


@pytest.fixture
def draft(app):
    people.staff("officer@example.org")
    round_ = round_builders.draft_round()
    round_builders.applications(round_, 60, 50, 40, 30)
    for email, group in (("ac1@example.org", "academic"), ("ac2@example.org", "academic"),
                         ("le1@example.org", "lived_experience"),
                         ("le2@example.org", "lived_experience")):
        round_builders.member(round_, email, group)
    round_builders.member(round_, "chair@example.org", "academic", role="chair")
    return round_


def sign_in(visitor):
    visitor.goto("/sign-in/staff")
    visitor.page.get_by_label("Email address").fill("officer@example.org")
    visitor.page.get_by_label("Password").fill(people.PASSWORD)
    visitor.page.get_by_role("button", name="Sign in").click()
    expect(visitor.page.get_by_role("heading", level=1)).to_have_text("Rounds")


def test_officer_assigns_and_opens_scoring(draft, visit, mailbox):
    visitor = visit()
    page = visitor.page
    sign_in(visitor)
    visitor.goto(DASHBOARD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Test round")
    expect(page.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")

    page.get_by_role("link", name="Assignments").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assignments")
    expect(page.get_by_label("Everyone reviews every application")).to_be_checked()
    visitor.check()
    page.get_by_label("A set number of reviewers for each application").check()
    page.get_by_label("How many reviewers for each application").fill("2")
    page.get_by_role("button", name="Preview the assignments").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check the assignments")
    expect(page.get_by_role("rowheader", name="Ac1")).to_be_visible()
    visitor.check()
    page.get_by_role("button", name="Apply these assignments").click()
    expect(page.get_by_text("Assignments saved: 8 added, 0 removed.")).to_be_visible()
    visitor.check()

    page.get_by_role("link", name="Change reviewers of A1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Who reviews Project A1")
    visitor.check()

    page.get_by_role("link", name="Phase").click()
    visitor.check()
    page.get_by_role("button", name="Move to scoring").click()  # a link drawn as a button
    expect(page.get_by_role("heading", level=1)).to_contain_text("Move from draft to scoring")
    visitor.check()
    page.get_by_role("button", name="Move to scoring").click()
    expect(page.get_by_text(re.compile("Test round is now in the scoring phase"))).to_be_visible()
    visitor.check()
    assert len(mailbox.messages) == 4  # each panellist: "Scoring is open"

    page.get_by_role("link", name="Overview").click()
    expect(page.get_by_role("button", name="Send a reminder to everyone outstanding (4 people)")
           ).to_be_visible()
    visitor.check()


def test_dashboard_fits_a_360px_phone(draft, visit):
    visitor = visit(phone=True)
    sign_in(visitor)
    for path in (DASHBOARD, "/rounds/test-round/assignments", "/rounds/test-round/phase/next"):
        visitor.goto(path)
        assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 360, path
