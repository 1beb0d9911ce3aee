"""A panellist reading in Welsh (issue 21), in real headless Chromium, axe-checked, on a
360 px phone without JavaScript and a 1280 px laptop: their round's page gives the
deadline in the round's clock with its abbreviation (BST) and the Welsh day and month,
and lists the Welsh title; the application's page shows the Welsh title, and the lay
summary that has no Welsh in English, marked lang="en", with a note in Welsh."""
from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from panel.extensions import db
from panel.rounds.rules_time_zones import end_of_day
from tests.builders import people
from tests.builders.rounds import scoring_round

READER = "bryn@example.org"
BASE = "/my-rounds/test-round"
TITLE_CY = "Tyfu bwyd gyda'n gilydd"
DEADLINE_CY = "dydd Sul 28 Mawrth 2027 am 23:59 BST"
NOTE_CY = "Dim ond yn Saesneg mae hwn ar gael."


def _round_in_welsh():
    round_ = scoring_round(members=(READER,))
    round_.applications[0].title_cy = TITLE_CY  # A1; no Welsh lay summary
    # The end of 28 March 2027 in London, the day the clocks go forward: 22:59:59 UTC.
    round_.scoring_deadline = end_of_day(date(2027, 3, 28), "Europe/London")
    round_.members[0].assignments[0].connection_answer = "none"
    db.session.commit()


def _reads(language: str | None) -> None:
    people.user_named(READER).language = language
    db.session.commit()


def test_a_welsh_reader_sees_welsh_content_and_the_deadline_in_bst(app, mailbox, visit):
    _round_in_welsh()
    for width, phone in ((360, True), (1280, False)):
        visitor = visit(phone=phone, javascript=not phone,
                        viewport=None if phone else {"width": 1280, "height": 800})
        page = visitor.page
        _reads(None)  # signs in as anyone does, then chooses Welsh on their account
        visitor.sign_in_by_link(mailbox, READER)
        _reads("cy")
        visitor.goto(BASE)
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        expect(page.locator("#welcome")).to_contain_text(DEADLINE_CY)
        expect(page.get_by_role("link", name=TITLE_CY)).to_be_visible()
        visitor.check()
        visitor.fits(width)
        visitor.goto(f"{BASE}/A1/application")
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_CY)
        english = page.locator('main [lang="en"]', has_text="A shared garden.")
        expect(english).to_be_visible()
        expect(page.locator(".fp-only-english")).to_have_text(NOTE_CY)
        visitor.check()
        visitor.fits(width)
        assert visitor.smallest_text_px() >= 16
        visitor.photograph(f"welsh-application-{width}x{740 if phone else 800}")
        visitor.goto(BASE)
        visitor.photograph(f"welsh-round-{width}x{740 if phone else 800}")
