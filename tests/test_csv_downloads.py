"""Every CSV FairPanel writes is safe against formula injection through a line break
(issue 22, item 1): cells holding CR or LF are quoted, and a formula start is escaped at
the start of a cell and after every line break; bundles read back exactly what they wrote.

Each download is read twice: by Python's csv module, and by a careless reader that ends
rows at a bare CR as well as at LF (tests/support/csv_safety.py)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from panel.audit import verify_trail
from panel.bundle import import_bundle
from panel.demo import story
from panel.extensions import db
from panel.spreadsheets import escape_cell, unescape_cell
from tests.builders import people
from tests.builders.bundles import CONFLICTS, SCORES, demo_bundle, edit, problems_of
from tests.builders.demo import CANARIES, DEMO_SLUG, OVER_BUDGET_REASON
from tests.support.csv_safety import csv_rows, formula_cells

TITLE = "Garden project\r=cmd|' /C calc'!A0"
SUMMARY = "We grow food.\r=1+1\nAnd share it.\r\n@SUM(A1)"
RATIONALE = "Agreed\r=1+1"
DETAILS = "I go to the club\r=1+1"
COMMENT = "Lovely\r\n-2+3 idea"


def _text(data: bytes) -> str:
    return data.decode("utf-8")  # never universal newlines: a bare CR must stay one


# The bundle: multi-line cells go in and come back out the same -----------------------------

def test_a_title_with_a_line_break_is_refused_on_import_with_where_and_why(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "applications.csv", '"Growing food together on the estate"',
         f'"{TITLE}"')
    problems = problems_of(folder)
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("applications.csv", 2, "title")]
    assert "must be on one line, but it has a line break after character 14" in \
        problems[0].message


def test_multi_line_cells_round_trip_through_an_export_that_is_formula_safe(app, runner,
                                                                           tmp_path):
    decisions = f'reference,outcome,rationale\nCA-001,fund,"{RATIONALE}"\n'
    folder = demo_bundle(tmp_path, decisions=decisions, scores=SCORES,
                         conflicts=CONFLICTS.replace("I go to the food club", f'"{DETAILS}"'))
    edit(folder, "applications.csv", '"We want to turn an empty patch',
         f'"{SUMMARY} We want to turn an empty patch')
    edit(folder, "scores.csv", "Lovely idea", f'"{COMMENT}"')
    round_ = import_bundle(None, folder, system="tests")
    db.session.commit()
    assert round_.applications[0].lay_summary.startswith(SUMMARY)

    out = tmp_path / "exported"
    result = runner.invoke(args=["round", "export", DEMO_SLUG, str(out)])
    assert result.exit_code == 0, result.output
    for name in ("applications.csv", "decisions.csv", "conflicts.csv", "scores.csv"):
        text = _text((out / name).read_bytes())
        assert formula_cells(text) == [], name
    rows = csv_rows(_text((out / "decisions.csv").read_bytes()))
    assert rows[0]["rationale"] == "Agreed\r'=1+1"

    copy = import_bundle(None, out, slug="copy", system="tests")
    db.session.commit()
    assert copy.applications[0].lay_summary == round_.applications[0].lay_summary
    again = tmp_path / "again"
    assert runner.invoke(args=["round", "export", "copy", str(again)]).exit_code == 0
    for name in ("applications.csv", "decisions.csv", "conflicts.csv", "scores.csv"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


# The downloads of a decided round ---------------------------------------------------------

def _hostile_round():
    """The demo round scored and decided with a line break and a formula in every
    free-text answer, and then (as if stored before one-line fields refused line
    breaks) the same in every title."""
    round_ = people.demo_round()
    script = dataclasses.replace(CANARIES, comment=COMMENT, connection_note=DETAILS,
                                 fund=RATIONALE, do_not_fund="Funded twice\n@SUM(A1)",
                                 no_consensus="Split\r-1")
    story.score_round(round_, script)
    db.session.commit()
    story.hold_meeting(round_, script, within_budget=False,
                       over_budget_reason=OVER_BUDGET_REASON)
    for application in round_.applications:
        application.title = f"{TITLE} {application.reference}"
        application.extra = {**application.extra, "area": "north\r+44 street"}
    round_.public_columns = ["area"]
    db.session.commit()
    return round_


def _titles(rows: list[dict[str, str]]) -> set[str]:
    return {unescape_cell(row["title"]) for row in rows}


def test_every_download_quotes_line_breaks_and_escapes_formulas_after_them(app, officer,
                                                                         runner, tmp_path):
    round_ = _hostile_round()
    titles = {a.title for a in round_.applications}
    downloads = {
        "report.csv": officer.get(f"/rounds/{DEMO_SLUG}/report.csv"),
        "summary.csv": officer.get(f"/rounds/{DEMO_SLUG}/report/summary.csv"),
        "conflicts.csv": officer.get(f"/rounds/{DEMO_SLUG}/conflicts.csv"),
    }
    texts = {name: _text(response.data) for name, response in downloads.items()
             if response.status_code == 200}
    assert set(texts) == set(downloads)
    result = runner.invoke(args=["round", "report", DEMO_SLUG, "--format", "csv",
                                 "-o", str(tmp_path / "cli.csv")])
    assert result.exit_code == 0, result.output
    texts["flask round report"] = _text((tmp_path / "cli.csv").read_bytes())
    assert runner.invoke(args=["round", "export", DEMO_SLUG,
                               str(tmp_path / "bundle")]).exit_code == 0
    for path in sorted(Path(tmp_path / "bundle").glob("*.csv")):
        texts[f"bundle {path.name}"] = _text(path.read_bytes())

    assert {name: formula_cells(text) for name, text in texts.items()} == {
        name: [] for name in texts}
    report = csv_rows(texts["report.csv"])
    assert _titles(report) == titles
    assert escape_cell(TITLE) == "Garden project\r'=cmd|' /C calc'!A0"
    assert {unescape_cell(row["rationale"]) for row in report} >= {
        RATIONALE, "Funded twice\n@SUM(A1)", "Split\r-1"}
    summary = csv_rows(texts["summary.csv"])
    assert summary and _titles(summary) <= titles
    assert {row["area"] for row in summary} == {"north\r'+44 street"}
    conflicts = csv_rows(texts["conflicts.csv"])
    assert DETAILS in {unescape_cell(row["details"]) for row in conflicts}
    assert csv_rows(texts["flask round report"]) == report


def test_a_cell_starting_with_a_line_break_keeps_its_apostrophe_on_its_own_row():
    """The issue's '\\r=1+1 case: the apostrophe before the CR protects nothing on the
    row a careless reader starts after it, so that row gets its own."""
    assert escape_cell("\r=1+1") == "'\r'=1+1"
    assert unescape_cell("'\r'=1+1") == "\r=1+1"


@given(st.text(alphabet=st.sampled_from("ab'=+-@\t\r\n ,\"é"), max_size=30))
@settings(max_examples=300, deadline=None)
def test_unescaping_gives_back_exactly_what_was_escaped(text):
    assert unescape_cell(escape_cell(text)) == text
    # The verification kit's checker (standard library only) reads cells the same way.
    assert verify_trail.unescape_cell(escape_cell(text)) == text
