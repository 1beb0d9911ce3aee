"""Both import pages offer a template (CSV and Excel) with the headings and one example
row that the import itself accepts, and say what the cells may hold (issue 20)."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from panel.bundle import check_applications, check_panellists, read_table
from tests.builders import rounds as round_builders
from tests.support.jobs import finish_job
from tests.support.web import confirm_upload, upload


def test_the_applications_page_says_what_amounts_and_columns_may_hold(app, officer):
    round_builders.draft_round()
    html = officer.get("/rounds/test-round/applications").get_data(as_text=True)
    assert "5000, 5,000, £5,000 and 5000.50 are all fine" in html
    assert "hidden from panellists" in html
    assert 'href="/rounds/test-round/applications/template.xlsx"' in html
    assert 'href="/rounds/test-round/applications/template.csv"' in html


def test_the_panel_page_says_groups_may_be_named_by_label_or_key(app, officer):
    round_builders.draft_round()
    html = officer.get("/rounds/test-round/panel").get_data(as_text=True)
    assert "Academic, Lived experience (or lived_experience)" in html
    assert 'href="/rounds/test-round/panel/template.csv"' in html


@pytest.mark.parametrize("kind,path", [("applications", "applications"), ("panellists", "panel")])
def test_the_csv_template_is_headings_and_one_example_row_the_import_accepts(
        app, officer, kind, path):
    round_ = round_builders.draft_round()
    answer = officer.get(f"/rounds/test-round/{path}/template.csv")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == (
        f'attachment; filename="{path}-template.csv"')
    lines = answer.get_data(as_text=True).splitlines()
    if kind == "applications":
        assert lines[0] == ("reference,title,lay_summary,requested_amount,applicant_name,"
                            "organisation,contact_email,title_cy,lay_summary_cy")
    else:
        example = ("ann.lee@example.org,Ann Lee,Lived experience,panellist,"
                   "Green Street Garden; Riverside Food Bank,en")
        assert lines == ["email,name,group,role,affiliations,language", example]
    assert len(lines) == 2
    _accepted(kind, answer.data, f"{path}-template.csv", round_)


@pytest.mark.parametrize("kind,path", [("applications", "applications"), ("panellists", "panel")])
def test_the_excel_template_opens_with_the_same_cells_and_no_formulas(app, officer, kind, path):
    round_ = round_builders.draft_round()
    answer = officer.get(f"/rounds/test-round/{path}/template.xlsx")
    assert answer.status_code == 200
    assert answer.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(answer.data)).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    csv_lines = officer.get(f"/rounds/test-round/{path}/template.csv").get_data(
        as_text=True).splitlines()
    assert [",".join(row) for row in cells] == [line.replace('"', "") for line in csv_lines]
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    _accepted(kind, answer.data, f"{path}-template.xlsx", round_)


def test_a_panel_file_naming_groups_by_label_is_imported_with_their_keys(app, officer, mailbox):
    round_ = round_builders.draft_round()
    csv = ("email,name,group,role\n"
           "ann@example.org,Ann Lee,Lived experience,panellist\n"
           "raj@example.org,Raj Patel,ACADEMIC,panellist\n")
    preview = upload(officer, "/rounds/test-round/panel", csv.encode(), "panel.csv")
    html = preview.get_data(as_text=True)
    assert "Check 2 people from panel.csv" in html
    assert "<td class=\"fp-table__cell\">Lived experience</td>" in html  # the label
    finish_job(app, officer, confirm_upload(officer, html, "/rounds/test-round/panel/confirm"))
    assert sorted((m.user.email, m.group.key) for m in round_.members) == [
        ("ann@example.org", "lived_experience"), ("raj@example.org", "academic")]


def test_an_unknown_group_is_refused_with_the_values_that_would_do(app, officer):
    round_builders.draft_round()
    csv = "email,name,group,role\nann@example.org,Ann Lee,Community,panellist\n"
    html = upload(officer, "/rounds/test-round/panel", csv.encode(),
                  "panel.csv").get_data(as_text=True)
    assert ('There is no group called &#34;Community&#34; in this round. Write one of: '
            "Academic, Lived experience (or lived_experience).") in html


def _accepted(kind: str, data: bytes, filename: str, round_) -> None:
    label = "applications.csv" if kind == "applications" else "panellists.csv"
    table, problems = read_table(data, filename, label=label)
    assert problems == []
    check = check_applications if kind == "applications" else check_panellists
    rows, problems = check(table, round_, file=label)
    assert (len(rows), problems) == (1, [])
