"""My reviews (issue 20) in Chromium: a panellist's own answers in one table, on a
laptop and on a phone (the table scrolls inside its frame, the page never wider than the
screen), sorted by choosing a heading, filtered by a link; axe clean at both sizes."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from panel.scoring import queries
from tests.builders import people
from tests.support.web import submit

EMAIL = "amira@panel.example"


@pytest.fixture
def demo(app, mailbox):
    """The demo's round to score, in which Amira has sent two applications' scores and
    started a third (through the pages, as she would)."""
    round_ = people.demo_round()
    amira = app.test_client()
    people.sign_in_by_link(amira, mailbox, EMAIL)
    member = queries.member_of(people.user_named(EMAIL), round_)
    references = [item.application.reference for item in queries.progress(member).items][:3]
    keys = [c.key for c in round_.criteria]
    for n, reference in enumerate(references):
        base = f"/my-rounds/{round_.slug}/{reference}"
        submit(amira, f"{base}/connection", {"answer": "none"})
        answers = {f"c_{key}": str(1 + (n + i) % 5) for i, key in enumerate(keys)}
        if n == 2:
            answers = {f"c_{keys[0]}": "3"}
        submit(amira, f"{base}/all", {**answers, "comment": "", "version": "0",
                                       "action": "save" if n == 2 else "send"})
    return round_


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_a_panellist_reads_sorts_and_filters_their_reviews(demo, visit, mailbox, size):
    phone = size == "phone"
    visitor = visit(phone=True) if phone else visit(viewport={"width": 1280, "height": 800})
    page = visitor.page
    visitor.sign_in_by_link(mailbox, EMAIL)
    visitor.goto(f"/my-rounds/{demo.slug}")
    page.get_by_role("link", name="See all your answers in one table").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My reviews")
    table = page.get_by_role("table")
    expect(page.locator("#reviews-summary")).to_contain_text("sorted by reference")
    visitor.check()
    visitor.fits(360 if phone else 1280, 740 if phone else 800)
    visitor.photograph(f"my-reviews-{'360x740' if phone else '1280x800'}")
    if phone:  # the smallest phones too: the table scrolls in its frame, the page does not
        visitor.fits(320)
        visitor.fits(360)

    rows = table.locator("tbody tr")
    count = rows.count()
    assert count >= 1
    table.get_by_role("link", name=re.compile("^Ref")).click()
    expect(page.locator("#reviews-summary")).to_contain_text("sorted by reference, last first")
    first_last = [page.get_by_role("table").locator("tbody tr").nth(i).locator("td").first
                  .inner_text() for i in (0, count - 1)]
    assert first_last == sorted(first_last, key=str.casefold, reverse=True)
    visitor.check()

    filters = page.get_by_role("navigation", name="Show applications by where they stand")
    filters.get_by_role("link", name="Scored (2)").click()
    expect(page.locator("#reviews-summary")).to_contain_text("2 of 22 applications")
    assert page.get_by_role("table").locator("tbody tr").count() == 2
    expect(page.get_by_role("table")).not_to_contain_text("so far")
    visitor.check()
