"""The community-voice report and its public summary in real Chromium (issue 7's "done
when"): the demo round scored, moderated and decided (see tests/reports/test_voice_report.py),
read by the programme officer, then by a lived-experience panellist once it is published,
each on a laptop and on a phone, axe-checked, with no sideways scrolling at 360 or 320
pixels. What a reader sees: the projects named in the headline, bars on fixed, labelled
axes in proportion to their values, and rank changes in words, never "+3"."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from panel.accounts.services import find_user
from panel.extensions import db
from panel.reports.report import round_report
from panel.rounds import services as round_services
from tests.builders import people
from tests.builders.demo import DEMO_SLUG, LIVED, OFFICER

REPORT = f"/rounds/{DEMO_SLUG}/report"


def read_report_and_summary(visitor, phone: bool) -> None:
    page = visitor.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Community voice report")
    expect(page.locator("#story-lived_experience")).to_contain_text(
        "Without the Lived experience group's scores, “")
    if phone:  # the slope chart gives way to its list on a phone
        expect(page.locator("#without-lived_experience-moves")).to_be_visible()
        expect(page.locator("#without-lived_experience-moves")).to_contain_text(
            " without Lived experience (")
    else:
        expect(page.get_by_role("img", name="Without the Lived experience group's scores")
               ).to_be_visible()
    expect(page.get_by_role("region", name="Rank with and without the Lived experience group")
           ).to_be_visible()
    expect(page.get_by_text("Decision trail anchor: event")).to_be_visible()
    visitor.check()
    if phone:
        for width in (360, 320):
            visitor.fits(width)
            visitor.check()
    page.get_by_role("link", name=re.compile("^Public summary")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Public summary")
    expect(page.get_by_role("region", name="Funded applications")).to_be_visible()
    visitor.check()
    if phone:
        for width in (360, 320):
            visitor.fits(width)
            visitor.check()


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_the_officer_reads_the_report_and_the_summary(demo_decided, visit, phone):
    visitor = visit(phone=phone)
    visitor.sign_in_staff(OFFICER, people.PASSWORD)
    visitor.goto(REPORT)
    visitor.round_tab_is("Report")  # the tab on a laptop, "Round menu: Report" on a phone
    read_report_and_summary(visitor, phone)
    expect(visitor.page.get_by_role("heading", level=1)).to_contain_text("Public summary")


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_a_panellist_reads_it_once_published(demo_decided, visit, mailbox, phone):
    round_services.change_phase(find_user(OFFICER), demo_decided, "published")
    db.session.commit()
    visitor = visit(phone=phone)
    visitor.sign_in_by_link(mailbox, LIVED[0])
    visitor.page.get_by_role("link", name="Read the report").click()
    expect(visitor.page).to_have_url(visitor.base_url + REPORT)
    # The panel reads the report without the officer's round navigation.
    assert visitor.page.get_by_role("navigation", name="This round").count() == 0
    read_report_and_summary(visitor, phone)


LAPTOP = {"width": 1280, "height": 800}


def _titles(report: dict, refs: list[str]) -> list[str]:
    titles = {a["reference"]: a["title"] for a in report["applications"]}
    return [titles[ref] for ref in refs]


@pytest.mark.parametrize("phone", [False, True], ids=["1280x800", "360x740"])
def test_the_report_names_projects_draws_to_scale_and_speaks_in_words(demo_decided, visit,
                                                                      phone):
    report = round_report(demo_decided)
    lived = report["groups"]["lived_experience"]
    visitor = visit(phone=True) if phone else visit(viewport=LAPTOP)
    visitor.sign_in_staff(OFFICER, people.PASSWORD)
    visitor.goto(REPORT)
    page = visitor.page
    # The headline names the projects the lived-experience panellists' scores brought in.
    story = page.locator("#story-lived_experience")
    expect(story).to_contain_text("Without the Lived experience group's scores, ")
    for title in _titles(report, lived["funded_because"])[:2]:
        expect(story).to_contain_text(f"“{title}”")
    # ... and the story of the meeting straight after the result.
    assert page.locator("section h2").nth(1).inner_text() == "What happened in the meeting"
    # Words, not signs: no "+3" anywhere on the page, in its sentences or its tables.
    main = page.locator("main").inner_text()
    assert not re.search(r"\+\s?\d", main)
    expect(page.locator("#without-lived_experience")).to_contain_text("without them")
    # Bars on a fixed axis: its ends labelled, each bar as long as its value says.
    movement = page.locator('svg[aria-labelledby="movement-sentence movement-about"]')
    axis = [t.strip() for t in movement.locator("text").all_text_contents()]
    assert axis.count("100") == 2 and "0" in axis
    values = [value for g, voice in report["groups"].items()
              for value in voice["moved_toward"].values() if value]
    chart = movement.bounding_box()
    bars = movement.locator("rect")
    assert bars.count() == len(values) > 0
    for n, value in enumerate(values):
        # half the chart (360 units) less 6 units of margin is 100 points
        expected = abs(value) / 100 * (180 - 6) / 360 * chart["width"]
        assert abs(bars.nth(n).bounding_box()["width"] - expected) <= 1.5, (value, expected)
    gaps = page.locator('svg[aria-labelledby="gaps-1-sentence gaps-1-about"]')
    assert {"0", "4"} <= {t.strip() for t in gaps.locator("text").all_text_contents()}
    # Money in whole pounds, never pence.
    assert not re.search(r"£[\d,]+\.\d\d", main)
    visitor.check()
    size = "360x740" if phone else "1280x800"
    visitor.photograph(f"report-{size}")
    if phone:
        visitor.fits(360)


@pytest.mark.parametrize("phone", [False, True], ids=["1280x800", "360x740"])
def test_a_large_round_s_gap_table_says_it_lists_the_widest(demo_decided, visit, phone,
                                                             monkeypatch):
    # Past WIDEST_GAPS applications (100) the table of each application's gap lists the
    # widest and says so; shown on the demo round with the limit at 3.
    from panel.reports import presenters

    monkeypatch.setattr(presenters, "WIDEST_GAPS", 3)
    visitor = visit(phone=True) if phone else visit(viewport=LAPTOP)
    visitor.sign_in_staff(OFFICER, people.PASSWORD)
    visitor.goto(REPORT)
    shown = visitor.page.locator("#gaps-1-shown")
    expect(shown).to_contain_text("The table shows the 3 applications where the two groups' "
                                  "scores were furthest apart, of the ")
    expect(shown).to_contain_text("The downloads have them all.")
    table = visitor.page.locator("#gaps-1-applications")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("caption")).to_contain_text("where they were furthest apart")
    shown.scroll_into_view_if_needed()
    visitor.check()
    visitor.photograph(f"report-gaps-{'360x740' if phone else '1280x800'}")
    if phone:
        for width in (360, 320):
            visitor.fits(width)
            visitor.check()
