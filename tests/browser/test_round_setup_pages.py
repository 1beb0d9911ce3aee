"""A programme officer sets up a round in real headless Chromium, axe-checked on every
page: on a laptop, on a 360 px phone without JavaScript, and with the keyboard only."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from panel.extensions import db
from panel.rounds.queries import round_by_slug
from tests.builders import people
from tests.builders import rounds as round_builders

OFFICER = "officer@example.org"


@pytest.fixture
def officer(app):
    return people.staff(OFFICER, "officer")


def sign_in(visitor) -> None:
    visitor.goto("/sign-in/staff")
    visitor.page.get_by_label("Email address").fill(OFFICER)
    visitor.page.get_by_label("Password").fill(people.PASSWORD)
    visitor.page.get_by_role("button", name="Sign in").click()
    expect(visitor.page.get_by_role("heading", level=1)).to_have_text("Rounds")


def heading(page):
    return page.get_by_role("heading", level=1)


def test_officer_creates_and_sets_up_a_round(officer, visit):
    visitor = visit()
    page = visitor.page
    sign_in(visitor)
    visitor.check()

    page.get_by_role("link", name="Create a round").click()
    expect(heading(page)).to_have_text("Create a round")
    visitor.check()
    page.get_by_role("button", name="Create round").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
        "Enter a title for the round")
    visitor.check()
    page.get_by_label("Title").fill("Warm Spaces 2026")
    page.get_by_role("button", name="Create round").click()
    expect(heading(page)).to_have_text("Warm Spaces 2026Set-up")
    expect(page.get_by_text("Warm Spaces 2026 created. Now set it up.")).to_be_visible()
    visitor.check()

    page.get_by_role("link", name="Change the scale").click()
    expect(heading(page)).to_have_text("Warm Spaces 2026Scale")
    visitor.check()
    page.get_by_label("Lowest score").fill("0")
    page.get_by_label("Highest score").fill("4")
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_contain_text("What each score means")
    visitor.check()
    for label, text in [("0 (lowest)", "Nothing"), ("1", "Weak"), ("2", "OK"), ("3", "Good"),
                        ("4 (highest)", "Excellent")]:
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_role("button", name="Save scale").click()
    expect(page.get_by_text("Scale saved: 0 to 4.")).to_be_visible()
    visitor.check()

    page.get_by_role("link", name="Change the criteria").click()
    visitor.check()
    for name, weight in [("Quality", "3"), ("Need", "1")]:
        page.get_by_role("link", name="Add a criterion").click()
        visitor.check()
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Weight").fill(weight)
        page.get_by_role("button", name="Add criterion").click()
        expect(page.get_by_text(f"Criterion added: {name}.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Quality"))).to_contain_text("75.0%")
    expect(page.get_by_role("row", name=re.compile("^Need"))).to_contain_text("25.0%")
    visitor.check()

    page.get_by_role("link", name="Back to set-up").click()
    page.get_by_role("link", name="Change the budget").click()
    visitor.check()
    page.get_by_label("Budget", exact=True).fill("£400,000")
    page.get_by_label("Fill the budget").check()
    page.get_by_role("button", name="Save budget and funding rule").click()
    expect(heading(page)).to_have_text("Warm Spaces 2026Set-up")
    overview = page.locator("main")
    expect(overview).to_contain_text("£400,000")
    expect(overview).to_contain_text("Skip an application that does not fit and carry on.")
    expect(overview).to_contain_text("Quality: 75.0%")
    expect(overview).to_contain_text("0: Nothing")
    visitor.check()

    db.session.expire_all()  # the live server changed it in its own session
    saved = round_by_slug("warm-spaces-2026")
    assert (saved.scale_min, saved.scale_max, str(saved.budget), saved.funding_rule) == (
        0, 4, "400000.00", "fill")
    assert [(c.key, c.weight) for c in saved.criteria] == [("quality", 3.0), ("need", 1.0)]


def test_criteria_and_funding_on_a_phone_without_javascript(officer, visit):
    round_builders.draft_round(budget=0)
    visitor = visit(phone=True, javascript=False)
    page = visitor.page
    sign_in(visitor)
    for path in ("/rounds/test-round/setup", "/rounds/test-round/setup/criteria",
                 "/rounds/test-round/setup/funding"):
        visitor.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    page.get_by_label("Budget", exact=True).fill("-10")
    button = page.get_by_role("button", name="Save budget and funding rule")
    assert button.bounding_box()["height"] >= 44
    button.tap()
    expect(page.get_by_role("alert")).to_contain_text("The budget must be £0 or more")
    expect(page).to_have_title("Error: Budget and funding rule – Test round – FairPanel")
    visitor.check()
    page.get_by_label("Budget", exact=True).fill("1,500")
    page.get_by_role("button", name="Save budget and funding rule").tap()
    expect(page.get_by_text("Budget and funding rule saved.")).to_be_visible()
    visitor.check()


def test_funding_form_with_the_keyboard_only(officer, visit):
    round_builders.draft_round(budget=0)
    visitor = visit()
    page = visitor.page
    sign_in(visitor)
    visitor.goto("/rounds/test-round/setup/funding")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    budget = page.get_by_label("Budget", exact=True)
    for _ in range(14):  # past the round's navigation and the back link
        page.keyboard.press("Tab")
        if budget.evaluate("el => el === document.activeElement"):
            break
    expect(budget).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("250,000")
    page.keyboard.press("Tab")  # the radios: the checked one takes focus
    expect(page.get_by_label("Stop at the first that does not fit")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Fill the budget")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save budget and funding rule")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Budget and funding rule saved.")).to_be_visible()
    visitor.check()
    db.session.expire_all()  # the live server changed it in its own session
    saved = round_by_slug("test-round")
    assert (str(saved.budget), saved.funding_rule) == ("250000.00", "fill")
