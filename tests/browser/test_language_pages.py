"""Welsh in real Chromium (issue 21): a panellist on the sign-in page presses "Cymraeg",
asks for a link, gets the Welsh e-mail, signs in from it and lands on a Welsh "my
rounds" page, on a 360 px phone and a 1280 px laptop; axe-clean, nothing wider than the
screen, the switch a 44 px target with 16 px text that sits beside the name in the
compact phone header, and it works without JavaScript."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from panel.extensions import db
from tests.builders import people
from tests.builders.rounds import scoring_round

LAPTOP = {"width": 1280, "height": 800}
AMIRA = "amira@example.org"


def _switch_fits_the_header(reader, name: str) -> None:
    """The switch is a 44 px target with 16 px text, on the brand's row."""
    page = reader.page
    button = page.get_by_role("button", name=name)
    box, brand = reader.box(button), reader.box(page.locator(".fp-header__brand"))
    assert box["height"] >= 44 and box["width"] >= 44, box
    assert button.evaluate("b => getComputedStyle(b).fontSize") == "16px"
    middle, brand_middle = box["y"] + box["height"] / 2, brand["y"] + brand["height"] / 2
    assert abs(middle - brand_middle) < 8, (box, brand)  # no extra row in the header


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_a_panellist_switches_to_welsh_and_signs_in_from_a_welsh_email(app, visit, mailbox,
                                                                      phone):
    scoring_round()  # Amira (lived experience) has A1 to score
    people.user_named(AMIRA).name = "Amira Hussain"
    db.session.commit()
    # Without JavaScript: the switch and the sign-in are plain forms.
    reader = visit(phone=phone, javascript=False, viewport=None if phone else LAPTOP)
    width, size = (360, "360x740") if phone else (1280, "1280x800")
    page = reader.page
    reader.goto("/sign-in")
    expect(page.get_by_role("button", name="Cymraeg")).to_have_attribute("lang", "cy")
    _switch_fits_the_header(reader, "Cymraeg")
    page.get_by_role("button", name="Cymraeg").click()
    page.wait_for_load_state("load")
    assert page.url == reader.base_url + "/sign-in"  # the same page, now in Welsh
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mewngofnodi i FairPanel")
    expect(page.get_by_role("button", name="English")).to_have_attribute("lang", "en-GB")
    reader.check()
    reader.fits(width)
    _switch_fits_the_header(reader, "English")
    reader.photograph(f"welsh-sign-in-{size}")

    page.get_by_label("Cyfeiriad e-bost").fill(AMIRA)
    page.get_by_role("button", name="Anfon dolen fewngofnodi ataf i").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edrychwch ar eich e-bost")
    reader.check()
    [message] = mailbox.to(AMIRA)
    assert message["Subject"] == "Eich dolen fewngofnodi FairPanel"
    assert "Dyma eich dolen i fewngofnodi i FairPanel:" in mailbox.body(message)

    reader.goto(mailbox.last_link(AMIRA, "/sign-in/link/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mewngofnodi fel Amira Hussain")
    page.get_by_role("button", name="Mewngofnodi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fy nghylchoedd")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("navigation", name="Prif ddewislen")).to_contain_text(
        "Allgofnodi")
    expect(page.get_by_text("0 o 1 wedi'u gwneud.")).to_be_visible()
    reader.check()
    reader.fits(width)
    _switch_fits_the_header(reader, "English")
    reader.photograph(f"welsh-my-rounds-{size}")
    assert people.user_named(AMIRA).language == "cy"  # kept on her account at sign-in
