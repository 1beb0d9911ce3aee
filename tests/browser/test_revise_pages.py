"""Revising a score on a phone (360 × 740) in real Chromium: the start screen, one question
per screen, the check screen with the reason, and the confirmation in the scale's words.
axe checks every screen; none scrolls sideways, even at 320 px.

DESIGN's worked example (tests/builders/worked.py): A1 opens first; Lived One scored it
Quality 1 and Need 1 and changes Need to 4."""
from __future__ import annotations

from playwright.sync_api import expect

from panel.extensions import db
from panel.moderation import services
from panel.rounds.queries import round_by_slug
from tests.builders import people
from tests.builders.meetings import CHAIR, LIVED, SLUG


def fits(visitor, width=360):
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= width, visitor.page.url


def start_meeting():
    services.start_meeting(people.user_named(CHAIR), round_by_slug(SLUG))
    db.session.commit()


def test_a_panellist_changes_one_answer_on_a_phone(meeting_round, visit, mailbox):
    start_meeting()
    lived = visit(phone=True)
    page = lived.page
    lived.sign_in_by_link(mailbox, LIVED)
    lived.goto(f"/meetings/{SLUG}")
    page.get_by_role("link", name="Change your score").click()

    # The start screen: the answers now, each with its own "Change".
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your score")
    expect(page.locator("#answers")).to_contain_text("Need")
    expect(page.locator("#answers")).to_contain_text("1 of 5")
    lived.check()
    fits(lived)
    page.get_by_role("link", name="Change your answer to Need").click()

    # One question per screen, with the scoring radios.
    expect(page.get_by_role("heading", level=1)).to_have_text("Need")
    expect(page.get_by_text("Question 2 of 2")).to_be_visible()
    expect(page.get_by_role("radio", name="1", exact=True)).to_be_checked()
    lived.check()
    fits(lived)
    for radio in page.get_by_role("radio").all():
        assert radio.bounding_box()["height"] >= 44, "touch targets are at least 44 px"
    page.set_viewport_size({"width": 320, "height": 640})
    fits(lived, 320)
    page.set_viewport_size({"width": 360, "height": 740})
    page.get_by_role("radio", name="4", exact=True).check()
    page.get_by_role("button", name="Next").click()

    # The check screen: old → new, and the reason once.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your new score")
    expect(page.locator("#answers")).to_contain_text("Was: 1 of 5")
    expect(page.locator("#answers")).to_contain_text("New: 4 of 5")
    lived.check()
    fits(lived)
    page.get_by_role("button", name="Save my new score").click()
    expect(page.locator(".fp-error-summary")).to_contain_text(
        "Say in a few words why you are changing your score")
    lived.check()
    fits(lived)
    page.get_by_label("Why are you changing your score?").fill("I heard who it helps")
    page.get_by_role("button", name="Save my new score").click()

    # Back at the meeting, the new score in words.
    expect(page.get_by_text("Your new score is saved: Quality – 1 of 5; Need – 4 of 5. "
                            "Your first score stays on record.")).to_be_visible()
    lived.check()
    fits(lived)


def test_without_javascript_the_draft_survives_a_reload(meeting_round, visit, mailbox):
    start_meeting()
    lived = visit(phone=True, javascript=False)
    page = lived.page
    lived.sign_in_by_link(mailbox, LIVED)
    lived.goto(f"/meetings/{SLUG}/revise/question/1")
    page.get_by_role("radio", name="3", exact=True).check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Need")
    page.reload()
    lived.goto(f"/meetings/{SLUG}/revise")
    expect(page.locator("#answers")).to_contain_text("3 of 5 (changed, not saved yet)")
    page.get_by_role("link", name="Check and save your new score").click()
    expect(page.locator("#answers")).to_contain_text("New: 3 of 5")
    lived.check()
    fits(lived)
