"""The public summary of a published round in real Chromium, read by someone not signed
in: axe-clean on a laptop and a phone, nothing wider than the phone's screen, the anchor
explained and the public checking kit offered. Photographed when FAIRPANEL_SCREENS is set (docs/screens/shoot.py)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from panel.accounts.services import find_user
from panel.extensions import db
from panel.rounds import services as round_services
from tests.builders.demo import DEMO_SLUG, OFFICER

LAPTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_the_public_summary_reads_well_signed_out(demo_decided, visit, phone):
    demo_decided.public_columns = ["organisation"]
    round_services.change_phase(find_user(OFFICER), demo_decided, "published")
    db.session.commit()
    reader = visit(phone=phone, viewport=None if phone else LAPTOP)
    reader.goto(f"/rounds/{DEMO_SLUG}/report/summary")
    page = reader.page
    expect(page.get_by_role("heading", level=1)).to_contain_text(demo_decided.title)
    expect(page.locator("#anchor-heading")).to_have_text("Checking the record")
    # The story first: each group's effect with the funded projects named, in words.
    expect(page.locator("#voice-sentences")).to_contain_text(
        "Without the Lived experience group's scores, “")
    assert page.locator("section h2").first.inner_text() == "Community voice"
    expect(page.locator("#funded-list thead")).to_contain_text("Organisation")
    # Anyone can check the record: the kit is offered, and what it shows is said.
    kit = page.get_by_role("link", name="Download the checking kit (.zip)")
    expect(kit).to_be_visible()
    assert kit.get_attribute("href") == f"/rounds/{DEMO_SLUG}/report/summary/checking-kit.zip"
    expect(page.locator("#anchor-heading + p")).to_contain_text("fingerprint")
    size = "360x740" if phone else "1280x800"
    reader.photograph(f"summary-{size}")
    reader.photograph(f"summary-{size}-whole", full_page=True)
    reader.fits(360 if phone else 1280)
