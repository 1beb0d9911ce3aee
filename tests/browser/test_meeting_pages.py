"""The meeting in real Chromium (issue 6's "done when"): a chair and two panellists, one
academic and one with lived experience, each in their own browser context, go through
an item together. Pages follow the meeting without a reload; axe checks every page.

Figures are DESIGN's worked example (see tests/moderation/test_meeting.py): A1 opens first with
43.75; when the lived-experience panellist revises A1 to 5 and 5 it becomes
(87.5 + 100) / 2 = 93.75 and rises from rank 3 to rank 1."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.builders.meetings import ACADEMIC, CHAIR, LIVED, SLUG

# Generous: the pages poll every second; the suite never fails on a timing.
LIVE = 10_000


def fits(visitor, width=360):
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= width, visitor.page.url


def test_a_chair_and_two_panellists_go_through_an_item(meeting_round, visit,  # noqa: F811
                                                       mailbox):
    chair, academic, lived = visit(), visit(), visit(phone=True)
    for visitor, email in ((chair, CHAIR), (academic, ACADEMIC), (lived, LIVED)):
        visitor.sign_in_by_link(mailbox, email)

    # The panellists open the meeting from their rounds page, before it starts.
    for visitor in (academic, lived):
        visitor.page.get_by_role("link", name="Follow the meeting").click()
        expect(visitor.page.get_by_role("heading", level=2)).to_have_text("Waiting for the chair")
        visitor.check()
    fits(lived)

    chair.page.get_by_role("link", name="Run the meeting").click()
    chair.check()
    chair.page.get_by_role("button", name="Start the meeting").click()
    expect(chair.page.locator("#item-title")).to_have_text("A1: Project one")
    expect(chair.page.get_by_text("Score now 43.8 out of 100")).to_be_visible()
    chair.check()

    # The item appears on both phones without a reload.
    for visitor in (academic, lived):
        expect(visitor.page.locator("#item-title")).to_have_text("Project one", timeout=LIVE)
        visitor.check()
    expect(lived.page.get_by_text("That makes 0.0 out of 100.")).to_be_visible()
    expect(academic.page.get_by_text("That makes 100.0 out of 100.")).to_be_visible()
    fits(lived)

    # The lived-experience panellist revises, with a reason.
    lived.page.get_by_role("link", name="Change your score").click()
    expect(lived.page.get_by_role("heading", level=1)).to_have_text("Change your score")
    lived.check()
    fits(lived)
    lived.page.get_by_role("link", name="Change your answer to Quality").click()
    lived.page.get_by_role("radio", name="5", exact=True).check()
    lived.page.get_by_role("button", name="Next").click()
    lived.page.get_by_role("radio", name="5", exact=True).check()
    lived.page.get_by_role("button", name="Next").click()
    lived.page.get_by_label("Why are you changing your score?").fill(
        "I heard how many people it reaches")
    lived.page.get_by_role("button", name="Save my new score").click()
    expect(lived.page.get_by_text("That makes 100.0 out of 100.")).to_be_visible()
    lived.check()

    # The chair and the academic see the new spread without a reload.
    expect(chair.page.get_by_text("Score now 93.8 out of 100")).to_be_visible(timeout=LIVE)
    expect(chair.page.get_by_text("Rank now 1 of 3 (was 3 before the meeting)")).to_be_visible()
    expect(chair.page.locator(".fp-strip__moved")).to_have_text(["changed from 0.0"])
    # The academic's page follows too; one lived-experience sheet stays unlabelled there.
    expect(academic.page.locator(".fp-strip__moved")).to_have_text(["changed from 0.0"],
                                                                    timeout=LIVE)
    expect(academic.page.locator("#groups")).to_contain_text(
        "Lived experience one panellist — not shown separately")
    chair.check()

    # The chair records the outcome and everyone moves on to A2.
    chair.page.get_by_label("Fund", exact=True).check()
    chair.page.get_by_label("Why?").fill("Strong local support heard in the meeting")
    chair.page.get_by_role("button", name="Record the outcome and go to the next application")\
        .click()
    expect(chair.page.get_by_text("Outcome recorded for A1: Fund.")).to_be_visible()
    expect(chair.page.locator("#item-title")).to_contain_text("A2:")
    chair.check()
    for visitor in (academic, lived):
        expect(visitor.page.locator("#item-title")).to_contain_text("HYPERLINK", timeout=LIVE)
    expect(lived.page.get_by_text("That makes 100.0 out of 100.")).to_be_visible()
    lived.check()
    fits(lived)

    # The agenda shows the outcome; the shared screen shows the item with no names.
    chair.goto(f"/rounds/{SLUG}/meeting/agenda")
    expect(chair.page.locator("#item-A1")).to_contain_text("Fund")
    expect(chair.page.locator("#item-A2")).to_contain_text("Now")
    chair.goto(f"/rounds/{SLUG}/meeting/screen")
    expect(chair.page.locator("#item-title")).to_contain_text("A2:")
    expect(chair.page.locator("body")).not_to_contain_text("Academic One")  # case matters


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_without_javascript_a_reload_shows_the_meeting(meeting_round, visit, mailbox,  # noqa: F811
                                                      phone):
    chair, lived = visit(), visit(phone=phone, javascript=False)
    chair.sign_in_by_link(mailbox, CHAIR)
    lived.sign_in_by_link(mailbox, LIVED)
    lived.goto(f"/meetings/{SLUG}")
    expect(lived.page.get_by_role("heading", level=2)).to_have_text("Waiting for the chair")
    chair.goto(f"/rounds/{SLUG}/meeting")
    chair.page.get_by_role("button", name="Start the meeting").click()
    expect(chair.page.locator("#item-title")).to_have_text("A1: Project one")
    lived.page.get_by_role("link", name="reload it").click()
    expect(lived.page.locator("#item-title")).to_have_text("Project one")
    lived.check()
    lived.page.get_by_role("link", name="Change your score").click()
    lived.page.get_by_role("link", name="Change your answer to Quality").click()
    lived.page.get_by_role("radio", name="4", exact=True).check()
    lived.page.get_by_role("button", name="Next").click()
    lived.page.get_by_role("button", name="Next").click()
    lived.page.get_by_label("Why are you changing your score?").fill("Changed my mind")
    lived.page.get_by_role("button", name="Save my new score").click()
    expect(lived.page.get_by_text("Your new score is saved: Quality – 4 of 5; Need – 1 of 5."))\
        .to_be_visible()
    lived.check()
    if phone:
        fits(lived)
