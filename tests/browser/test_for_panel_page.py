"""The panel's own page of the report in real Chromium: a lived-experience panellist of
the published demo round follows the button on My rounds, reads the page on a phone
(360×740, and 320 wide) and on a laptop (1280×800), axe-checked, with no sideways
scrolling, text at 16 px or more, and finds the full report from it and back.
Photographed when FAIRPANEL_SCREENS is set (docs/screens/shoot.py)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from panel.accounts.services import find_user
from panel.extensions import db
from panel.rounds import services as round_services
from tests.builders.demo import DEMO_SLUG, LIVED, OFFICER

PLAIN = f"/rounds/{DEMO_SLUG}/report/for-panel"
SIZES = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_a_panellist_reads_what_happened_in_plain_words(demo_decided, visit, mailbox, size):
    round_services.change_phase(find_user(OFFICER), demo_decided, "published")
    db.session.commit()
    visitor = visit(phone=size == "phone", viewport=SIZES[size])
    page = visitor.page
    visitor.sign_in_by_link(mailbox, LIVED[0])
    page.get_by_role("link", name="See what happened").click()
    expect(page).to_have_url(visitor.base_url + PLAIN)
    expect(page.get_by_role("heading", level=1)).to_contain_text("The results in plain words")
    for heading in ("What your group's scores changed", "What the meeting changed"):
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    expect(page.get_by_text("Without your group's scores, Walking football for the "
                            "over-fifties would not have been funded.")).to_be_visible()
    visitor.check()
    assert visitor.smallest_text_px() >= 16
    shape = "{width}x{height}".format(**SIZES[size])
    visitor.photograph(f"for-panel-{shape}")
    visitor.photograph(f"for-panel-{shape}-whole", full_page=True)
    for width in (360, 320) if size == "phone" else (1280,):
        visitor.fits(width)
        visitor.check()
    page.get_by_role("link", name="Read the full report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Community voice report")
    page.get_by_role("link", name="Read what happened, in plain words").click()
    expect(page).to_have_url(visitor.base_url + PLAIN)
    visitor.check()
