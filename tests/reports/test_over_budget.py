"""A round decided over budget says so in the report and the public summary, with the
programme officer's reason; a round within budget says nothing (DESIGN.md §3).

DESIGN.md §3's worked example with bigger amounts: A3 £200,000 and A2 £200,000 fill the
£400,000 budget exactly; the chair funds A1 (£45,050) as well, so the round funds
£445,050, £45,050 over its budget."""
from __future__ import annotations

import re

import pytest

from panel.extensions import db
from panel.rounds import services
from tests.builders.over_budget import FUND_A1, KEEP_ALL, in_moderation
from tests.builders.worked import SLUG

REPORT, SUMMARY = f"/rounds/{SLUG}/report", f"/rounds/{SLUG}/report/summary"
REASON = "The only lived-experience-led project in the north & the trust tops it up."
NOTE = ("This round funded £445,050, £45,050 over its £400,000 budget. "
        f"The programme officer recorded why: “{REASON}”")
@pytest.fixture
def decided_over_budget(app, tmp_path):
    round_ = in_moderation(tmp_path, FUND_A1)
    services.change_phase(None, round_, "decided", over_budget_reason=REASON, system="tests")
    db.session.commit()
    return round_


def text_of(page: str) -> str:
    page = re.sub(r"<[^>]+>", " ", page).replace("&amp;", "&").replace("&#39;", "'")
    return " ".join(page.split())


@pytest.mark.parametrize("page", [REPORT, SUMMARY])
def test_the_report_and_the_summary_say_the_round_was_decided_over_budget_and_why(
        officer, decided_over_budget, page):
    html = officer.get(page).get_data(as_text=True)
    assert NOTE in text_of(html)
    assert "north &amp; the trust" in html  # the reason is text, escaped


@pytest.mark.parametrize("page", [REPORT, SUMMARY])
def test_published_the_note_stays(officer, decided_over_budget, page):
    services.change_phase(None, decided_over_budget, "published", system="tests")
    db.session.commit()
    assert NOTE in text_of(officer.get(page).get_data(as_text=True))


@pytest.mark.parametrize("page", [REPORT, SUMMARY])
def test_a_round_decided_within_budget_has_no_note(officer, app, tmp_path, page):
    round_ = in_moderation(tmp_path, KEEP_ALL)  # £400,000 of £400,000: within
    services.change_phase(None, round_, "decided", system="tests")
    db.session.commit()
    text = text_of(officer.get(page).get_data(as_text=True))
    assert "over its" not in text and "recorded why" not in text


def test_before_deciding_the_report_warns_but_has_no_note_yet(officer, app, tmp_path):
    in_moderation(tmp_path, FUND_A1)
    text = text_of(officer.get(REPORT).get_data(as_text=True))
    assert "over the budget of £400,000" in text  # the figures' own warning
    assert "over its £400,000 budget" not in text


def test_a_round_decided_over_budget_before_the_acknowledgement_existed(officer, app,
                                                                        tmp_path):
    round_ = in_moderation(tmp_path, FUND_A1)
    round_.phase = "decided"  # as rounds decided before migration 0008 were
    db.session.commit()
    assert ("This round funded £445,050, £45,050 over its £400,000 budget. "
            "No reason was recorded.") in text_of(officer.get(SUMMARY).get_data(as_text=True))
