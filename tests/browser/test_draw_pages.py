"""The draw near the funding line in real Chromium (DESIGN.md §3a): the officer prepares
the draw, the chair draws with a public input typed in the room, at 1280 px and on a
360 px phone; axe checks every page. The worked example under the rule lottery, with
the grey zone A1 and A2 (tests/builders/lottery.py): £60 is left for it."""
from __future__ import annotations

from playwright.sync_api import expect

from panel.extensions import db
from panel.moderation.models import Lottery
from tests.builders import people
from tests.builders.meetings import CHAIR, SLUG


def test_the_officer_prepares_and_the_chair_draws(lottery_round, visit, mailbox):
    people.staff("officer@example.org", "officer")
    officer = visit()
    officer.sign_in_staff("officer@example.org", people.PASSWORD)
    officer.goto(f"/rounds/{SLUG}/draw/prepare")
    page = officer.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Prepare the draw")
    expect(page.locator("main")).to_contain_text("leaving £60 of the £100 budget for the draw")
    officer.fits(1280)
    officer.photograph("draw-prepare")
    page.get_by_role("button", name="Prepare the draw").click()
    expect(page.get_by_text("The draw is prepared.")).to_be_visible()
    officer.check()

    chair = visit(phone=True)
    chair.sign_in_by_link(mailbox, CHAIR)
    chair.goto(f"/rounds/{SLUG}/meeting")
    chair.page.get_by_role("button", name="Start the meeting").click()
    chair.page.get_by_role("link", name="Draw lots for the grey zone").click()
    expect(chair.page.get_by_role("heading", level=1)).to_have_text("Draw")
    chair.check()
    chair.fits(360)
    chair.page.get_by_role("button", name="Draw").click()
    expect(chair.page.get_by_role("alert")).to_contain_text("Type the public input")
    chair.check()
    chair.page.get_by_label("Public input").fill("7 19 42")
    chair.page.get_by_role("button", name="Draw").click()
    expect(chair.page.get_by_text("The lots are drawn.")).to_be_visible()
    chair.check()
    chair.fits(360)
    chair.page.get_by_role("region", name="The draw").scroll_into_view_if_needed()
    chair.photograph("draw-done-phone")

    db.session.expire_all()  # the live server drew in its own session
    order = db.session.query(Lottery).one().order
    drawn = chair.page.get_by_role("region", name="The draw").get_by_role("listitem")
    expect(drawn.nth(0)).to_contain_text(f"{order[0]} ")
    expect(drawn.nth(0)).to_contain_text("Funded")
    expect(drawn.nth(1)).to_contain_text(f"{order[1]} ")
    expect(drawn.nth(1)).to_contain_text("Does not fit")

    chair.page.set_viewport_size({"width": 1280, "height": 800})
    chair.check()
    chair.fits(1280)
