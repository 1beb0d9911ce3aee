"""The public summary of a published round in real Chromium, read by someone not signed
in: axe-clean on a laptop and a phone, nothing wider than the phone's screen, the anchor
explained. Screenshots land in the test's temporary folder (SCREENS overrides it)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from panel.accounts.services import find_user
from panel.extensions import db
from panel.rounds import services as round_services
from tests.builders.demo import DEMO_SLUG, OFFICER


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_the_public_summary_reads_well_signed_out(demo_decided, visit, tmp_path, phone):
    demo_decided.public_columns = ["organisation"]
    round_services.change_phase(find_user(OFFICER), demo_decided, "published")
    db.session.commit()
    reader = visit(phone=phone)
    reader.goto(f"/rounds/{DEMO_SLUG}/report/summary")
    page = reader.page
    expect(page.get_by_role("heading", level=1)).to_contain_text(demo_decided.title)
    expect(page.locator("#anchor-heading")).to_have_text("Checking the record")
    expect(page.locator("#funded-list thead")).to_contain_text("Organisation")
    width = 360 if phone else 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    folder = Path(os.environ.get("SCREENS", tmp_path))
    page.screenshot(path=str(folder / f"public-summary-{width}.png"), full_page=True)
