"""How sure the ranking is, in real Chromium (DESIGN.md §3a): the interval plot on the
officer's ranking page, on the chair's draw screen and in the report's section "How sure
is this ranking?", at 1280 px and on a 360 px phone; axe checks each, nothing scrolls
sideways, and the plot's words stay at 14 px or more. The worked example with the
hand-made model result of tests/builders/rank_model.py (A2 and A1 too close to call)."""
from __future__ import annotations

from playwright.sync_api import expect

from panel.extensions import db
from panel.moderation import lottery
from tests.builders import people
from tests.builders.meetings import CHAIR
from tests.builders.rank_model import keep_hand_made
from tests.builders.worked import SLUG

SENTENCE = ("These 2 applications are too close to call: their 90 % intervals reach across "
            "the funding line (after rank 2), so the panel's scores cannot tell whether they "
            "belong above or below it.")
SIZES = ((1280, 800), (360, 740))


def officer_visitor(visit, phone: bool):
    visitor = visit(phone=phone, viewport=None if phone else {"width": 1280, "height": 800})
    visitor.sign_in_staff("officer@example.org", people.PASSWORD)
    return visitor


def to_top(locator) -> None:
    """Scroll ``locator`` to the top of the window (for the photograph)."""
    locator.evaluate("element => element.scrollIntoView({block: 'start'})")


def plot_is_readable(visitor, width: int) -> None:
    """The plot is named by its sentence, fits, and its 18-unit words on a 360-unit
    drawing stay at 14 px or more (drawn at least 280 px wide)."""
    plot = visitor.page.get_by_role("img", name=SENTENCE)
    expect(plot).to_be_visible()
    box = visitor.box(plot)
    assert box["width"] >= 280 and box["x"] + box["width"] <= width
    table = visitor.page.get_by_role("region", name="Expected ranks and intervals")
    expect(table.get_by_role("row").nth(1)).to_contain_text("A3")
    expect(table.get_by_role("row").nth(2)).to_contain_text("Too close to call")


def looked_at(visitor, width: int, height: int, name: str) -> None:
    """The plot readable, axe clean, nothing wider than the window; photographed."""
    plot_is_readable(visitor, width)
    visitor.check()
    visitor.fits(width, height)
    visitor.photograph(f"{name}-{width}x{height}")


def test_the_ranking_page_shows_the_interval_plot(worked_round, visit):
    keep_hand_made(worked_round)
    people.staff("officer@example.org", "officer")
    for width, height in SIZES:
        visitor = officer_visitor(visit, phone=width == 360)
        visitor.goto(f"/rounds/{SLUG}/ranking")
        to_top(visitor.page.get_by_role("heading", name="How sure is this ranking?"))
        looked_at(visitor, width, height, "ranking-intervals")
        expect(visitor.page.get_by_role("link", name="Reviewer leniency by group")).to_be_visible()
    visitor.page.get_by_role("link", name="Reviewer leniency by group").click()
    expect(visitor.page.get_by_role("heading", name="Does leniency differ by group?")) \
        .to_be_visible()
    visitor.check()
    visitor.fits(360)


def test_the_chair_sees_the_plot_at_the_draw(lottery_round, visit, mailbox):
    keep_hand_made(lottery_round)
    lottery.prepare_draw(people.staff("officer@example.org", "officer"), lottery_round)
    db.session.commit()
    for width, height in SIZES:
        chair = visit(phone=width == 360, viewport=None if width == 360 else
                      {"width": width, "height": height})
        chair.sign_in_by_link(mailbox, CHAIR)
        chair.goto(f"/rounds/{SLUG}/meeting/draw")
        expect(chair.page.get_by_role("heading", level=1)).to_have_text("Draw")
        expect(chair.page.get_by_label("Public input")).to_be_visible()
        to_top(chair.page.get_by_role("heading", name="How sure is this ranking?"))
        looked_at(chair, width, height, "draw-intervals")


def test_the_report_section_in_plain_words(worked_round, visit):
    keep_hand_made(worked_round)
    people.staff("officer@example.org", "officer")
    for width, height in SIZES:
        visitor = officer_visitor(visit, phone=width == 360)
        visitor.goto(f"/rounds/{SLUG}/report")
        visitor.page.get_by_role("link", name="How sure is this ranking?").click()
        expect(visitor.page.get_by_role("heading", name="How sure is this ranking?")) \
            .to_be_in_viewport()
        section = visitor.page.locator("section", has=visitor.page.get_by_role(
            "heading", name="How sure is this ranking?"))
        expect(section).to_contain_text("1 is clearly above the funding line, none clearly "
                                        "below it and 2 too close to call.")
        looked_at(visitor, width, height, "report-sure")


def test_the_leniency_view_for_an_officer_at_a_laptop(worked_round, visit):
    keep_hand_made(worked_round)
    people.staff("officer@example.org", "officer")
    visitor = officer_visitor(visit, phone=False)
    visitor.goto(f"/rounds/{SLUG}/ranking/leniency")
    expect(visitor.page.get_by_role("heading", level=1)).to_contain_text("Reviewer leniency")
    expect(visitor.page.locator("main")).to_contain_text(
        "it is their voice, not an error, and allowing for leniency does not remove it")
    rows = visitor.page.get_by_role("region", name="Reviewers in Academic").get_by_role("row")
    expect(rows.nth(1)).to_contain_text("Academic One")
    expect(rows.nth(1)).to_contain_text("More generous than their group, by about 2.0 points")
    visitor.check()
    visitor.fits(1280, 800)
    visitor.photograph("leniency-1280x800")


def test_the_chair_sees_how_sure_the_current_items_rank_is(meeting_round, visit, mailbox):
    for width, height in SIZES:
        chair = visit(phone=width == 360, viewport=None if width == 360 else
                      {"width": width, "height": height})
        chair.sign_in_by_link(mailbox, CHAIR)
        chair.goto(f"/rounds/{SLUG}/meeting")
        if width == 1280:
            chair.page.get_by_role("button", name="Start the meeting").click()
            keep_hand_made(meeting_round)
            chair.goto(f"/rounds/{SLUG}/meeting")
        heading = chair.page.get_by_role("heading", name="How sure is its rank?")
        to_top(heading)
        plot = chair.page.get_by_role("img", name="Expected rank")
        expect(plot).to_be_visible()
        box = chair.box(plot)
        assert box["width"] >= 280 and box["x"] + box["width"] <= width
        chair.check()
        chair.fits(width, height)
        chair.photograph(f"chair-how-sure-{width}x{height}")
        if width == 360:
            chair.fits(320)
