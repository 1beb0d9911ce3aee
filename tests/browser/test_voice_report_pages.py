"""The community-voice report and its public summary in real Chromium (issue 7's "done
when"): the demo round scored, moderated and decided (see tests/reports/test_voice_report.py),
read by the programme officer, then by a lived-experience panellist once it is published,
each on a laptop and on a phone, axe-checked, with no sideways scrolling at 360 or 320
pixels."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from panel.accounts.services import find_user
from panel.extensions import db
from panel.rounds import services as round_services
from tests.builders import people
from tests.builders.demo import DEMO_SLUG, LIVED, OFFICER

REPORT = f"/rounds/{DEMO_SLUG}/report"


def fits(visitor, width: int) -> None:
    visitor.page.set_viewport_size({"width": width, "height": 740})
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= width, \
        (visitor.page.url, width)


def sign_in_staff(visitor, email: str) -> None:
    page = visitor.page
    visitor.goto("/sign-in/staff")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(people.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def read_report_and_summary(visitor, phone: bool) -> None:
    page = visitor.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Community voice report")
    expect(page.get_by_role("img", name="The Lived experience group's scores brought")
           ).to_be_visible()
    expect(page.get_by_role("region", name="Rank with and without the Lived experience group")
           ).to_be_visible()
    expect(page.get_by_text("Decision trail anchor: event")).to_be_visible()
    visitor.check()
    if phone:
        for width in (360, 320):
            fits(visitor, width)
            visitor.check()
    page.get_by_role("link", name=re.compile("^Public summary")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Public summary")
    expect(page.get_by_role("region", name="Funded applications")).to_be_visible()
    visitor.check()
    if phone:
        for width in (360, 320):
            fits(visitor, width)
            visitor.check()


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_the_officer_reads_the_report_and_the_summary(demo_decided, visit, phone):  # noqa: F811
    visitor = visit(phone=phone)
    sign_in_staff(visitor, OFFICER)
    visitor.goto(REPORT)
    expect(visitor.page.get_by_role("link", name="Report", exact=True)).to_have_attribute(
        "aria-current", "page")
    read_report_and_summary(visitor, phone)


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_a_panellist_reads_it_once_published(demo_decided, visit, mailbox, phone):  # noqa: F811
    round_services.change_phase(find_user(OFFICER), demo_decided, "published")
    db.session.commit()
    visitor = visit(phone=phone)
    visitor.sign_in_by_link(mailbox, LIVED[0])
    visitor.page.get_by_role("link", name="Read the report").click()
    expect(visitor.page).to_have_url(visitor.base_url + REPORT)
    # The panel reads the report without the officer's round navigation.
    assert visitor.page.get_by_role("navigation", name="This round").count() == 0
    read_report_and_summary(visitor, phone)
