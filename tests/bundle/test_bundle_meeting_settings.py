"""The meeting settings a bundle carries (DESIGN.md §8): round.json's show_group_labels,
lived_experience_first, scoring_deadline, time_zone and min_group_size, and the reason
of a revised sheet in scores.csv. Each is imported and exported; a bad value is refused
with what to fix and nothing is written; a bundle without them gets the defaults."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from panel.bundle import Problem, bundle_files, export_bundle, import_bundle
from panel.extensions import db
from panel.models import ScoreSheet
from panel.rounds.queries import round_by_slug
from tests.builders.bundles import SLUG, demo_bundle, problems_of, with_settings

MEETING_KEYS = ("show_group_labels", "lived_experience_first", "scoring_deadline",
                "time_zone", "min_group_size")

SETTINGS = {"show_group_labels": False, "lived_experience_first": False,
            "scoring_deadline": "2026-06-30", "time_zone": "America/New_York",
            "min_group_size": 3}

SCORES_WITH_REASONS = (
    "email,reference,stage,benefit,community,delivery,value,comment,reason\n"
    "amira@panel.example,CA-001,initial,4,5,3,,Lovely idea,\n"
    "amira@panel.example,CA-001,revised,5,5,3,2,,Heard how many people use it\n"
    "amira@panel.example,CA-001,revised,5,5,4,2,,\n"
    "prof.okafor@panel.example,CA-001,initial,2,3,4,4,,\n")


def imported(folder: Path, **kwargs):
    round_ = import_bundle(None, folder, system="tests", **kwargs)
    db.session.commit()
    return round_


def test_each_meeting_setting_is_imported(app, tmp_path):
    round_ = imported(with_settings(demo_bundle(tmp_path), **SETTINGS))
    assert round_.show_group_labels is False
    assert round_.lived_experience_first is False
    assert round_.time_zone == "America/New_York"
    assert round_.min_group_size == 3
    # The end of 30 June in New York (summer time, UTC-4), stored in UTC.
    assert round_.scoring_deadline == datetime(2026, 7, 1, 3, 59, 59)
    assert round_.scoring_deadline_day.isoformat() == "2026-06-30"


def test_each_meeting_setting_is_exported(app, tmp_path):
    round_ = imported(with_settings(demo_bundle(tmp_path), **SETTINGS))
    exported = json.loads(bundle_files(round_)["round.json"])
    assert {key: exported[key] for key in MEETING_KEYS} == SETTINGS


def test_a_london_deadline_ends_at_midnight_london_time(app, tmp_path):
    round_ = imported(with_settings(demo_bundle(tmp_path), scoring_deadline="2026-01-15"))
    assert round_.scoring_deadline == datetime(2026, 1, 15, 23, 59, 59)  # GMT is UTC
    round_ = imported(with_settings(demo_bundle(tmp_path, "summer"), slug="summer",
                                    scoring_deadline="2026-06-30"))
    assert round_.scoring_deadline == datetime(2026, 6, 30, 22, 59, 59)  # BST is UTC+1
    assert json.loads(bundle_files(round_)["round.json"])["scoring_deadline"] == "2026-06-30"


def test_an_old_bundle_without_the_settings_gets_the_defaults(app, tmp_path):
    folder = with_settings(demo_bundle(tmp_path), **dict.fromkeys(MEETING_KEYS, ...))
    assert not set(MEETING_KEYS) & set(json.loads((folder / "round.json").read_text()))
    round_ = imported(folder)
    assert (round_.show_group_labels, round_.lived_experience_first, round_.scoring_deadline,
            round_.time_zone, round_.min_group_size) == (True, True, None, "Europe/London", 2)
    exported = json.loads(bundle_files(round_)["round.json"])
    assert {key: exported[key] for key in MEETING_KEYS} == {
        "show_group_labels": True, "lived_experience_first": True, "scoring_deadline": None,
        "time_zone": "Europe/London", "min_group_size": 2}


def not_a_date(shown: str) -> str:
    return (f"scoring_deadline is {shown}, which is not a date. Write a real date as "
            '"YYYY-MM-DD", like "2026-06-30" (scores are due by the end of that day in the '
            "round's time zone), or remove it.")


BAD_SETTINGS = [
    ("show_group_labels", "yes",
     'show_group_labels is "yes". Write true or false, with no quotes.'),
    ("lived_experience_first", 1,
     "lived_experience_first is 1. Write true or false, with no quotes."),
    ("scoring_deadline", "30/06/2026", not_a_date('"30/06/2026"')),
    ("scoring_deadline", "2026-02-30", not_a_date('"2026-02-30"')),
    ("scoring_deadline", 20260630, not_a_date('20260630')),
    ("time_zone", "Europe/Londres",
     "time_zone 'Europe/Londres' is not a time zone FairPanel knows; use a name like Europe/London."),
    ("time_zone", "europe/london",
     "time_zone 'europe/london' is not a time zone FairPanel knows; use a name like Europe/London."),
    ("time_zone", None,
     "time_zone null is not a time zone FairPanel knows; use a name like Europe/London."),
    ("min_group_size", 1,
     "min_group_size is 1. Write a whole number from 2 to 20, with no quotes, like 2."),
    ("min_group_size", 21,
     "min_group_size is 21. Write a whole number from 2 to 20, with no quotes, like 2."),
    ("min_group_size", 2.5,
     "min_group_size is 2.5. Write a whole number from 2 to 20, with no quotes, like 2."),
    ("min_group_size", "3",
     'min_group_size is "3". Write a whole number from 2 to 20, with no quotes, like 2.'),
    ("min_group_size", True,
     "min_group_size is true. Write a whole number from 2 to 20, with no quotes, like 2."),
]


@pytest.mark.parametrize("key,value,message", BAD_SETTINGS)
def test_a_bad_meeting_setting_is_refused_and_nothing_is_imported(app, tmp_path, key, value,
                                                                  message):
    folder = with_settings(demo_bundle(tmp_path), **{key: value})
    assert problems_of(folder) == [Problem("round.json", None, key, message)]
    assert round_by_slug(SLUG) is None


def test_every_bad_meeting_setting_is_reported_at_once(app, tmp_path):
    folder = with_settings(demo_bundle(tmp_path), show_group_labels="no",
                           scoring_deadline="tomorrow", time_zone="Mars/Olympus",
                           min_group_size=0)
    assert [p.column for p in problems_of(folder)] == [
        "show_group_labels", "scoring_deadline", "time_zone", "min_group_size"]


# --- The reason of a revised sheet -------------------------------------------------------

def sheets_by_revision(round_) -> list[tuple[int, str]]:
    sheets = db.session.scalars(sa.select(ScoreSheet).where(
        ScoreSheet.application_id.in_([a.id for a in round_.applications]))).all()
    return sorted((s.revision, s.reason) for s in sheets if s.member.user.email.startswith("amira"))


def test_a_revised_sheet_keeps_its_reason(app, tmp_path):
    round_ = imported(demo_bundle(tmp_path, scores=SCORES_WITH_REASONS))
    assert sheets_by_revision(round_) == [(0, ""), (1, "Heard how many people use it"), (2, "")]
    scores = bundle_files(round_)["scores.csv"].decode()
    assert scores.splitlines()[0] == (
        "email,reference,stage,benefit,community,delivery,value,comment,reason")
    assert ('"amira@panel.example","CA-001","revised",5,5,3,2,"",'
            '"Heard how many people use it"') in scores


def test_the_reason_column_round_trips(app, tmp_path):
    first = export_bundle(imported(demo_bundle(tmp_path, scores=SCORES_WITH_REASONS)),
                          tmp_path / "first", system="tests")
    with_settings(tmp_path / "first", slug="copy")
    second = export_bundle(imported(tmp_path / "first"), tmp_path / "second", system="tests")
    assert [p.name for p in second] == [p.name for p in first]
    assert (tmp_path / "second" / "scores.csv").read_bytes() == (
        tmp_path / "first" / "scores.csv").read_bytes()


def test_export_import_export_keeps_the_meeting_settings(app, tmp_path):
    source = with_settings(demo_bundle(tmp_path, scores=SCORES_WITH_REASONS), **SETTINGS)
    first = bundle_files(imported(source))
    folder = tmp_path / "first"
    export_bundle(round_by_slug(SLUG), folder, system="tests")
    with_settings(folder, slug="copy")
    second = bundle_files(imported(folder))
    assert json.loads(second["round.json"]) == {**json.loads(first["round.json"]),
                                                 "slug": "copy"}
    assert {name: data for name, data in second.items() if name != "round.json"} == {
        name: data for name, data in first.items() if name != "round.json"}


def test_a_reason_on_an_initial_sheet_is_refused(app, tmp_path):
    scores = SCORES_WITH_REASONS.replace("3,,Lovely idea,\n", "3,,Lovely idea,I liked it\n")
    assert problems_of(demo_bundle(tmp_path, scores=scores)) == [Problem(
        "scores.csv", 2, "reason", "An initial sheet has no reason: only a revised sheet "
                                   "says why it changed. Empty this cell, or mark the row "
                                   "revised.")]


def test_a_reason_longer_than_500_characters_is_refused(app, tmp_path):
    scores = SCORES_WITH_REASONS.replace("Heard how many people use it", "x" * 501)
    assert problems_of(demo_bundle(tmp_path, scores=scores)) == [Problem(
        "scores.csv", 3, "reason", "The reason is longer than 500 characters. Shorten it.")]


def test_scores_without_reasons_export_without_the_column(app, tmp_path):
    scores = SCORES_WITH_REASONS.replace(",Heard how many people use it", ",")
    round_ = imported(demo_bundle(tmp_path, scores=scores))
    header = bundle_files(round_)["scores.csv"].decode().splitlines()[0]
    assert header == "email,reference,stage,benefit,community,delivery,value,comment"


def test_reason_cannot_be_a_criterion_key(app, tmp_path):
    folder = demo_bundle(tmp_path)
    spec = json.loads((folder / "round.json").read_text())
    spec["criteria"][0]["key"] = "reason"
    (folder / "round.json").write_text(json.dumps(spec))
    [problem] = [p for p in problems_of(folder) if p.file == "round.json"]
    assert problem.column == "criteria"
    assert "reason is a column of scores.csv, so it cannot be a criterion key" in problem.message
