"""The officer's reviewer-leniency view (DESIGN.md §3a, §4): each reviewer's leniency
and interval by group, and the group-bias check — a group's shared difference is voice,
not error, and is kept. Officers and auditors only (tests/web/access_table.py). Numbers
from the hand-made result of tests/builders/rank_model.py."""
from __future__ import annotations

import re
from html import unescape

from panel.reports.leniency import leniency_page
from tests.builders import people
from tests.builders.rank_model import HAND_MADE, keep_hand_made
from tests.builders.worked import SLUG

PAGE = f"/rounds/{SLUG}/ranking/leniency"
LABELS = {"academic": "Academic", "lived_experience": "Lived experience"}


def page_from_hand_made():
    result = {**HAND_MADE, "reviewers": {**HAND_MADE["reviewers"], "member": [1, 2, 3]}}
    return leniency_page(result, {1: "Academic One", 2: "Academic Two", 3: "Lived One"},
                         LABELS)


def test_reviewers_by_group_most_generous_first_with_words():
    page = page_from_hand_made()
    academic, lived = page.groups
    assert [r.name for r in academic.reviewers] == ["Academic One", "Academic Two"]
    assert [r.words for r in academic.reviewers] == [
        "More generous than their group, by about 2.0 points",
        "Stricter than their group, by about 6.0 points"]
    assert lived.reviewers[0].words == "No clear difference from their group"
    assert (academic.generous, academic.strict, lived.generous, lived.strict) == (1, 1, 0, 0)
    # Weighted by sheets the leniencies balance: (3 × 2 + 1 × −6) / 4 = 0.
    assert academic.balance == 0 and lived.balance == 0


def test_the_group_bias_check_keeps_a_group_s_difference_as_voice():
    page = page_from_hand_made()
    assert page.levels == [
        "Academic reviewers scored 8.3 points higher than Lived experience reviewers on "
        "average (75.0 against 66.7 out of 100). This is a difference between the groups' "
        "views: it is their voice, not an error, and allowing for leniency does not "
        "remove it."]
    assert page.spread == (
        "Reviewers differ from one another more in Academic than in Lived experience "
        "(Academic about 5.2 points, Lived experience about 1.0 points): leniency differs "
        "by group.")


def test_groups_at_the_same_level_and_spread_say_so():
    result = {**HAND_MADE, "reviewers": {**HAND_MADE["reviewers"], "member": [1, 2, 3]},
              "groups": {"academic": {"level": 70.4, "leniency_sd": 4.0},
                         "lived_experience": {"level": 70.0, "leniency_sd": 3.0}}}
    page = leniency_page(result, {}, LABELS)
    assert page.levels == ["Academic and Lived experience reviewers scored at about the same "
                           "level (70.4 and 70.0 out of 100 on average)."]
    assert page.spread.endswith("leniency does not clearly differ by group.")
    assert page.groups[0].reviewers[0].name == "A panellist no longer on the panel"


def test_the_officer_reads_names_beside_leniency(worked_round, officer):
    keep_hand_made(worked_round)
    html = unescape(officer.get(PAGE).get_data(as_text=True))
    assert "Does leniency differ by group?" in html
    assert "Academic reviewers scored 8.3 points higher" in html
    table = html[html.index('id="leniency-academic"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<th scope="row" class="fp-table__header">([^<]+)</th>', table)
    assert rows == ["Academic One", "Academic Two"]
    assert "+2.0" in table and "-6.0" in table
    assert "+0.5 to +3.5" in table and "-11.0 to -1.0" in table


def test_an_auditor_reads_it_too(worked_round, app, client):
    keep_hand_made(worked_round)
    people.staff("auditor@example.org", "auditor")
    people.sign_in_staff(client, "auditor@example.org")
    assert client.get(PAGE).status_code == 200


def test_without_the_model_it_says_why(worked_round, officer):
    html = unescape(officer.get(PAGE).get_data(as_text=True))
    assert "This round has 3 applications" in html
    assert "Does leniency differ by group?" not in html
