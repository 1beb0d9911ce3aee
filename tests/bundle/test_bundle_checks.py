"""A bad bundle changes nothing and names every problem by file, row and column
(DESIGN.md §8). Each test breaks one thing in a copy of the demo bundle; the helper
``problems_of`` also checks that no table, the audit trail included, gained a row."""
from __future__ import annotations

import json

import pytest

from panel.bundle import (
    Problem,
    check_applications,
    check_panellists,
    parse_amount,
    read_table,
)
from tests.builders import rounds as round_builders
from tests.builders.bundles import demo_bundle, edit, problems_of, where

SCORES_HEADER = "email,reference,stage,benefit,community,delivery,value,comment\n"


def _spec(folder, **changes):
    """Rewrite round.json with ``changes`` (a value of None removes the setting)."""
    spec = json.loads((folder / "round.json").read_text(encoding="utf-8"))
    spec.update(changes)
    spec = {key: value for key, value in spec.items() if value is not None}
    (folder / "round.json").write_text(json.dumps(spec, indent=2), encoding="utf-8")


# applications.csv

def test_missing_application_columns_are_named_in_one_problem(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "applications.csv", "reference,title,lay_summary,",
         "reference,heading,lay_summary,")
    edit(folder, "applications.csv", ",contact_email,area,", ",email,area,")
    problems = problems_of(folder)
    assert where(problems) == [("applications.csv", None, None)]
    assert problems[0].message.startswith("The columns title, contact_email are missing.")


def test_an_empty_reference(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "applications.csv", '"CA-003"', '""')
    assert where(problems_of(folder)) == [("applications.csv", 4, "reference")]


def test_an_empty_title(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "applications.csv", '"Bikes for everyone"', '"  "')
    assert where(problems_of(folder)) == [("applications.csv", 20, "title")]


def test_a_duplicate_reference_names_both_rows(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "applications.csv", '"CA-010"', '"CA-002"')
    problems = problems_of(folder)
    assert where(problems) == [("applications.csv", 11, "reference")]
    assert problems[0].message == ("The reference CA-002 is used in rows 3 and 11. "
                                   "Give each application its own reference.")


@pytest.mark.parametrize("amount, message", [
    ("5k", '"5k" is not a number. Write the amount in pounds, like 5000.'),
    ("", "The amount is empty. Write the amount in pounds, like 5000."),
    ("-100", '"-100" is below zero. Write the amount in pounds, like 5000.'),
    ("12.345", '"12.345" has more than two decimal places. Round it to the penny, like 1200.50.'),
    ("1,20,0", '"1,20,0" is not a number. Write the amount in pounds, like 5000.'),
])
def test_an_amount_that_is_not_a_number(app, tmp_path, amount, message):
    folder = demo_bundle(tmp_path)
    edit(folder, "applications.csv", ",35400,", f',"{amount}",')  # CA-007, row 8
    problems = problems_of(folder)
    assert where(problems) == [("applications.csv", 8, "requested_amount")]
    assert problems[0].message == message


@pytest.mark.parametrize("text, pounds", [("1,200", "1200"), ("1200.50", "1200.50"),
                                          ("£1,200", "1200"), (" £ 12,345.6 ", "12345.6"),
                                          ("0", "0")])
def test_amounts_people_write_are_understood(text, pounds):
    value, message = parse_amount(text)
    assert (str(value), message) == (pounds, "")


def test_a_bad_contact_email(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "applications.csv", '"kev@parksiderecfriends.example"', '"kev at parkside"')
    problems = problems_of(folder)
    assert where(problems) == [("applications.csv", 11, "contact_email")]
    assert problems[0].message.startswith('"kev at parkside" is not a valid email address')


def test_an_identifying_column_missing_from_applications(app, tmp_path):
    folder = demo_bundle(tmp_path)
    _spec(folder, identifying_columns=["lead_contact_phone", "home_address"])
    problems = problems_of(folder)
    assert where(problems) == [("applications.csv", None, None)]
    assert "home_address" in problems[0].message


def test_references_already_in_the_round_are_refused(app):
    round_ = round_builders.draft_round()
    round_builders.applications(round_, 60)
    table, _ = read_table(b"reference,title,lay_summary,requested_amount,applicant_name,"
                          b"organisation,contact_email\nA1,Again,,10,,,\nA2,New,,10,,,\n",
                          "apps.csv", label="applications.csv")
    rows, problems = check_applications(table, round_)
    assert rows == [] and where(problems) == [("applications.csv", 2, "reference")]
    assert "already has an application with the reference A1" in problems[0].message


# panellists.csv

def test_missing_panellist_columns(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "panellists.csv", "email,name,group,role,", "email,name,team,position,")
    problems = problems_of(folder)
    assert where(problems) == [("panellists.csv", None, None)]
    assert problems[0].message == ("The columns group, role are missing. Add them to the "
                                   "first row, where the column headings go.")


def test_a_bad_panellist_email(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "panellists.csv", '"kerry@panel.example"', '"kerry@"')
    assert where(problems_of(folder)) == [("panellists.csv", 8, "email")]


def test_a_person_listed_twice(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "panellists.csv", '"sunita@panel.example"', '"Kerry@Panel.example"')
    problems = problems_of(folder)
    assert where(problems) == [("panellists.csv", 9, "email")]
    assert problems[0].message == "kerry@panel.example is in rows 8 and 9. List each person once."


def test_an_unknown_group(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "panellists.csv", '"Dr Karim Haddad","academic"', '"Dr Karim Haddad","clinical"')
    problems = problems_of(folder)
    assert where(problems) == [("panellists.csv", 5, "group")]
    assert problems[0].message == ('There is no group called "clinical" in this round. '
                                   "Write one of: academic, lived_experience.")


def test_only_a_chair_may_have_no_group(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "panellists.csv", '"Ruth Adeyemi","academic"', '"Ruth Adeyemi",""')
    edit(folder, "panellists.csv", '"Kerry Walsh","lived_experience"', '"Kerry Walsh",""')
    assert where(problems_of(folder)) == [("panellists.csv", 8, "group")]


def test_a_bad_role(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "panellists.csv", '"academic","chair"', '"academic","moderator"')
    problems = problems_of(folder)
    assert where(problems) == [("panellists.csv", 10, "role")]
    assert problems[0].message == '"moderator" is not a role. Write panellist or chair.'


def test_people_already_on_the_panel_are_refused(app):
    round_ = round_builders.draft_round()
    round_builders.member(round_, "amira@example.org", "lived_experience")
    table, _ = read_table(b"email,name,group,role\namira@example.org,Amira,academic,panellist\n",
                          "panel.csv", label="panellists.csv")
    rows, problems = check_panellists(table, round_)
    assert rows == [] and where(problems) == [("panellists.csv", 2, "email")]


# round.json

def test_invalid_json_names_the_line(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "round.json", '"budget": 400000,', '"budget": 400000')  # line 16
    problems = problems_of(folder)
    assert where(problems) == [("round.json", 17, None)]
    assert str(problems[0]).startswith("round.json, line 17: This is not valid JSON: "
                                       "Expecting ',' delimiter")


@pytest.mark.parametrize("changes, column, message", [
    ({"title": " "}, "title", 'The round needs a title, like "Healthy towns 2026".'),
    ({"slug": "Community Assets"}, "slug", '"Community Assets" is not a valid slug.'),
    ({"scale": {"min": 5, "max": 1}}, "scale", "The scale runs from 5 to 1."),
    ({"scale": {"min": 1, "max": 5, "descriptors": {"5": "Great", "6": "Wow"}}}, "scale",
     "The scale: descriptors name levels that are not on the scale: 6. Use the levels 1 to 5."),
    ({"budget": -1}, "budget", "The budget -1 is not an amount of money."),
    ({"budget": "£400k"}, "budget", 'The budget "£400k" is not an amount of money.'),
    ({"budget": None}, "budget", "The budget is missing."),
    ({"funding_rule": "greedy"}, "funding_rule",
     '"greedy" is not a funding_rule. Use strict or fill or lottery.'),
    ({"weighting": "equal"}, "weighting", '"equal" is not a weighting.'),
    ({"groups": []}, "groups", "The round needs a list of groups, at least one group"),
    ({"groups": [{"key": "a", "weight": 1}, {"key": "a", "weight": 2}]}, "groups",
     'Two groups have the key "a".'),
    ({"groups": [{"key": "a", "weight": 0}]}, "groups",
     'The 1st group ("a") has the weight 0. Give it a number above 0'),
    ({"criteria": [{"key": "Benefit 1", "name": "Benefit"}]}, "criteria",
     'The 1st criterion has the key "Benefit 1".'),
    ({"criteria": [{"key": "q", "name": ""}]}, "criteria", 'The 1st criterion ("q") needs a name'),
    ({"criteria": [{"key": "comment", "name": "Comment"}]}, "criteria",
     'The 1st criterion ("comment"): comment is a column of scores.csv'),
    ({"weigting": "equal_people"}, "weigting", 'FairPanel does not know the setting "weigting".'),
])
def test_a_bad_setting_in_round_json(app, tmp_path, changes, column, message):
    folder = demo_bundle(tmp_path)
    _spec(folder, **changes)
    problems = problems_of(folder)
    assert where(problems) == [("round.json", None, column)]
    assert problems[0].message.startswith(message)


def test_a_slug_already_taken(app, tmp_path):
    folder = demo_bundle(tmp_path)
    round_builders.draft_round(slug="community-assets-2026")
    problems = problems_of(folder)
    assert where(problems) == [("round.json", None, "slug")]


def test_a_slug_that_names_a_page_is_refused(app, tmp_path):
    folder = demo_bundle(tmp_path)
    _spec(folder, slug="import")
    problems = problems_of(folder)
    assert where(problems) == [("round.json", None, "slug")]
    assert problems[0].message.startswith('"import" is the name of a FairPanel page')


def test_a_slug_is_made_from_the_title_when_absent(app, tmp_path):
    from panel.bundle import import_bundle

    folder = demo_bundle(tmp_path)
    _spec(folder, slug=None, title="Healthy Towns: Round 2 (2026)!")
    assert import_bundle(None, folder, system="tests").slug == "healthy-towns-round-2-2026"


def test_a_renamed_criterion_no_longer_matches_the_score_columns(app, tmp_path):
    folder = _scores(tmp_path, "amira@panel.example,CA-001,initial,4,,,,")
    edit(folder, "round.json", '"key": "value"', '"key": "cost"')
    problems = problems_of(folder)
    assert where(problems) == [("scores.csv", None, None), ("scores.csv", None, None)]
    assert problems[0].message.startswith("There is no column for the criteria cost.")
    assert problems[1].message.startswith("The columns value are not criteria of this round.")


# conflicts.csv

def test_conflicts_naming_unknown_people_or_applications_bad_kinds_or_levels(app, tmp_path):
    folder = demo_bundle(tmp_path, conflicts=(
        "email,reference,kind,details,level\n"
        "stranger@panel.example,CA-001,local,,\n"
        "amira@panel.example,CA-999,local,,\n"
        "amira@panel.example,CA-002,neighbour,,\n"
        "amira@panel.example,CA-003,local,,maybe\n"
        "AMIRA@panel.example,CA-004,Family_or_friend,My cousin,Declared\n"))
    problems = problems_of(folder)
    assert where(problems) == [("conflicts.csv", 2, "email"), ("conflicts.csv", 3, "reference"),
                               ("conflicts.csv", 4, "kind"), ("conflicts.csv", 5, "level")]
    assert problems[2].message == (
        '"neighbour" is not a kind. Write one of: family_or_friend, work_or_volunteer, '
        "uses_services, local, financial, academic, other.")


# scores.csv

def _scores(tmp_path, *rows: str):
    return demo_bundle(tmp_path, scores=SCORES_HEADER + "".join(f"{r}\n" for r in rows))


def test_scores_naming_unknown_people_or_applications(app, tmp_path):
    folder = _scores(tmp_path, "amira@panel.example,CA-100,initial,4,4,4,4,",
                     "ghost@panel.example,CA-001,initial,4,4,4,4,")
    assert where(problems_of(folder)) == [("scores.csv", 2, "reference"),
                                          ("scores.csv", 3, "email")]


def test_scores_with_an_unknown_stage(app, tmp_path):
    folder = _scores(tmp_path, "amira@panel.example,CA-001,final,4,4,4,4,")
    assert where(problems_of(folder)) == [("scores.csv", 2, "stage")]


def test_scores_missing_criteria_columns_or_with_unknown_ones(app, tmp_path):
    folder = demo_bundle(tmp_path, scores="email,reference,stage,benefit,community,vibes\n"
                                          "amira@panel.example,CA-001,initial,4,4,5\n")
    problems = problems_of(folder)
    assert where(problems) == [("scores.csv", None, None), ("scores.csv", None, None)]
    assert problems[0].message.startswith("There is no column for the criteria delivery, value.")
    assert problems[1].message.startswith("The columns vibes are not criteria of this round.")


@pytest.mark.parametrize("value, message", [
    ("6", "6 is outside the scale. Write a score from 1 to 5, or leave the cell empty."),
    ("0", "0 is outside the scale. Write a score from 1 to 5, or leave the cell empty."),
    ("3.5", '"3.5" is not a whole number. Write a score from 1 to 5, or leave the cell empty.'),
    ("good", '"good" is not a whole number. Write a score from 1 to 5, or leave the cell empty.'),
])
def test_scores_outside_the_scale_or_not_whole_numbers(app, tmp_path, value, message):
    folder = _scores(tmp_path, "amira@panel.example,CA-001,initial,4,4,4,4,",
                     f"dave@panel.example,CA-001,initial,4,{value},4,4,")
    problems = problems_of(folder)
    assert where(problems) == [("scores.csv", 3, "community")]
    assert problems[0].message == message


def test_a_sheet_with_nothing_scored(app, tmp_path):
    folder = _scores(tmp_path, "amira@panel.example,CA-001,initial,,,,,I could not score this")
    problems = problems_of(folder)
    assert where(problems) == [("scores.csv", 2, None)]
    assert problems[0].message.startswith("Nothing is scored on this row.")


def test_a_revision_without_an_initial_sheet(app, tmp_path):
    folder = _scores(tmp_path, "amira@panel.example,CA-001,initial,4,4,4,4,",
                     "amira@panel.example,CA-002,revised,4,4,4,4,")
    problems = problems_of(folder)
    assert where(problems) == [("scores.csv", 3, "stage")]
    assert "no initial sheet for amira@panel.example on CA-002" in problems[0].message


def test_a_second_initial_sheet_for_the_same_person_and_application(app, tmp_path):
    folder = _scores(tmp_path, "amira@panel.example,CA-001,initial,4,4,4,4,",
                     "dave@panel.example,CA-001,initial,4,4,4,4,",
                     "amira@panel.example,CA-001,initial,5,5,5,5,")
    problems = problems_of(folder)
    assert where(problems) == [("scores.csv", 4, "stage")]
    assert problems[0].message.startswith(
        "There is already an initial sheet for amira@panel.example on CA-001 in row 2.")


def test_scores_from_the_chair(app, tmp_path):
    folder = _scores(tmp_path, "chair@panel.example,CA-001,initial,4,4,4,4,")
    assert where(problems_of(folder)) == [("scores.csv", 2, "email")]


# decisions.csv

def test_decisions_on_unknown_applications_bad_outcomes_or_twice(app, tmp_path):
    folder = demo_bundle(tmp_path, decisions=("reference,outcome,rationale\n"
                                              "CA-001,fund,\n"
                                              "CA-404,fund,\n"
                                              "CA-002,approve,\n"
                                              "CA-001,do_not_fund,\n"))
    problems = problems_of(folder)
    assert where(problems) == [("decisions.csv", 3, "reference"), ("decisions.csv", 4, "outcome"),
                               ("decisions.csv", 5, "reference")]
    assert problems[1].message == ('"approve" is not a outcome. Write one of: keep, fund, '
                                   "do_not_fund, no_consensus.")
    assert problems[2].message == ("CA-001 is decided in rows 2 and 5. "
                                   "Keep one decision for each application.")


# Whole files and the whole bundle

def test_problems_in_several_files_are_all_reported_at_once(app, tmp_path):
    folder = demo_bundle(tmp_path, decisions="reference,outcome,rationale\nCA-001,maybe,\n",
                         conflicts="email,reference,kind,details\namira@panel.example,X,local,\n")
    _spec(folder, budget=-5)
    edit(folder, "applications.csv", ",9800,", ',"9.8k",')
    edit(folder, "panellists.csv", '"Dr Karim Haddad","academic"', '"Dr Karim Haddad","medic"')
    assert where(problems_of(folder)) == [
        ("round.json", None, "budget"),
        ("applications.csv", 11, "requested_amount"),
        ("panellists.csv", 5, "group"),
        ("conflicts.csv", 2, "reference"),
        ("decisions.csv", 2, "outcome"),
    ]


def test_required_files_missing(app, tmp_path):
    folder = demo_bundle(tmp_path)
    (folder / "round.json").unlink()
    (folder / "panellists.csv").unlink()
    problems = problems_of(folder)
    assert where(problems) == [("round.json", None, None), ("panellists.csv", None, None)]
    assert problems[1].message.startswith("The bundle has no panellists.csv.")


def test_a_table_given_both_as_csv_and_excel(app, tmp_path):
    folder = demo_bundle(tmp_path)
    (folder / "applications.xlsx").write_bytes(b"")
    assert where(problems_of(folder)) == [("applications.csv", None, None)]


def test_a_file_not_saved_as_utf8(app, tmp_path):
    folder = demo_bundle(tmp_path)
    text = (folder / "panellists.csv").read_text(encoding="utf-8")
    (folder / "panellists.csv").write_bytes(text.replace("Kerry", "Kérry").encode("cp1252"))
    problems = problems_of(folder)
    assert where(problems) == [("panellists.csv", None, None)]
    assert "CSV UTF-8" in problems[0].message


def test_a_row_with_more_cells_than_headings(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "panellists.csv", '"Kerry Walsh","lived_experience","panellist",""',
         '"Kerry Walsh","lived_experience","panellist","",oops')
    assert where(problems_of(folder)) == [("panellists.csv", 8, None)]


def test_a_broken_excel_workbook(app, tmp_path):
    folder = demo_bundle(tmp_path)
    (folder / "applications.csv").unlink()
    (folder / "applications.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    assert where(problems_of(folder)) == [("applications.xlsx", None, None)]


# Reading tables

def test_headings_are_trimmed_and_lower_cased_and_rows_keep_their_spreadsheet_number():
    data = "\ufeff\r\n Reference ,TITLE\r\nA1,One\r\n,\r\nA2,'=SUM(A1)\r\n".encode("utf-8")
    table, problems = read_table(data, "x.csv", label="applications.csv")
    assert problems == []
    assert list(table.columns) == ["reference", "title"]
    # Blank rows 1 and 4 are left out; A2 is still row 5; our formula guard is removed.
    assert table.to_dict("index") == {3: {"reference": "A1", "title": "One"},
                                      5: {"reference": "A2", "title": "=SUM(A1)"}}


def test_only_the_formula_guard_apostrophe_is_removed():
    data = "a,b,c,d\n'+44 7700,'hello,''=x,'-\n".encode("utf-8")
    table, _ = read_table(data, "x.csv", label="t.csv")
    assert table.loc[2].to_list() == ["+44 7700", "'hello", "'=x", "-"]


@pytest.mark.parametrize("data, filename, message", [
    (b"", "a.csv", "The file is empty."),
    (b"\n\n", "a.csv", "The file is empty."),
    (b"a;b;c\n1;2;3\n", "a.csv", "The columns are separated by semicolons."),
    (b"a,a\n1,2\n", "a.csv", "There are two columns called a (columns 1 and 2)."),
    (b"a,,b\n1,2,3\n", "a.csv", "Column 2 has data but no heading."),
    (b'a,b\n"1,2\n', "a.csv", "The file could not be read as CSV"),
    (b"a\x00b", "a.csv", "This is not a text file."),
    (b"{}", "a.json", "a.json is not a CSV file or an Excel workbook (.xlsx)."),
])
def test_unreadable_tables_are_problems_not_crashes(data, filename, message):
    table, problems = read_table(data, filename, label="t.csv")
    assert table is None
    assert len(problems) == 1 and problems[0].file == "t.csv"
    assert problems[0].message.startswith(message)


def test_problem_and_bundle_error_read_as_plain_lines():
    from panel.bundle import BundleError

    error = BundleError([Problem("applications.csv", 7, "requested_amount", "Fix it."),
                         Problem("round.json", 3, None, "Bad."),
                         Problem("scores.csv", None, None, "Whole file.")])
    assert str(error) == ("applications.csv, row 7, column requested_amount: Fix it.\n"
                          "round.json, line 3: Bad.\n"
                          "scores.csv: Whole file.")


def test_an_unreadable_panel_does_not_make_every_score_an_unknown_person(app, tmp_path):
    folder = _scores(tmp_path, "amira@panel.example,CA-001,initial,4,4,4,4,")
    (folder / "panellists.csv").write_bytes("email,name\nkérry@panel.example,K\n".encode("cp1252"))
    assert where(problems_of(folder)) == [("panellists.csv", None, None)]


def test_one_line_fields_refuse_line_breaks_and_direction_marks(app, tmp_path):
    """Issue 22, items 1, 6 and 7: a title with a bare CR (a formula on a new row for a
    reader that ends rows at CR), a name with CR LF (a second line in the invitation), a
    reference with a right-to-left override: each refused where it stands."""
    folder = demo_bundle(tmp_path)
    edit(folder, "applications.csv", '"Warm and welcome winter rooms"',
         "\"Warm and welcome winter rooms\r=cmd|' /C calc'!A0\"")
    edit(folder, "panellists.csv", '"Amira Hussain"', '"Amira Hussain\r\nBcc: x@evil.example"')
    problems = problems_of(folder)
    assert ("applications.csv", "title") in {(p.file, p.column) for p in problems}
    assert ("panellists.csv", "name") in {(p.file, p.column) for p in problems}
    assert all("line break" in p.message for p in problems
               if p.column in ("title", "name")), [str(p) for p in problems]
