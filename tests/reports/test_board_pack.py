"""The board pack (/rounds/<slug>/report/board-pack.xlsx): the report for a funder's
board, one sheet per section, human headers and rounded numbers; the machine-readable
report.xlsx stays as it was.

Worked example (DESIGN.md §3, tests/builders/worked.py), figures worked by hand there:
final A3 87.5, A2 75, A1 43.75 (shown 43.8), A3 and A2 funded by the scores (£90 of
£100), A3 not funded by the chair's decision (so £50 after the decisions). Group scores academic 75, 50, 87.5 and
lived experience 100, 100, 0 on A3, A2, A1. Without academics A2, A3, A1 (A2 and A3
tie on 100, A2 first by reference); without lived experience A1, A3, A2, so lived
experience brought A2 in and moved A1 out. Before the meeting A2 and A3 tied on 75 (A2
first); A3's revision lifted it one place. Agreement: Spearman −0.87, Kendall −0.82."""
from __future__ import annotations

import io

import openpyxl
import pytest

from panel.reports import voice_text as words
from panel.reports.report import round_report
from tests.builders.small_groups import B_NOTE, CHAIR, LONE, reader, staff_reader
from tests.builders.small_groups import SLUG as SMALL
from tests.builders.worked import SLUG

SHEETS = ["Summary", "Ranking", "Without each group", "Meeting", "Groups agreement"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def board_pack(client, slug: str) -> openpyxl.Workbook:
    response = client.get(f"/rounds/{slug}/report/board-pack.xlsx")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{slug}-board-pack.xlsx"')
    return openpyxl.load_workbook(io.BytesIO(response.data))


def rows_of(sheet) -> list[dict]:
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row)) for row in rows]


def by_reference(sheet) -> dict[str, dict]:
    return {row["Reference"]: row for row in rows_of(sheet)}


def cell_of(sheet, reference: str, header: str):
    """The cell itself (for its number format) of ``reference``'s row, ``header``'s column."""
    headers = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if reference in
               (r[0].value, r[1].value))
    return row[headers.index(header)]


@pytest.fixture
def pack(worked_round, officer):
    return board_pack(officer, SLUG)


def test_one_sheet_per_section_with_human_headers_bold_and_frozen(pack):
    assert pack.sheetnames == SHEETS
    ranking = pack["Ranking"]
    assert [c.value for c in ranking[1]] == [
        "Rank", "Reference", "Title", "Score", "Funded by the scores", "Decision",
        "Funded after the panel's decisions", "Reason for the decision", "Requested",
        "Score from Academic", "Score from Lived experience"]
    for sheet in pack.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(c.font.bold for c in sheet[1]), sheet.title
        assert all(12 <= sheet.column_dimensions[c.column_letter].width <= 62
                   for c in sheet[1]), sheet.title
        assert not any("." in str(c.value) or "_" in str(c.value) for c in sheet[1]
                       if c.value != "What the Lived experience group's scores did")


def test_the_ranking_rounds_scores_and_shows_money_in_whole_pounds(pack):
    ranking = pack["Ranking"]
    rows = by_reference(ranking)
    assert [r["Reference"] for r in rows_of(ranking)] == ["A3", "A2", "A1"]
    assert rows["A1"] == {
        "Rank": 3, "Reference": "A1", "Title": "Project one", "Score": 43.8,
        "Funded by the scores": "No", "Decision": None,
        "Funded after the panel's decisions": "No", "Reason for the decision": None,
        "Requested": 60, "Score from Academic": 87.5, "Score from Lived experience": 0}
    a3 = rows["A3"]
    assert (a3["Score"], a3["Funded by the scores"], a3["Decision"],
            a3["Funded after the panel's decisions"]) == (87.5, "Yes", "Do not fund", "No")
    # Text that a spreadsheet would run as a formula is escaped, as in every download.
    assert a3["Reason for the decision"] == "'-Funded elsewhere already"
    assert rows["A2"]["Title"] == "'=HYPERLINK(\"http://evil\")"
    assert cell_of(ranking, "A1", "Score").number_format == "0.0"
    assert cell_of(ranking, "A1", "Score from Academic").number_format == "0.0"
    assert cell_of(ranking, "A1", "Requested").number_format == '"£"#,##0'


def test_the_summary_gives_the_budget_and_the_headline_sentences(pack):
    summary = pack["Summary"]
    figures = {row["Item"]: row["Figure"] for row in rows_of(summary)}
    assert figures["Round"] == "Worked example"
    assert (figures["Budget"], figures["Asked for by those funded by the scores"],
            figures["Asked for by those funded after the decisions"]) == (100, 90, 50)
    assert figures["Funding"] == (
        "By the scores, 2 applications are funded, asking for £90 of the £100 budget. "
        "After the panel's decisions, 1 is funded, asking for £50.")
    voices = [row["Figure"] for row in rows_of(summary) if row["Item"] == "Community voice"]
    assert ("Without the Lived experience group's scores, “=HYPERLINK(\"http://evil\")” would "
            "not have been funded; “Project one” would have been instead.") in voices
    money = next(row for row in summary.iter_rows(min_row=2) if row[0].value == "Budget")[1]
    assert money.number_format == '"£"#,##0'


def test_without_each_group_says_the_change_in_places(pack):
    rows = by_reference(pack["Without each group"])
    assert (rows["A1"]["Rank without Lived experience"],
            rows["A1"]["Place without Lived experience"],
            rows["A1"]["What the Lived experience group's scores did"]) == (
        1, "2 places higher", "Displaced by their scores")
    assert (rows["A2"]["Place without Lived experience"],
            rows["A2"]["Funded without Lived experience"],
            rows["A2"]["What the Lived experience group's scores did"]) == (
        "1 place lower", "No", "Funded because of their scores")
    assert (rows["A2"]["Rank without Academic"], rows["A2"]["Place without Academic"]) == (
        1, "1 place higher")
    assert rows["A3"]["Place without Academic"] == "1 place lower"


def test_the_meeting_sheet_has_revisions_and_overrides(pack):
    rows = by_reference(pack["Meeting"])
    a3 = rows["A3"]
    assert (a3["First score"], a3["First rank"], a3["Score after the meeting"],
            a3["Rank after the meeting"], a3["Change in the meeting"]) == (
        75, 2, 87.5, 1, "1 place higher")
    assert (a3["Decision"], a3["Overrides the scores"],
            a3["Funded after the panel's decisions"]) == ("Do not fund", "Yes", "No")
    assert (rows["A1"]["First score"], rows["A1"]["Change in the meeting"],
            rows["A1"]["Overrides the scores"]) == (43.8, "Same place", "No")


def test_the_groups_agreement_in_words(pack):
    (row,) = rows_of(pack["Groups agreement"])
    words = row.pop("In words")
    # Three applications scored by both groups: too few to tell (at least 10 are needed).
    assert row == {
        "Groups": "Academic and Lived experience", "Agreement": "too few applications to tell",
        "Spearman's rho": -0.87, "Kendall's tau": -0.82}
    assert words.startswith("The Academic and Lived experience groups' scores disagreed "
                            "strongly (Spearman −0.87)")
    assert "too few applications to tell" in words


def test_the_machine_report_is_unchanged(worked_round, officer):
    response = officer.get(f"/rounds/{SLUG}/report.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    header = [c.value for c in book["Applications"][1]]
    assert "group_scores.academic" in header and "score" in header


def test_the_report_page_links_to_the_board_pack(worked_round, officer):
    html = officer.get(f"/rounds/{SLUG}/report").get_data(as_text=True)
    assert f'href="/rounds/{SLUG}/report/board-pack.xlsx"' in html


# Small groups (DESIGN.md §4) --------------------------------------------------------------------

@pytest.mark.parametrize("email", [CHAIR, LONE])
def test_the_panels_board_pack_hides_a_small_groups_scores(lone_round, app, mailbox,  # noqa: F811
                                                          email):
    book = board_pack(reader(app, mailbox, email), SMALL)
    ranking = by_reference(book["Ranking"])
    b, a = ranking["B"], ranking["A"]
    assert b["Score from Lived experience"] is None and b["Score from Academic"] is None
    assert b["Note"] == B_NOTE
    # Not a group score: it stays, rounded as the page rounds it (56.25 shows 56.2).
    assert (b["Score"], b["Rank"]) == (56.2, 3)
    assert (a["Score from Academic"], a["Score from Lived experience"], a["Note"]) == (
        75, 62.5, None)
    (agreement, note) = rows_of(book["Groups agreement"])
    assert agreement["Spearman's rho"] == -0.5  # over A, C and D only
    assert note["Groups"] == "Note"
    summary = [row["Item"] for row in rows_of(book["Summary"])]
    assert "Small groups" in summary


def test_officers_board_pack_keeps_every_figure(lone_round, app):  # noqa: F811
    book = board_pack(staff_reader(app, "officer"), SMALL)
    b = by_reference(book["Ranking"])["B"]
    assert (b["Score from Lived experience"], b["Score from Academic"]) == (50, 62.5)
    assert "Note" not in b
    assert "Small groups" not in [row["Item"] for row in rows_of(book["Summary"])]


# A decided round -----------------------------------------------------------------------------

def test_a_decided_rounds_pack_agrees_with_the_report_and_names_the_trail(demo_decided, officer):
    book = board_pack(officer, demo_decided.slug)
    report = round_report(demo_decided)
    ranking = rows_of(book["Ranking"])
    assert [r["Reference"] for r in ranking] == [a["reference"] for a in report["applications"]]
    for row, a in zip(ranking, report["applications"]):
        assert row["Score"] == (None if a["score"] is None else round(a["score"], 1))
        assert row["Requested"] == a["requested_amount"]
    trail = [r["Figure"] for r in rows_of(book["Summary"]) if r["Item"] == "Decision trail"]
    assert trail == [(f"Event {report['anchor']['event_id']}, hash "
                     f"{report['anchor']['event_hash']}, recorded "
                     f"{words.utc_time(report['anchor']['recorded_at'])}")]
