"""The officer's ranking page in real Chromium, axe-checked, on a laptop and a phone."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.builders import people


def test_ranking_page_shows_the_funding_line_and_is_accessible(worked_round, visit):
    people.staff("officer@example.org", "officer")
    for phone in (False, True):
        visitor = visit(phone=phone)
        page = visitor.page
        visitor.goto("/sign-in/staff")
        page.get_by_label("Email address").fill("officer@example.org")
        page.get_by_label("Password").fill(people.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        visitor.goto("/rounds/worked-example/ranking")
        visitor.round_tab_is("Ranking")
        expect(page.get_by_text("Funding line: £90 of £100 budget").first).to_be_visible()
        rows = page.get_by_role("row")
        expect(rows.nth(1)).to_contain_text("A3")
        visitor.check()
        page.get_by_role("link", name="the overrides").click()
        expect(page.get_by_role("heading", name="Overrides")).to_be_in_viewport()
        override = page.get_by_role("region", name="Overrides").get_by_role("row").nth(1)
        expect(override).to_contain_text("A3")
        expect(override).to_contain_text("Do not fund")
        expect(override.get_by_role("cell", name="-Funded elsewhere already",
                                    exact=True)).to_be_visible()
        visitor.check()
        if phone:
            for width in (360, 320):
                page.set_viewport_size({"width": width, "height": 740})
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                visitor.check()
