"""The agenda page in real Chromium, on an agenda of 300 items
(tests/builders/long_agenda.py): axe-clean on a laptop and a phone, with and without a
filter; at 360 px every row is a block and nothing is wider than the screen; the chair
follows the link to the item open now, and takes a decided item again with the quiet
"Discuss again" button. Screenshots land in the test's temporary folder."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.builders.long_agenda import long_agenda
from tests.builders.meetings import CHAIR
from tests.builders.worked import SLUG

AGENDA = f"/rounds/{SLUG}/meeting/agenda"


def fits(visitor, width=360):
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= width, visitor.page.url


@pytest.fixture
def long_meeting(meeting_round):
    long_agenda(meeting_round)
    return meeting_round


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_the_agenda_reads_well_and_passes_axe(long_meeting, visit, mailbox, tmp_path, phone):
    chair = visit(phone=phone)
    chair.sign_in_by_link(mailbox, CHAIR)
    page = chair.page
    chair.goto(AGENDA)
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    expect(page.locator("#item-A1")).to_contain_text("Decided: Fund")
    expect(page.locator("#item-A1").get_by_role("button", name=re.compile(r"^Discuss again\W+A1$"))).to_be_visible()
    expect(page.locator("#item-A1").get_by_role("button", name=re.compile(r"^Discuss now\W+A1$"))).to_have_count(0)
    expect(page.locator("#item-A3")).to_contain_text("Skipped")
    width = 360 if phone else 1280
    page.screenshot(path=str(tmp_path / f"agenda-{width}.png"))
    page.locator("#agenda").evaluate("table => table.scrollIntoView()")
    page.screenshot(path=str(tmp_path / f"agenda-rows-{width}.png"))
    if phone:
        fits(chair)
        # Each row is a block, its figures named beside them.
        display = page.locator("#item-B4").evaluate("row => getComputedStyle(row).display")
        assert display == "block"
        label = page.locator("#item-B4 td[data-label='Gap']").evaluate(
            "cell => getComputedStyle(cell, '::before').content")
        assert label == '"Gap: "'
    page.get_by_role("link", name=re.compile(r"Decided \(3\)")).click()
    expect(page.locator("#agenda tbody tr")).to_have_count(3)
    chair.check()
    if phone:
        fits(chair)


def test_the_chair_finds_the_item_open_now_and_takes_a_decided_one_again(long_meeting, visit,
                                                                         mailbox):
    chair = visit()
    chair.sign_in_by_link(mailbox, CHAIR)
    page = chair.page
    chair.goto(AGENDA)
    page.get_by_role("link", name=re.compile("Show it in the list")).click()
    expect(page).to_have_url(re.compile(r"page=5#item-B203$"))
    expect(page.locator("#item-B203")).to_have_attribute("aria-current", "true")
    chair.check()
    page.get_by_role("link", name="Page 1", exact=True).click()
    page.locator("#item-A2").get_by_role("button", name=re.compile(r"^Discuss again\W+A2$")).click()
    expect(page.locator("#item-title")).to_contain_text("A2:")
