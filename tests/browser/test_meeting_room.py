"""The meeting in a real room (issue 14's "done when"), in real Chromium: the chair on a
laptop, the shared screen on a 1280×720 projector, an academic on a laptop and a
lived-experience panellist on a 360×740 phone, each in their own browser context, run
three items of tests/builders/room.py. axe checks every page.

Checked on every screen the panellists and the room see: the lone-member rule (a group
with fewer than two counting sheets has no label beside a letter, no score and no gap);
that the chair sees the comments and can put one on the shared screen; that the shared
screen needs no scrolling; that the phone page has no horizontal overflow and no text
under 16 px; and that a revision made one question at a time reaches every screen.

With FAIRPANEL_SCREENS set to a folder, the pages are also photographed there
(docs/screens/shoot.py does that)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from panel.extensions import db
from tests.builders import room
from tests.builders.room import SLUG

LIVE = 10_000  # the pages poll every second; generous, the suite never fails on a timing
PROJECTOR = {"width": 1280, "height": 720}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def room_round(app, tmp_path):
    return room.room_round(tmp_path / "bundle")


def lone_member_rule(page) -> None:
    """No group line with fewer than two sheets shows a figure, and then no letter carries
    a group label and no gap is given."""
    lines = page.locator("#groups li").all_inner_texts()
    small = [line for line in lines if "one panellist" in line]
    for line in small:
        assert "not shown separately" in line, line
    if small:
        expect(page.locator(".fp-strip__group")).to_have_count(0)
        assert "higher than" not in page.locator("#gap").inner_text()


def fits_without_scrolling(page) -> None:
    """Everything on the shared screen lies inside the window: nothing below or beside it."""
    outside = page.evaluate("""() => {
        const w = window.innerWidth, h = window.innerHeight;
        return Array.from(document.querySelectorAll('.fp-meeting--screen *'))
          .filter(e => !e.closest('.fp-visually-hidden') && e.getClientRects().length)
          .filter(e => { const r = e.getBoundingClientRect();
                         return r.width && (r.bottom > h + 1 || r.right > w + 1); })
          .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40));
    }""")
    assert not outside, outside
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url
    small = page.evaluate("""() => {
        const found = [];
        const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) {
          const text = walk.currentNode.textContent.trim(), el = walk.currentNode.parentElement;
          if (!text || !el || el.closest('.fp-visually-hidden, .fp-skip-link, [hidden]')) continue;
          if (!el.getClientRects().length) continue;
          const size = parseFloat(getComputedStyle(el).fontSize);
          if (size < 16) found.push(size + 'px: ' + text.slice(0, 40));
        }
        return found;
    }""")
    assert not small, small


def test_a_meeting_in_a_real_room(room_round, visit, mailbox):
    chair, screen = visit(viewport=LAPTOP), visit(viewport=PROJECTOR)
    academic, lived = visit(viewport=LAPTOP), visit(phone=True)
    for visitor, email in ((chair, room.CHAIR), (screen, room.CHAIR),
                           (academic, room.ACADEMICS[0]), (lived, room.LIVED[0])):
        visitor.sign_in_by_link(mailbox, email)
    chair.goto(f"/rounds/{SLUG}/meeting")
    chair.page.get_by_role("button", name="Start the meeting").click()
    for visitor, path in ((screen, f"/rounds/{SLUG}/meeting/screen"),
                          (academic, f"/meetings/{SLUG}"), (lived, f"/meetings/{SLUG}")):
        visitor.goto(path)

    # Item 1, CA-001: three academics and one lived-experience panellist scored it.
    title = "CA-001: Growing food together on the estate"
    expect(chair.page.locator("#item-title")).to_have_text(title)
    chair_text = chair.page.locator("main")
    expect(chair_text).to_contain_text("One panellist from Lived experience scored this. "
                                       "Invite them to speak first")
    expect(chair.page.locator("#groups")).to_contain_text("Lived experience 0.0 from one "
                                                          "panellist")
    expect(chair.page.locator("#gap")).to_contain_text(
        "Academic scored 81.7 points higher than Lived experience.")
    expect(chair.page.locator("#guarded-note")).to_be_visible()
    expect(chair.page.locator("#stepped-out")).to_have_text(
        "Nobody has stepped out of this application.")
    # Both comments, beside letters, never names.
    comments = chair.page.locator(".fp-meeting__comment")
    expect(comments).to_have_count(2)
    expect(chair_text).not_to_contain_text("Amira")
    lived_comment = comments.filter(has_text="the kids play football")
    letter = lived_comment.locator(".fp-strip__letter").inner_text()
    chair.check()
    chair.photograph("chair-1280x800")
    chair.photograph("chair-1280x800-whole", full_page=True)
    # The outcome form and "next" are reachable without scrolling past 2,700 px.
    record = chair.page.get_by_role("button", name="Record the outcome and go to the next "
                                                   "application")
    top = "document.querySelector('#outcome-form button').getBoundingClientRect().bottom + scrollY"
    assert chair.page.evaluate(top) < 2700  # about 1,530 px
    expect(record).to_be_visible()
    chair.page.evaluate("window.scrollTo(0, 0)")
    chair.page.set_viewport_size({"width": 360, "height": 740})
    chair.photograph("chair-360x740")
    # On a phone the item comes first, and a link at the top jumps to the form.
    chair.page.get_by_role("link", name="Record the outcome").click()
    expect(chair.page.get_by_role("heading", name="Outcome for CA-001")).to_be_in_viewport()
    chair.page.evaluate("window.scrollTo(0, 0)")
    chair.page.set_viewport_size(LAPTOP)

    expect(screen.page.locator("#item-title")).to_have_text(title, timeout=LIVE)
    lived_comment.get_by_role("button", name=f"Show {letter}'s comment on the shared "
                                              "screen").click()
    expect(chair.page.get_by_text(f"{letter}'s comment is on the shared screen.")).to_be_visible(
        timeout=LIVE)  # the button's request and the page after it, on a busy machine
    expect(screen.page.locator("#comments")).to_contain_text(
        f"{letter}: “Nobody on our estate was asked", timeout=LIVE)
    for visitor in (screen, academic, lived):
        expect(visitor.page.locator("#groups")).to_contain_text(
            "Lived experience one panellist — not shown separately", timeout=LIVE)
        expect(visitor.page.locator("#groups")).to_contain_text(
            "Academic 3 panellists — not shown, so the smaller group's score cannot be "
            "worked out")
        lone_member_rule(visitor.page)
        expect(visitor.page.locator("main")).not_to_contain_text("81.7")
        expect(visitor.page.locator("main")).not_to_contain_text("Amira")
        visitor.check()
    fits_without_scrolling(screen.page)
    screen.photograph("screen-1280x720")
    screen.page.set_viewport_size({"width": 1920, "height": 1080})
    fits_without_scrolling(screen.page)
    screen.photograph("screen-1920x1080")
    screen.page.set_viewport_size(PROJECTOR)
    academic.photograph("follow-1280x800")

    expect(lived.page.locator("#speak-first")).to_contain_text("You're invited to speak first.")
    expect(lived.page.locator("#you")).to_contain_text(
        "You said: Benefit to people's health and lives Little or no benefit – 1 of 5")
    expect(lived.page.locator("#you")).to_contain_text("That makes 0.0 out of 100.")
    expect(academic.page.locator("#you")).to_contain_text(
        "Benefit to people's health and lives Big, lasting benefit for people who need it "
        "most – 5 of 5")
    expect(academic.page.locator("#speak-first")).to_contain_text(
        "Lived experience members are invited to speak first.")
    fits_a_phone(lived.page)
    lived.photograph("follow-360x740")
    lived.photograph("follow-360x740-whole", full_page=True)

    revise_one_question(lived)

    # The revision reaches every screen without a reload.
    for visitor in (chair, screen, academic):
        expect(visitor.page.locator(".fp-strip__moved")).to_have_count(1, timeout=LIVE)
        expect(visitor.page.locator(".fp-strip__moved")).to_contain_text("changed from 0.0")
    expect(lived.page.locator("#you")).to_contain_text(
        "Real benefit for people who need it – 4 of 5")
    expect(chair.page.locator("#groups")).to_contain_text("Lived experience 30.0 from one "
                                                          "panellist (was 0.0 before the "
                                                          "meeting)")
    lone_member_rule(screen.page)
    lone_member_rule(academic.page)
    fits_a_phone(lived.page)

    # Item 2, CA-002: two in each group, so group names and scores are shown to everyone.
    chair.page.get_by_label("Fund", exact=True).check()
    chair.page.get_by_label("Why?").fill("The estate should be asked first; fund the "
                                         "consultation")
    chair.page.get_by_role("button", name="Record the outcome and go to the next "
                                          "application").click()
    expect(chair.page.locator("#item-title")).to_contain_text("CA-002:")
    for visitor in (screen, academic, lived):
        expect(visitor.page.locator("#item-title")).to_contain_text(
            "Memory lane heritage walks", timeout=LIVE)
        expect(visitor.page.locator("#groups")).to_contain_text(
            "Lived experience 100.0 from 2 panellists")
        expect(visitor.page.locator("#gap")).to_contain_text(
            "Lived experience scored 50.0 points higher than Academic.")
        lone_member_rule(visitor.page)
        visitor.check()
    fits_without_scrolling(screen.page)
    fits_a_phone(lived.page)
    # The comment written for the chair only has no button to share it.
    only = chair.page.locator(".fp-meeting__comment", has_text="Modest reach")
    expect(only).to_contain_text("For the chair only")
    expect(only.get_by_role("button")).to_have_count(0)
    expect(screen.page.locator("main")).not_to_contain_text("Modest reach")
    chair.check()

    chair.page.get_by_label("Fund", exact=True).check()
    chair.page.get_by_label("Why?").fill("Clear support from those with lived experience")
    chair.page.get_by_role("button", name="Record the outcome and go to the next "
                                          "application").click()

    # Item 3, CA-004; the chair moves on from the shared screen with the N key.
    expect(screen.page.locator("#item-title")).to_contain_text("CA-004:", timeout=LIVE)
    fits_without_scrolling(screen.page)
    screen.page.keyboard.press("n")
    for visitor in (screen, chair, lived):
        expect(visitor.page.locator("#item-title")).to_contain_text(
            "Paint your way to feeling better", timeout=LIVE)
    expect(lived.page.locator("#you")).to_contain_text("That makes 75.0 out of 100.")
    expect(lived.page.locator("#groups")).to_contain_text(
        "Lived experience 75.0 from 3 panellists")
    for visitor in (screen, lived):
        lone_member_rule(visitor.page)
    fits_a_phone(lived.page)
    fits_without_scrolling(screen.page)
    screen.check()


def revise_one_question(lived) -> None:
    """The lived-experience panellist changes one answer, one question per screen, and
    gives the reason once at the end."""
    page = lived.page
    page.get_by_role("link", name="Change your score").click()
    lived.check()
    page.get_by_role("link", name="Change your answer to Benefit to people's health").click()
    page.get_by_role("radio", name="Real benefit for people who need it").check()
    lived.check()
    fits_a_phone(page)
    for _ in range(4):  # this question, then the others as they were
        # Each Next only once the page before it has gone: a click that lands on the
        # page still showing would answer its question a second time (seen under load).
        shown = page.url
        page.get_by_role("button", name="Next").click()
        page.wait_for_url(lambda url, before=shown: url != before)
    expect(page.locator("main")).to_contain_text("Little or no benefit – 1 of 5")
    expect(page.locator("main")).to_contain_text("Real benefit for people who need it – 4 of 5")
    page.get_by_label("Why are you changing your score?").fill(
        "I heard the garden would be open to everyone")
    lived.check()
    fits_a_phone(page)
    page.get_by_role("button", name="Save my new score").click()
    expect(page.get_by_text("Your new score is saved")).to_be_visible()
    db.session.remove()
