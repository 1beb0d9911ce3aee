"""WCAG 2.2.1: before the session runs out, a signed-in person is warned and can extend it."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests import builders


def test_timeout_warning_offers_to_stay_signed_in(app, visit, mailbox):
    builders.demo_round()
    # Sessions of 2 minutes 5 seconds: the warning comes 2 minutes before the end.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=125)
    visitor = visit(phone=True)
    page = visitor.page
    visitor.goto("/sign-in")
    page.get_by_label("Email address").fill("amira@panel.example")
    page.get_by_role("button", name="Email me a sign-in link").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    visitor.goto(mailbox.last_link("amira@panel.example", "/sign-in/link/"))
    page.get_by_role("button", name="Sign in").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("My rounds")

    warning = page.get_by_role("alert").filter(has_text="you will be signed out in 2 minutes")
    expect(warning).to_be_visible(timeout=15_000)
    stay = warning.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    visitor.check()
    with page.expect_response("**/session/keep-alive") as renewed:
        stay.tap()
    assert renewed.value.status == 204
    expect(warning).to_have_count(0)
