"""A lived-experience panellist who reads Welsh scores one application to the end by its
Welsh buttons, on a phone and on a laptop (issue 21); axe checks every page, nothing
scrolls sideways, and the Welsh (about a fifth longer than the English) fits."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from panel.extensions import db
from tests.builders import people

EMAIL = "amira@panel.example"


@pytest.mark.parametrize("phone", [True, False], ids=["360", "1280"])
def test_a_welsh_reader_scores_an_application_in_welsh(app, visit, mailbox, phone):
    round_ = people.demo_round()
    visitor = visit(phone=phone, viewport=None if phone else {"width": 1280, "height": 800})
    page = visitor.page
    size = "360x740" if phone else "1280x800"
    width = 360 if phone else 1280
    visitor.sign_in_by_link(mailbox, EMAIL)
    people.user_named(EMAIL).language = "cy"  # chosen on their account
    db.session.commit()

    def step():
        visitor.check()
        visitor.fits(width, 740 if phone else 800)

    def press(locator):
        locator.tap() if phone else locator.click()

    visitor.goto(f"/my-rounds/{round_.slug}")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    step()
    press(page.get_by_role("link", name=re.compile("^Dechrau sgorio")))

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Oes gennych chi unrhyw gysylltiad â'r prosiect hwn?")
    step()
    press(page.get_by_label("Na", exact=True))
    press(page.get_by_role("button", name="Parhau"))

    expect(page.get_by_text("Darllen y cais")).to_be_visible()
    step()
    press(page.get_by_role("link", name="Dechrau sgorio"))

    for number in range(1, 5):
        expect(page.get_by_text(f"Cwestiwn {number} o 4")).to_be_visible()
        # The text shows before the page's script has run: a tap before then is saved
        # by "Cadw a pharhau", not in the background, and no "Wedi'i gadw" appears.
        page.wait_for_load_state("load")
        choice = (page.get_by_label("Dydw i ddim yn teimlo y gallaf sgorio hwn") if number == 2
                  else page.get_by_label(re.compile("^3 – ")))
        press(choice)
        expect(page.get_by_text("Wedi'i gadw", exact=True)).to_be_visible()  # saved by JS
        if number == 1:
            visitor.photograph(f"question-cy-{size}")
        step()
        press(page.get_by_role("button", name="Cadw a pharhau"))

    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Oes unrhyw beth rydych chi eisiau ei ddweud am y prosiect hwn?")
    page.get_by_label(re.compile("^Oes unrhyw beth")).fill("Syniad hyfryd.")
    step()
    press(page.get_by_role("button", name="Cadw a pharhau"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Gwirio eich atebion")
    expect(page.get_by_text("Dydw i ddim yn teimlo y gallaf sgorio hwn")).to_be_visible()
    expect(page.get_by_text("Syniad hyfryd.")).to_be_visible()
    visitor.photograph(f"check-cy-{size}")
    visitor.photograph(f"check-cy-{size}-whole", full_page=True)
    step()
    send = page.get_by_role("button", name="Cyflwyno fy sgorau")
    send.scroll_into_view_if_needed()
    visitor.photograph(f"check-cy-send-{size}")  # the end of the page, as a picture to open
    press(send)

    expect(page.get_by_text("Mae eich sgorau wedi'u hanfon. Diolch!")).to_be_visible()
    expect(page.get_by_text("1 o 22 wedi'u gwneud.")).to_be_visible()
    step()
