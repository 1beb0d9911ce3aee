"""Small groups in the report (DESIGN.md §4): a round where application B has one
lived-experience reviewer. Its panel — chair and panellists — and the public summary see
no group score of B, only the words "one panellist — not shown separately" and why;
officers, auditors and ``flask round report`` still see every figure (DESIGN.md §8).

The round is the one worked by hand in tests/scoring/test_disclosure.py (criteria q and
n, weight 1 each, 1–5: S = 12.5 × (q + n − 2)), imported from a bundle:

    A  academic 100, 50 → 75     lived experience 25, 75 revised to 100 → 50, then 62.5
    B  academic 75, 50 → 62.5    lived experience ONE: 0 revised to 50
    C  academic 25, 50 → 37.5    lived experience 100, 75 → 87.5
    D  academic 50, 50 → 50      lived experience 50, 50 → 50

Combined A 68.75, B 56.25, C 62.5, D 50. Every figure over many applications, for the
panel, comes from A, C and D: Spearman −0.5 and Kendall −1/3 ("disagreed moderately"),
lived experience moved 6.25 toward academic ((12.5 + 0)/2), criterion gaps academic −
lived experience q 3 − 11/3 = −0.67 and n 10/3 − 11/3 = −0.33. Over all four (officers):
ranks 4, 3, 1, 2 against 3, 1.5, 4, 1.5 give Spearman −1.5/√22.5 = −0.32; of the six
pairs 2 agree, 3 disagree and B, D tie for lived experience: Kendall −1/√30 = −0.18; the gaps
q and n are both 26/8 − 25/7 = −0.32.
"""
from __future__ import annotations

import io
import json
import re
from html import unescape

import openpyxl
import pandas as pd
import pytest

from panel.extensions import db
from tests.builders.small_groups import (
    B_NOTE,
    CHAIR,
    LEFT_OUT,
    LONE,
    SLUG,
    WHY,
    reader,
    staff_reader,
)
from tests.support.pages import Cells


def csv_rows(client, path) -> dict[str, dict]:
    response = client.get(path)
    assert response.status_code == 200
    table = pd.read_csv(io.BytesIO(response.data), dtype=str, keep_default_na=False)
    return {row["reference"]: row for row in table.to_dict("records")}


def table(html: str, id_: str) -> list[list[str]] | None:
    """The rows of the table ``id_``, header first, each a list of its cells' words."""
    start = html.find(f'id="{id_}"')
    if start < 0:
        return None
    parser = Cells()
    parser.feed(html[html.rindex("<table", 0, start):html.index("</table>", start)])
    return parser.rows


def text_of(html: str) -> str:
    """The page's words: inline tags vanish, block tags become spaces."""
    html = re.sub(r"</?(strong|span|a|em|code)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# The panel's report page ----------------------------------------------------------------------

@pytest.mark.parametrize("email", [LONE, "aca1@panel.example", CHAIR])
def test_the_panel_page_says_which_group_scores_are_not_shown_and_why(
        lone_round, app, mailbox, email):
    html = reader(app, mailbox, email).get(f"/rounds/{SLUG}/report").get_data(as_text=True)
    text = text_of(html)
    assert table(html, "not-shown") == [
        ["Reference", "Title", "Academic", "Lived experience"],
        ["B", "Project B", "2 panellists — not shown separately",
         "one panellist — not shown separately"]]
    assert "The group scores of 1 application are not shown separately." in text
    assert f"This is {WHY}." in text
    # Over A, C and D only, as worked by hand above: three applications, too few to tell.
    assert table(html, "agreement-table")[1:] == [
        ["Academic and Lived experience", "−0.50", "−0.33", "too few applications to tell",
         "3", "–"]]
    assert [row[3] for row in table(html, "gaps-1")[1:]] == [
        "Lived experience 0.67 higher", "Lived experience 0.33 higher"]
    assert all(" of 3" in row[2] for row in table(html, "gaps-1")[1:])
    # Per application, B's group scores are not shown: A 75 against 62.5, C 37.5 against
    # 87.5, D 50 and 50; typical (12.5 + 50 + 0) / 3 = 20.8.
    assert table(html, "gaps-1-applications")[1:] == [
        ["A", "Project A", "75.0", "62.5", "Academic 12.5 higher"],
        ["C", "Project C", "37.5", "87.5", "Lived experience 50.0 higher"],
        ["D", "Project D", "50.0", "50.0", "the same"]]
    assert "scores were 20.8 points apart out of 100" in text
    assert text.count(LEFT_OUT) == 4  # the section, agreement, movement and the gaps


def test_the_officer_page_shows_every_figure_and_no_such_section(lone_round, app):
    html = staff_reader(app, "officer").get(f"/rounds/{SLUG}/report").get_data(as_text=True)
    assert table(html, "not-shown") is None and "not shown separately" not in html
    # Four applications: −0.32, an interval of −0.98 to 0.94, too few to tell.
    assert table(html, "agreement-table")[1:] == [
        ["Academic and Lived experience", "−0.32", "−0.18", "too few applications to tell",
         "4", "−0.98 to 0.94"]]
    assert [row[3] for row in table(html, "gaps-1")[1:]] == [
        "Lived experience 0.32 higher", "Lived experience 0.32 higher"]
    # B too (62.5 against 50): typical (12.5 + 12.5 + 50 + 0) / 4 = 18.75.
    assert [row[0] for row in table(html, "gaps-1-applications")[1:]] == ["A", "C", "B", "D"]
    assert "scores were 18.8 points apart out of 100" in text_of(html)


# Downloads ----------------------------------------------------------------------------------------

def test_the_panel_csv_leaves_the_lone_groups_cells_empty_and_says_why(lone_round, app, mailbox):
    rows = csv_rows(reader(app, mailbox, LONE), f"/rounds/{SLUG}/report.csv")
    b, a = rows["B"], rows["A"]
    for column in ("group_scores.academic", "group_scores.lived_experience",
                   "without.academic.score", "without.lived_experience.score"):
        assert b[column] == "", column
    assert b["note"] == B_NOTE
    # Not scores: how many counted, the combined score, ranks and funding stay.
    assert (b["sheets.lived_experience"], b["score"], b["rank"]) == ("1", "56.25", "3")
    assert (b["without.academic.rank"], b["without.lived_experience.rank"]) == ("3", "2")
    assert (a["group_scores.academic"], a["group_scores.lived_experience"], a["note"]) == (
        "75.0", "62.5", "")
    assert a["without.lived_experience.score"] == "75.0"


def test_the_panel_workbook_hides_them_too(lone_round, app, mailbox):
    response = reader(app, mailbox, CHAIR).get(f"/rounds/{SLUG}/report.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    header, *rows = list(book["Applications"].iter_rows(values_only=True))
    b = dict(zip(header, next(r for r in rows if r[0] == "B")))
    assert b["group_scores.lived_experience"] is None and b["group_scores.academic"] is None
    assert b["without.academic.score"] is None and b["note"] == B_NOTE
    header, *groups = list(book["Groups"].iter_rows(values_only=True))
    lived = dict(zip(header, next(r for r in groups if r[0] == "lived_experience")))
    assert lived["moved_toward.academic"] == pytest.approx(6.25)
    assert lived["criterion_gap.academic.q"] == pytest.approx(2 / 3)
    assert lived["note"] == LEFT_OUT


def test_officers_auditors_and_the_command_line_keep_every_figure(lone_round, app, runner):
    for role in ("officer", "auditor"):
        rows = csv_rows(staff_reader(app, role), f"/rounds/{SLUG}/report.csv")
        assert (rows["B"]["group_scores.lived_experience"], rows["B"]["group_scores.academic"],
                rows["B"]["without.academic.score"]) == ("50.0", "62.5", "50.0")
        assert "note" not in rows["B"]
    result = runner.invoke(args=["round", "report", SLUG, "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    b = next(a for a in found["applications"] if a["reference"] == "B")
    assert b["group_scores"] == {"academic": 62.5, "lived_experience": 50}
    assert b["without"]["academic"] == {"score": 50, "rank": 3, "funded": True}
    assert "not_shown" not in b and "min_group_size" not in found["round"]
    lived = found["groups"]["lived_experience"]
    assert lived["moved_toward"]["academic"] == pytest.approx((12.5 + 50 + 0) / 3)


# The public summary ----------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["officer", "panellist"])
def test_the_public_summary_is_the_panels_whoever_prints_it(lone_round, app, mailbox, who):
    client = staff_reader(app, "officer") if who == "officer" else reader(app, mailbox, LONE)
    html = client.get(f"/rounds/{SLUG}/report/summary").get_data(as_text=True)
    assert table(html, "agreement-table")[1:] == [
        ["Academic and Lived experience", "−0.50", "−0.33", "disagreed moderately"]]
    assert LEFT_OUT in text_of(html)
    funded = client.get(f"/rounds/{SLUG}/report/summary.csv").get_data(as_text=True)
    assert funded.splitlines()[0] == "reference,title,requested_amount,chosen_by"


def test_a_round_that_raises_the_minimum_hides_more(lone_round, app, mailbox):
    lone_round.min_group_size = 3
    db.session.commit()
    html = reader(app, mailbox, LONE).get(f"/rounds/{SLUG}/report").get_data(as_text=True)
    kept = table(html, "not-shown")
    assert [row[0] for row in kept[1:]] == ["A", "C", "B", "D"]
    assert kept[1][2:] == ["2 panellists — not shown separately"] * 2
    assert "only when at least 3 of its members scored" in text_of(html)
    assert table(html, "agreement-table")[1:] == [
        ["Academic and Lived experience", "not enough applications to say",
         "not enough applications to say", "not enough applications to say", "0", "–"]]
    assert table(html, "gaps-1-applications") is None
