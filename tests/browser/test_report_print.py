"""The community-voice report printed on A4 (static/css/report-print.css), as a funder's
board pack: Chromium makes the PDF, and with print media emulated every chart fits the
A4 content width, nothing is wider than the page, and the navigation, forms and
downloads are left off.

A4 is 210 mm: 794 CSS px at 96 px to the inch; with the stylesheet's 15 mm margins the
content is 180 mm, about 680 px, the width Chromium lays the printed page out at."""
from __future__ import annotations

import re

import pytest

from tests.builders import people
from tests.builders.demo import DEMO_SLUG, OFFICER

REPORT = f"/rounds/{DEMO_SLUG}/report"

PX_PER_MM = 96 / 25.4
A4_WIDTH = round(210 * PX_PER_MM)  # 794
CONTENT_WIDTH = (210 - 2 * 15) * PX_PER_MM  # 680.3
A4_POINTS = (210 * 72 / 25.4, 297 * 72 / 25.4)  # 595.3 × 841.9 PDF points

# Every element drawn wider than the page, or reaching past its right edge.
TOO_WIDE = """(limit) => [...document.querySelectorAll('body *')]
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, box]) => box.width > 0 && box.right > limit + 0.5)
  .map(([e, box]) => `${e.tagName.toLowerCase()}.${e.className.baseVal ?? e.className}`
                     + ` right ${Math.round(box.right)}`)"""
CHART_WIDTHS = """() => [...document.querySelectorAll('svg')]
  .map(svg => svg.getBoundingClientRect().width)"""


@pytest.fixture
def printed(demo_decided, visit):
    """The officer's report page, with print media emulated."""
    visitor = visit(viewport={"width": A4_WIDTH, "height": 1123})
    visitor.sign_in_staff(OFFICER, people.PASSWORD)
    visitor.goto(REPORT)
    visitor.page.emulate_media(media="print")
    return visitor.page


def on_a4(pdf: bytes) -> bool:
    """Every page of ``pdf`` is A4, give or take Chromium's rounding (under a point)."""
    sizes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    return bool(sizes) and all((float(w), float(h)) == pytest.approx(A4_POINTS, abs=1)
                               for w, h in sizes)


def test_chromium_prints_the_report_on_a4_pages(printed):
    pdf = printed.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    assert on_a4(pdf)
    assert len(re.findall(rb"/Type /Page\b", pdf)) >= 2  # the whole report, not one screen


def test_the_stylesheet_asks_for_a4_whatever_the_browsers_paper(printed):
    # Playwright's own default is US Letter: A4 here comes from the stylesheet's @page.
    assert on_a4(printed.pdf(prefer_css_page_size=True))


@pytest.mark.parametrize("width", [A4_WIDTH, round(CONTENT_WIDTH)],
                         ids=["A4 page", "A4 content"])
def test_every_chart_fits_the_a4_content_width_and_nothing_is_wider(printed, width):
    printed.set_viewport_size({"width": width, "height": 1123})
    charts = printed.evaluate(CHART_WIDTHS)
    assert len(charts) >= 4  # two groups' slope charts, movement, gaps, the meeting
    assert all(0 < chart <= CONTENT_WIDTH for chart in charts), charts
    assert printed.evaluate(TOO_WIDE, width) == []
    assert printed.evaluate("document.documentElement.scrollWidth") <= width


def test_printing_leaves_off_navigation_forms_and_downloads(printed):
    for selector in (".fp-nav", ".fp-round-nav", ".fp-voice-contents", ".fp-voice-downloads",
                     "form", ".fp-skip-link", ".fp-footer"):
        shown = printed.locator(selector).evaluate_all(
            "found => found.filter(e => e.getClientRects().length > 0).length")
        assert shown == 0, selector
    chart = printed.locator(".fp-voice-chart").first
    assert chart.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    header = printed.locator(".fp-table__head").first
    assert header.evaluate("e => getComputedStyle(e).display") == "table-header-group"
    link = printed.locator("main a[href]").first  # its text only: no underline, no address
    assert link.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"
    assert link.evaluate("e => getComputedStyle(e, '::after').content") in ("none", "normal")
