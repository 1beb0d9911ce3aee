"""The round report (DESIGN.md §3, §8) from the database: `flask round report` in JSON,
CSV and Excel, checked against the worked example of §3 imported from a bundle."""
from __future__ import annotations

import json
import re

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from panel.audit.models import AuditEvent
from panel.bundle import import_bundle
from panel.extensions import db
from panel.reports import report
from tests.builders.worked import APPLICATIONS, ROUND, SCORES, SLUG, worked_bundle
from tests.support.pages import ranking_table


def test_the_json_report_of_the_worked_example(worked_round, runner):
    result = runner.invoke(args=["round", "report", SLUG, "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["round"]["slug"] == SLUG and found["round"]["budget"] == 100
    rows = {a["reference"]: a for a in found["applications"]}
    assert [a["reference"] for a in found["applications"]] == ["A3", "A2", "A1"]
    expected = {
        "A1": (43.75, 3, False, {"academic": 87.5, "lived_experience": 0.0},
               {"academic": 2, "lived_experience": 1}),
        "A2": (75.0, 2, True, {"academic": 50.0, "lived_experience": 100.0},
               {"academic": 1, "lived_experience": 1}),
        "A3": (87.5, 1, True, {"academic": 75.0, "lived_experience": 100.0},
               {"academic": 1, "lived_experience": 1}),
    }
    for ref, (score, rank, funded, group_scores, sheets) in expected.items():
        row = rows[ref]
        assert (row["score"], row["rank"], row["funded"]) == (score, rank, funded)
        assert row["group_scores"] == group_scores and row["sheets"] == sheets
    assert {r: (a["initial"]["score"], a["initial"]["rank"], a["initial"]["funded"])
            for r, a in rows.items()} == {"A1": (43.75, 3, False), "A2": (75, 1, True),
                                          "A3": (75, 2, True)}
    assert rows["A2"]["initial"]["tie"] and rows["A3"]["initial"]["tie"]
    assert {r: a["without"]["lived_experience"] for r, a in rows.items()} == {
        "A1": {"score": 87.5, "rank": 1, "funded": True},
        "A2": {"score": 50, "rank": 3, "funded": False},
        "A3": {"score": 75, "rank": 2, "funded": True}}
    assert {r: a["without"]["academic"] for r, a in rows.items()} == {
        "A1": {"score": 0, "rank": 3, "funded": False},
        "A2": {"score": 100, "rank": 1, "funded": True},
        "A3": {"score": 100, "rank": 2, "funded": True}}
    assert (rows["A3"]["decision"], rows["A3"]["funded"], rows["A3"]["final_funded"]) == (
        "do_not_fund", True, False)
    assert (rows["A1"]["decision"], rows["A1"]["final_funded"]) == (None, False)
    lived = found["groups"]["lived_experience"]
    assert (lived["funded_because"], lived["displaced_by"]) == (["A2"], ["A1"])
    # academic 87.5, 50, 75 against lived experience 0, 100, 100 (a tie)
    assert lived["agreement"] == {"academic": {"spearman": pytest.approx(-(3 ** 0.5) / 2),
                                               "kendall": pytest.approx(-2 / 6 ** 0.5)}}
    assert lived["moved_toward"] == {"academic": 0}
    academic = found["groups"]["academic"]
    # without academics: A2 100, A3 100 (tie, A2 first), A1 0 → A2 and A3 funded anyway
    assert (academic["funded_because"], academic["displaced_by"]) == ([], [])
    assert found["overrides"] == [{"reference": "A3", "decision": "do_not_fund",
                                   "rationale": "-Funded elsewhere already",
                                   "funded": True, "final_funded": False}]
    assert found["warnings"] == []


def test_a_criterion_nobody_scored_has_a_null_gap_and_agreement_reads_both_ways(app, tmp_path):
    spec = {**ROUND, "criteria": [*ROUND["criteria"], {
        "key": "x", "name": "Extra", "weight": 1, "guidance": "", "descriptors": {}}]}
    round_ = import_bundle(None, worked_bundle(tmp_path / "b", **{
        "round.json": json.dumps(spec), "scores.csv": SCORES.replace(
            "email,reference,stage,q,n,comment", "email,reference,stage,q,n,x,comment").replace(
            ",\n", ",,\n")}), system="tests")
    db.session.commit()
    groups = report.round_report(round_)["groups"]
    gaps = groups["academic"]["criterion_gap"]["lived_experience"]
    assert set(gaps) == {"q", "n", "x"} and gaps["x"] is None
    # academic q: (5 + 5 + 3 + 4) / 4 = 4.25; lived experience q (final): (1 + 5 + 5) / 3
    assert gaps["q"] == pytest.approx(4.25 - 11 / 3)
    assert (groups["academic"]["agreement"]["lived_experience"]
            == groups["lived_experience"]["agreement"]["academic"])


def test_the_report_has_every_key_of_the_design(worked_round):
    found = report.round_report(worked_round)
    assert {"round", "applications", "groups"} <= set(found)
    keys = {"reference", "score", "rank", "funded", "group_scores", "sheets", "initial",
            "without", "decision", "final_funded"}
    for row in found["applications"]:
        assert keys <= set(row)
        assert {"score", "rank", "funded"} <= set(row["initial"])
    for voice in found["groups"].values():
        assert {"funded_because", "displaced_by", "agreement", "moved_toward"} <= set(voice)
    json.dumps(found)  # plain JSON types only


def test_loading_a_round_takes_a_fixed_number_of_queries(worked_round, tmp_path):
    more_applications = APPLICATIONS + "".join(
        f"B{n},Project B{n},What it does,10,X,Org,x{n}@b.example\n" for n in range(1, 9))
    more_scores = SCORES + "".join(
        f"{who}@panel.example,B{n},initial,{1 + n % 5},{1 + (n * 3) % 5},\n"
        for n in range(1, 9) for who in ("aca1", "aca2", "lived1"))
    bigger = import_bundle(None, worked_bundle(
        tmp_path / "bigger", **{"round.json": json.dumps({**ROUND, "slug": "bigger"}),
                                "applications.csv": more_applications,
                                "scores.csv": more_scores}), system="tests")
    db.session.commit()
    counts = []
    for round_ in (worked_round, bigger):
        db.session.expire_all()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        report.round_report(round_)
        sa.event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 12


def test_csv_has_one_row_per_application_and_no_formulas(worked_round, runner, tmp_path):
    target = tmp_path / "report.csv"
    result = runner.invoke(args=["round", "report", SLUG, "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(target, keep_default_na=False)
    assert list(table["reference"]) == ["A3", "A2", "A1"]
    assert {"score", "rank", "initial.score", "without.lived_experience.funded",
            "group_scores.academic", "final_funded"} <= set(table.columns)
    assert table.loc[1, "title"] == "'=HYPERLINK(\"http://evil\")"
    assert table.loc[0, "rationale"] == "'-Funded elsewhere already"


def test_the_command_line_export_is_the_same_action_as_the_web_one(worked_round, runner,
                                                                   tmp_path):
    """DESIGN.md §7: one kind of change has one action name wherever it is made."""
    target = tmp_path / "report.json"
    assert runner.invoke(args=["round", "report", SLUG, "-o", str(target)]).exit_code == 0
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.actor) == ("report.exported", "system: flask round report")
    assert event.after == {"format": "json", "via": "cli", "file": str(target)}


def test_csv_goes_to_the_screen_without_a_file(worked_round, runner):
    result = runner.invoke(args=["round", "report", SLUG, "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("reference,")
    assert len(result.output.splitlines()) == 4


def test_xlsx_has_applications_and_groups_sheets(worked_round, runner, tmp_path):
    target = tmp_path / "report.xlsx"
    result = runner.invoke(args=["round", "report", SLUG, "--format", "xlsx", "-o", str(target)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:2] == ["Applications", "Groups"]
    sheet = book["Applications"]
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, (cell.value for cell in row))) for row in sheet.iter_rows(min_row=2)]
    assert [(r["reference"], r["score"], r["rank"]) for r in rows] == [
        ("A3", 87.5, 1), ("A2", 75, 2), ("A1", 43.75, 3)]
    assert rows[1]["title"] == "'=HYPERLINK(\"http://evil\")"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    groups = {row[0].value: (row[2].value, row[3].value)
              for row in book["Groups"].iter_rows(min_row=2)}
    assert groups == {"academic": (None, None), "lived_experience": ("A2", "A1")}


def test_xlsx_needs_a_file(worked_round, runner):
    result = runner.invoke(args=["round", "report", SLUG, "--format", "xlsx"])
    assert result.exit_code != 0 and "-o FILE.xlsx" in result.output


def test_an_unknown_round_is_named(app, runner):
    result = runner.invoke(args=["round", "report", "nope"])
    assert result.exit_code != 0 and "no round with the slug 'nope'" in result.output


def test_a_round_with_no_sheets_reports_nulls(worked_round, runner, tmp_path):
    round_ = import_bundle(None, worked_bundle(tmp_path / "empty", **{
        "round.json": json.dumps({**ROUND, "slug": "empty"}),
        "scores.csv": "email,reference,stage,q,n,comment\n",
        "decisions.csv": "reference,outcome,rationale\n"}), system="tests")
    db.session.commit()
    found = report.round_report(round_)
    assert [a["reference"] for a in found["applications"]] == ["A1", "A2", "A3"]
    first = found["applications"][0]
    assert (first["score"], first["rank"], first["funded"]) == (None, None, False)
    assert first["group_scores"] == {"academic": None, "lived_experience": None}
    assert found["groups"]["academic"]["agreement"] == {
        "lived_experience": {"spearman": None, "kendall": None}}


# The officer's ranking page ---------------------------------------------------------------


def test_the_ranking_page_shows_the_worked_example(worked_round, officer):
    response = officer.get(f"/rounds/{SLUG}/ranking")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<div class="fp-table-wrapper" tabindex="0" role="region"' in html
    assert "Funding line: £90 of £100 budget" in html
    table = ranking_table(html)
    assert list(table["Reference"][:2]) == ["A3", "A2"]
    rows = table[table["Reference"].isin(["A1", "A2", "A3"])].set_index("Reference")
    assert rows.loc["A3", "Score"] == "87.5" and rows.loc["A2", "Score"] == "75.0"
    assert rows.loc["A1", "Score"] == "43.8"  # 43.75 to 1 dp
    assert rows.loc["A1", "Academic"] == "87.5" and rows.loc["A1", "Lived experience"] == "0.0"
    assert list(rows["Funding"]) == ["Funded", "Funded", "Not funded"]
    assert list(rows["Running total"]) == ["£40", "£90", "£90"]
    assert table["Rank"].iloc[2] == "Funding line: £90 of £100 budget"  # drawn under A2


def test_the_ranking_page_flags_ties_and_pages_by_fifty(app, officer, tmp_path):
    applications = "reference,title,lay_summary,requested_amount,applicant_name,organisation," \
                   "contact_email\n" + "".join(f"B{n},Project {n},x,1,A,O,a{n}@o.example\n"
                                               for n in range(1, 61))
    scores = "email,reference,stage,q,n,comment\n" + "".join(
        f"aca1@panel.example,B{n},initial,3,3,\n" for n in range(1, 61))
    import_bundle(None, worked_bundle(tmp_path / "b", **{
        "applications.csv": applications, "scores.csv": scores,
        "decisions.csv": "reference,outcome,rationale\n"}), system="tests")
    db.session.commit()
    first = officer.get(f"/rounds/{SLUG}/ranking").get_data(as_text=True)
    second = officer.get(f"/rounds/{SLUG}/ranking?page=2").get_data(as_text=True)
    first_table = ranking_table(first)
    second_table = ranking_table(second)
    # every score is 50: all tied, in string order B1, B10, B11… and 60 funded (budget 100)
    assert list(first_table["Reference"][:3]) == ["B1", "B10", "B11"]
    assert (first_table["Rank"] == [str(n) for n in range(1, 51)]).all()
    assert len(second_table) == 11 and "Tie" in second
    assert 'class="fp-pagination"' in first and "Funding line: £60 of £100 budget" in second


def test_the_ranking_page_is_for_officers_only(worked_round, client):
    response = client.get(f"/rounds/{SLUG}/ranking")
    assert response.status_code in (302, 401, 403)


def test_the_ranking_page_of_an_unknown_round_is_404(app, officer):
    assert officer.get("/rounds/nope/ranking").status_code == 404


def test_the_kept_report_is_the_report_made_afresh_and_is_not_served_after_a_change(
        worked_round, runner):
    # `flask round report` keeps the JSON once per version of the round
    # (panel.reports.kept): asked again with nothing changed it reads it, byte for byte
    # the report made afresh; after a change it makes the report again.
    from panel.reports.kept import as_json
    from panel.rounds.queries import round_by_slug
    from panel.rounds.setup import update_details
    from tests.support.statements import counted_statements

    first = runner.invoke(args=["round", "report", SLUG, "--format", "json"])
    assert first.exit_code == 0, first.output
    assert first.output.encode() == as_json(report.round_report(round_by_slug(SLUG)))
    with counted_statements() as seen:
        again = runner.invoke(args=["round", "report", SLUG, "--format", "json"])
    assert again.output == first.output
    assert not [s for s in seen if "score_sheets" in s]  # read, not made again
    round_ = round_by_slug(SLUG)
    update_details(None, round_, title="The worked example, renamed", description="",
                   scoring_deadline=None, time_zone=round_.time_zone)
    db.session.commit()
    changed = runner.invoke(args=["round", "report", SLUG, "--format", "json"])
    assert json.loads(changed.output)["round"]["title"] == "The worked example, renamed"
    assert changed.output.encode() == as_json(report.round_report(round_by_slug(SLUG)))


def test_the_report_pages_are_made_once_per_version_and_show_a_change_at_once(
        worked_round, officer, app):
    # The report page, its CSV and the panel's page read the report kept once per version
    # of the round (panel.reports.kept): asked again with nothing changed, no sheet is
    # read; after a change it is made again, and kept for other processes as JSON.
    from pathlib import Path

    from panel.reports.kept import as_json
    from panel.rounds.queries import round_by_slug
    from panel.rounds.setup import update_details
    from tests.support.statements import counted_statements

    def made_afresh() -> dict:
        return report.round_report(round_by_slug(SLUG))

    def without_tokens(page: bytes) -> bytes:
        # A CSRF token carries the second it was signed, and the page says how many
        # seconds the session has left: two requests may straddle a second.
        page = re.sub(rb'(csrf[-_]token"[^>]*?(?:content|value)=")[^"]*', rb"\1", page)
        return re.sub(rb'(data-session-[a-z-]+=")\d+', rb"\1", page)

    def kept_files() -> list[bytes]:
        return [path.read_bytes()
                for path in (Path(app.instance_path) / "kept-reports").glob("*.json")]

    pages = [f"/rounds/{SLUG}/report", f"/rounds/{SLUG}/report.csv",
             f"/rounds/{SLUG}/report/for-panel"]
    first = {page: officer.get(page) for page in pages}
    assert all(response.status_code == 200 for response in first.values())
    assert "Funding line" in first[pages[0]].get_data(as_text=True)
    assert first[pages[1]].data.decode("utf-8") == report.report_csv(made_afresh())
    for page in pages:
        with counted_statements() as seen:
            again = officer.get(page)
        assert again.status_code == 200
        assert without_tokens(again.data) == without_tokens(first[page].data), page
        assert not [s for s in seen if "criterion_scores" in s], page  # read, not made again
    assert as_json(made_afresh()) in kept_files()

    round_ = round_by_slug(SLUG)
    update_details(None, round_, title="The worked example, renamed", description="",
                   scoring_deadline=None, time_zone=round_.time_zone)
    db.session.commit()
    with counted_statements() as seen:
        changed = officer.get(pages[1])
    assert [s for s in seen if "criterion_scores" in s]  # made again
    assert changed.data.decode("utf-8") == report.report_csv(made_afresh())
    assert json.loads(as_json(made_afresh()))["round"]["title"] == "The worked example, renamed"
    assert as_json(made_afresh()) in kept_files()
    # One version of the round's report is kept in the process, not every one it made.
    kept_here = app.extensions["fairpanel_reports_kept"].items
    assert sorted(kept_here) == [f"round-{round_.id}-full", f"round-{round_.id}-panel"]

    # Another process (another worker, another machine) reads the JSON this one kept:
    # the same report as made afresh, without reading a sheet.
    app.extensions.pop("fairpanel_reports_kept")
    with counted_statements() as seen:
        csv = officer.get(pages[1])
    assert not [s for s in seen if "criterion_scores" in s]
    assert csv.data.decode("utf-8") == report.report_csv(made_afresh())


def test_past_a_hundred_applications_the_report_page_lists_the_widest_gaps(
        worked_round, officer, monkeypatch):
    # At a national funder's size the table of each application's gap between the groups
    # would hold 20,000 rows: past WIDEST_GAPS (100) the page lists the widest, in rank
    # order, and says so. Shown here with the limit at 2 on the worked example's three.
    from panel.reports import presenters
    from tests.support.pages import Cells

    monkeypatch.setattr(presenters, "WIDEST_GAPS", 2)
    found = report.round_report(worked_round)
    gaps = {a["reference"]: a["group_scores"]["academic"] - a["group_scores"]["lived_experience"]
            for a in found["applications"]}
    # S of §3 (q weight 3, n weight 1, scale 1–5): A1 academic (100 + 75) / 2 − lived 0;
    # A2 academic 50 − lived 100; A3 academic 75 (n unscored) − lived 100 (its revision).
    assert gaps == {"A3": -25.0, "A2": -50.0, "A1": 87.5}
    html = officer.get(f"/rounds/{SLUG}/report").get_data(as_text=True)
    start = html.index('id="gaps-1-applications"')
    cells = Cells()
    cells.feed(html[html.rindex("<table", 0, start):html.index("</table>", start)])
    assert [row[0] for row in cells.rows[1:]] == ["A2", "A1"]  # rank order, A3 left out
    assert ("The table shows the 2 applications where the two groups' scores were furthest "
            "apart, of the 3 both groups scored. The downloads have them all.") in \
        html.replace("&#39;", "'")
    assert "(2 of 3 applications)" in html
