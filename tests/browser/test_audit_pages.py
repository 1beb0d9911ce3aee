"""The auditor's workspace in real Chromium, on a laptop and a 360 px phone, axe on every
page: the trail, filtering it, one application's decision trail, a bad filter's error
summary, and checking the chain."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.builders import people
from tests.builders.trail import AUDITOR, DISMISS_REASON, REVISION_REASON, SLUG

PHONE_WIDTH = 360


def sign_in(visitor) -> None:
    visitor.goto("/sign-in/staff")
    visitor.page.get_by_label("Email address").fill(AUDITOR)
    visitor.page.get_by_label("Password").fill(people.PASSWORD)
    visitor.page.get_by_role("button", name="Sign in").click()
    expect(visitor.page.get_by_role("link", name="Audit")).to_be_visible()


def check(visitor, phone: bool) -> None:
    """axe finds nothing serious, and on the phone only the tables' own regions scroll."""
    visitor.check()
    if phone:
        assert visitor.page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def caption(page: Page, table_id: str):
    return page.locator(f"#{table_id}-caption")


def test_an_auditor_reads_filters_and_checks_the_trail(audited_round, visit):  # noqa: F811
    for phone in (False, True):
        visitor = visit(phone=phone)
        page = visitor.page
        sign_in(visitor)
        visitor.goto("/audit/")
        check(visitor, phone)

        page.get_by_role("link", name="Read the decision trail").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Decision trail")
        expect(caption(page, "events")).to_contain_text("events")
        check(visitor, phone)

        page.get_by_label("Round", exact=True).select_option(SLUG)
        page.get_by_label("Person", exact=True).fill("lee")
        page.get_by_label("Action", exact=True).select_option("all:sheets")
        page.get_by_role("button", name="Filter").click()
        expect(caption(page, "events")).to_have_text("5 events")
        rows = page.locator("#events tbody tr")
        expect(rows.first).to_contain_text("Score revised in the meeting")
        rows.first.locator("summary").click()
        expect(rows.first.get_by_text(REVISION_REASON)).to_be_visible()
        check(visitor, phone)

        rows.first.get_by_role("link", name="A1: Project A1 (decision trail)").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("A1: Project A1")
        sheets = page.get_by_role("region", name="4 score sheets, drafts and revisions "
                                                 "included (scale 1 to 5)")
        expect(sheets.get_by_role("row").nth(3)).to_contain_text(REVISION_REASON)
        expect(page.locator("#application").get_by_text("Applicant 1", exact=True)).to_be_visible()
        check(visitor, phone)

        visitor.goto(f"/audit/rounds/{SLUG}/applications/A2")
        expect(page.get_by_role("region", name="1 conflict and their review")).to_contain_text(
            DISMISS_REASON)
        check(visitor, phone)

        visitor.goto(f"/audit/trail?round={SLUG}&reference=A9")
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("There is no application A9 in Test round")
        summary.get_by_role("link").click()
        expect(page.get_by_label("Application reference")).to_be_focused()
        check(visitor, phone)

        visitor.goto("/audit/")
        page.get_by_role("link", name="Check the decision trail").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("The decision trail is whole")
        anchors = page.get_by_role("region", name="1 anchor")
        expect(anchors.get_by_role("row").nth(1)).to_contain_text("Holds")
        check(visitor, phone)
        page.get_by_role("link", name="Check again").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("The decision trail is whole")
        check(visitor, phone)
        if phone:  # DESIGN §9: usable at 320 px too, with an event's values open
            visitor.goto("/audit/trail")
            page.locator("#events summary").first.click()
            for width in (360, 320):
                page.set_viewport_size({"width": width, "height": 740})
                assert page.evaluate("document.documentElement.scrollWidth") <= width
            visitor.check()
