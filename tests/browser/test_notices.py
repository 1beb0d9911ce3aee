"""The privacy notice, the accessibility statement and a panellist's own data in real
Chromium: axe-clean and nothing wider than the screen, on a laptop and a phone."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

LAPTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_the_notices_and_your_data_read_well(demo_decided, visit, mailbox, phone):
    reader = visit(phone=phone, viewport=None if phone else LAPTOP)
    width = 360 if phone else 1280
    reader.goto("/privacy")
    expect(reader.page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    reader.fits(width)
    reader.page.get_by_role("link", name="Accessibility").click()
    expect(reader.page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    reader.check()
    reader.fits(width)
    reader.sign_in_by_link(mailbox, "amira@panel.example")
    reader.page.get_by_role("link", name="Your data").click()
    expect(reader.page.get_by_role("heading", level=1)).to_have_text(
        "What FairPanel holds about you")
    reader.check()
    reader.fits(width)
    size = "360x740" if phone else "1280x800"
    reader.photograph(f"my-data-{size}")
