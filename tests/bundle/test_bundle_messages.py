"""The import's messages are whole sentences marked for gettext (issue 21): a count says
"1 application" and "2 applications", never "1 applications", and what `flask round
import` and the import pages print reads as it did before they were marked."""
from __future__ import annotations

import json

from flask_babel import Domain

from panel.bundle import Problem, check_applications, limits, read_table
from panel.bundle.jobs import first_problem
from panel.bundle.source import check_bundle, open_bundle
from panel.bundle.spec import RoundPlan
from tests.builders import rounds as round_builders
from tests.builders.bundles import (
    CONFLICTS,
    DECISIONS,
    SCORES,
    demo_bundle,
    edit,
    round_rows,
)
from tests.support.commands import flask
from tests.support.jobs import finish_job
from tests.support.web import confirm_upload, upload

HEADER = "reference,title,lay_summary,requested_amount,applicant_name,organisation,contact_email\n"


def test_one_missing_column_is_named_in_the_singular(app):
    table, _ = read_table(b"reference,lay_summary,requested_amount,applicant_name,"
                          b"organisation,contact_email\nB1,A fridge.,100,Jo,Org,\n",
                          "apps.csv", label="apps.csv")
    rows, problems = check_applications(table, RoundPlan())
    assert rows == []
    assert [str(problem) for problem in problems] == [
        ("applications.csv: The column title is missing. Add it to the first row, where the "
         "column headings go.")]


def test_a_row_longer_than_one_heading_says_one_column(app):
    assert read_table(b"email\na,b,c\n", "people.csv", label="people.csv")[1] == [Problem(
        "people.csv", 2, None, "This row has 3 cells but the headings name only 1 column. "
        "Remove the extra cells, or put text with commas in double quotes.")]
    assert read_table(b"email,name\na,b,c\n", "people.csv", label="people.csv")[1][0].message \
        .startswith("This row has 3 cells but the headings name only 2 columns.")


def test_a_refused_job_counts_the_problems_after_the_first(app):
    one = Problem("apps.csv", 2, "title", "The title is empty. Give every application a title.")
    other = Problem("apps.csv", 3, "reference", "The reference is empty.")
    assert first_problem([one]) == ("apps.csv, row 2, column title: The title is empty. Give "
                                    "every application a title.")
    assert first_problem([one, other]).endswith(
        "a title. (and 1 more problem: check the file and upload it again)")
    assert first_problem([one, other, other]).endswith(
        "a title. (and 2 more problems: check the file and upload it again)")


def test_a_limit_says_one_application_and_what_the_round_holds(app):
    app.config["ROUND_MAX_APPLICATIONS"] = 1
    # The round holds 1 of at most 1: no room, so another round is the fix.
    assert [str(problem) for problem in limits.too_many(
        limits.APPLICATIONS, 1, "apps.csv", already=1)] == [
        ("apps.csv: This file has 1 application, but a round can hold at most 1. The round "
         "already has 1. Start another round for them. (An administrator sets the limit with "
         "ROUND_MAX_APPLICATIONS.)")]
    app.config["ROUND_MAX_CONFLICTS"] = 2_000
    # 2,500 more with 1,200 held: room for 2,000 − 1,200 = 800.
    assert limits.too_many(limits.CONFLICTS, 2_500, "conflicts.csv", already=1_200)[0].message \
        == ("This file has 2,500 conflicts, but a round can hold at most 2,000. The round "
            "already has 1,200. Remove rows to leave at most 800, or split them across "
            "rounds. (An administrator sets the limit with ROUND_MAX_CONFLICTS.)")


def test_importing_one_application_and_one_person_says_so_in_the_singular(app, officer):
    round_builders.draft_round()
    preview = upload(officer, "/rounds/test-round/applications",
                     (HEADER + "B1,Community fridge,A fridge.,1200,Jo Bloggs,Fridge CIC,\n")
                     .encode(), "apps.csv")
    done = finish_job(app, officer, confirm_upload(
        officer, preview.get_data(as_text=True), "/rounds/test-round/applications/confirm"))
    assert "1 application added from apps.csv." in done
    assert "1 applications" not in done
    preview = upload(officer, "/rounds/test-round/panel",
                     b"email,name,group,role\nnew@example.org,New Person,academic,panellist\n",
                     "panel.csv")
    done = finish_job(app, officer, confirm_upload(
        officer, preview.get_data(as_text=True), "/rounds/test-round/panel/confirm"))
    assert "1 person added to the panel. New accounts have been invited by email." in done


def test_flask_round_import_prints_the_same_english(app, database_url, tmp_path):
    # scores.csv without its stage column
    folder = demo_bundle(tmp_path, scores=("email,reference,benefit,community,delivery,value\n"
                                           "amira@panel.example,CA-001,4,5,3,2\n"))
    spec = json.loads((folder / "round.json").read_text(encoding="utf-8"))
    spec["funding_rule"] = "greedy"
    spec["groups"][1]["pay"] = {"hourly": 0, "meeting_fee": 12.345}
    spec["criteria"][1]["weight"] = 0
    (folder / "round.json").write_text(json.dumps(spec), encoding="utf-8")
    before = round_rows()
    refused = flask(database_url, "round", "import", str(folder))
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        ('round.json, column funding_rule: "greedy" is not a funding_rule. Use strict or fill '
         "or lottery."),
        ('round.json, column groups: The group "lived_experience": hourly and meeting_fee '
         "must be an amount of pounds above 0 with no quotes and at most 2 decimal places, "
         "like 25 or 12.50."),
        ('round.json, column criteria: The 2nd criterion ("community") has the weight 0. '
         "Give it a number above 0, like 1."),
        ("scores.csv: The column stage is missing. Add it to the first row, where the column "
         "headings go."),
        "Nothing was imported. Fix these 4 problems and run the import again.",
    ]
    assert round_rows() == before


def test_checking_a_good_bundle_builds_no_message(app, tmp_path, monkeypatch):
    """Messages are made only for problems: a big import checks every row without one
    gettext call (docs/performance.md)."""
    asked: list[str] = []
    for name in ("gettext", "ngettext"):
        real = getattr(Domain, name)

        def counted(self, string, *args, _real=real, **variables):
            asked.append(string)
            return _real(self, string, *args, **variables)
        monkeypatch.setattr(Domain, name, counted)
    folder = demo_bundle(tmp_path, conflicts=CONFLICTS, scores=SCORES, decisions=DECISIONS)
    checked, problems = check_bundle(open_bundle(folder)[0])
    assert problems == [] and len(checked.applications) == 22 and len(checked.sheets) == 4
    assert asked == []
    # One problem, one message.
    edit(folder, "scores.csv", "CA-001,initial,4,5,3,,", "CA-001,initial,4,9,3,,")
    _, problems = check_bundle(open_bundle(folder)[0])
    assert [str(problem) for problem in problems] == [
        ("scores.csv, row 2, column community: 9 is outside the scale. Write a score from 1 "
         "to 5, or leave the cell empty.")]
    assert "%(value)s is outside the scale. Write a score from %(low)s to %(high)s, or leave " \
        "the cell empty." in asked
