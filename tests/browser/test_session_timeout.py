"""WCAG 2.2.1: before the session runs out, a signed-in person is warned and can extend it;
the session's fixed lifetime (ASVS 3.3.2), which cannot be stretched, is announced too."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests.builders import people

WARNING = "you will be signed out in 2 minutes"


def amira_on_her_phone(app, visit, mailbox, *, idle: timedelta, lifetime: timedelta):
    """Amira signed in on a phone, with sessions that end after ``idle`` unused or
    ``lifetime`` after signing in; on My rounds."""
    people.demo_round()
    app.config["PERMANENT_SESSION_LIFETIME"] = idle
    app.config["SESSION_ABSOLUTE_LIFETIME"] = lifetime
    visitor = visit(phone=True)
    page = visitor.page
    visitor.goto("/sign-in")
    page.get_by_label("Email address").fill("amira@panel.example")
    page.get_by_role("button", name="Email me a sign-in link").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    visitor.goto(mailbox.last_link("amira@panel.example", "/sign-in/link/"))
    page.get_by_role("button", name="Sign in").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("My rounds")
    return visitor


def test_timeout_warning_offers_to_stay_signed_in(app, visit, mailbox):
    # Idle sessions of 2 minutes 5 seconds: the warning comes 2 minutes before the end.
    visitor = amira_on_her_phone(app, visit, mailbox, idle=timedelta(seconds=125),
                                 lifetime=timedelta(hours=12))
    page = visitor.page
    warning = page.get_by_role("alert").filter(has_text=WARNING)
    expect(warning).to_be_visible(timeout=15_000)
    stay = warning.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    visitor.check()
    with page.expect_response("**/session/keep-alive") as renewed:
        stay.tap()
    assert renewed.value.status == 204
    expect(warning).to_have_count(0)


def test_the_end_of_a_sessions_lifetime_is_announced_without_a_button(app, visit, mailbox):
    visitor = amira_on_her_phone(app, visit, mailbox, idle=timedelta(hours=1),
                                 lifetime=timedelta(seconds=125))
    warning = visitor.page.get_by_role("alert").filter(has_text=WARNING)
    expect(warning).to_be_visible(timeout=15_000)
    expect(warning).to_contain_text("you can sign in again straight away")
    expect(warning.get_by_role("button")).to_have_count(0)
    visitor.check()
