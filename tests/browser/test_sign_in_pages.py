"""Signing in and each role's home page, in real headless Chromium, axe-checked."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from panel.demo.seed import STAFF
from tests.builders import people

OFFICER, AUDITOR, ADMIN = (s.email for s in (STAFF[1], STAFF[2], STAFF[0]))


@pytest.fixture
def demo(app):
    return people.demo_round()


def staff_sign_in(visitor, email):
    visitor.goto("/sign-in/staff")
    visitor.page.get_by_label("Email address").fill(email)
    visitor.page.get_by_label("Password").fill(people.PASSWORD)
    visitor.page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_lived_experience_panellist_signs_in_by_link_on_a_phone(demo, visit, mailbox, javascript):
    visitor = visit(phone=True, javascript=javascript)
    page = visitor.page
    visitor.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to FairPanel")
    page.get_by_label("Email address").fill("amira@panel.example")
    button = page.get_by_role("button", name="Email me a sign-in link")
    assert button.bounding_box()["height"] >= 44
    button.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    visitor.check()

    link = mailbox.last_link("amira@panel.example", "/sign-in/link/")
    visitor.goto(link)
    page.get_by_role("button", name="Sign in").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("My rounds")
    expect(page.get_by_text("0 of 22 done.")).to_be_visible()
    visitor.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_panellist_signs_in_with_the_keyboard_only(demo, visit, mailbox):
    visitor = visit()
    page = visitor.page
    visitor.goto("/sign-in")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # skip link → first control in main: the e-mail box
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type("dave@panel.example")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    visitor.check()

    visitor.goto(mailbox.last_link("dave@panel.example", "/sign-in/link/"))
    page.get_by_role("button", name="Sign in").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My rounds")
    visitor.check()


def test_bad_email_shows_one_error_summary_that_takes_focus(demo, visit):
    visitor = visit(phone=True)
    page = visitor.page
    visitor.goto("/sign-in")
    page.get_by_label("Email address").fill("amira at home")
    page.get_by_role("button", name="Email me a sign-in link").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(page).to_have_title("Error: Sign in – FairPanel")
    visitor.check()
    summary.get_by_role("link", name="Enter an email address like name@example.com").click()
    expect(page.get_by_label("Email address")).to_be_focused()


def test_officer_signs_in_with_a_password_and_sees_the_rounds(demo, visit):
    visitor = visit()
    staff_sign_in(visitor, OFFICER)
    page = visitor.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Rounds")
    expect(page.get_by_role("link", name="Rounds")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("rowheader", name=re.compile("Community assets and health inequalities 2026"))).to_be_visible()
    visitor.check()
    page.get_by_role("button", name=re.compile("Sign out")).click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    visitor.check()


def test_auditor_checks_the_decision_trail_in_the_browser(demo, visit):
    visitor = visit()
    staff_sign_in(visitor, AUDITOR)
    page = visitor.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit")
    visitor.check()
    page.get_by_role("link", name="Check the decision trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The decision trail is whole")
    visitor.check()


def test_admin_invites_a_panellist(demo, visit, mailbox):
    visitor = visit()
    staff_sign_in(visitor, ADMIN)
    page = visitor.page
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    visitor.check()
    page.get_by_role("link", name="Invite someone").click()
    visitor.check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
        "Enter the person's name")
    visitor.check()
    page.get_by_label("Full name").fill("Jo Bloggs")
    page.get_by_label("Email address").fill("jo@example.org")
    page.get_by_label("Auditor").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to jo@example.org.")).to_be_visible()
    visitor.check()
    assert mailbox.to("jo@example.org")
    page.get_by_role("link", name="Jo Bloggs").click()
    expect(page.get_by_label("Auditor")).to_be_checked()
    visitor.check()


def test_every_page_fits_a_320px_phone(demo, visit, mailbox):
    visitor = visit()
    visitor.page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/sign-in", "/sign-in/staff", "/sign-in/check-email"):
        visitor.goto(path)
        assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 320, path
    staff_sign_in(visitor, ADMIN)
    for path in ("/admin/people/invite", "/admin/people/1"):
        visitor.goto(path)
        assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 320, path
