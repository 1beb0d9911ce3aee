"""round.json's optional settings for what panellists are told (funder, help_contact,
minutes_per_application) and how each group is paid ("pay" of a group, in pounds): issue
20, docs/bundles.md and docs/payments.md. Imported, exported, absent from an older
bundle, and refused with what to fix (nothing imported) when wrong."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from panel.bundle import Problem, export_bundle, import_bundle
from panel.extensions import db
from panel.payments.models import PayRate
from tests.builders.bundles import demo_bundle, problems_of, with_settings

GROUPS = [{"key": "academic", "label": "Academic", "weight": 1},
          {"key": "lived_experience", "label": "Lived experience", "weight": 1,
           "pay": {"hourly": 25, "meeting_fee": 72.5}}]


def imported(folder):
    round_ = import_bundle(None, folder, system="tests")
    db.session.commit()
    return round_


def rates(round_) -> dict[str, tuple]:
    return {rate.group.key: (rate.hourly_pence, rate.per_application_pence,
                             rate.meeting_fee_pence)
            for rate in db.session.scalars(select(PayRate).where(PayRate.round_id == round_.id))}


def test_welcome_and_pay_are_imported_and_exported_as_written(app, tmp_path):
    folder = with_settings(demo_bundle(tmp_path), funder="Greenfield Community Trust",
                           help_contact="Sam Patel, 0161 496 0000",
                           minutes_per_application=30, groups=GROUPS)
    round_ = imported(folder)
    assert (round_.funder, round_.help_contact, round_.minutes_per_application) == (
        "Greenfield Community Trust", "Sam Patel, 0161 496 0000", 30)
    # £25 an hour and a £72.50 meeting fee, kept in pence; academics are not paid
    assert rates(round_) == {"lived_experience": (2500, None, 7250)}

    export_bundle(round_, tmp_path / "out", system="tests")
    spec = json.loads((tmp_path / "out" / "round.json").read_text(encoding="utf-8"))
    assert spec["funder"] == "Greenfield Community Trust"
    assert spec["help_contact"] == "Sam Patel, 0161 496 0000"
    assert spec["minutes_per_application"] == 30
    assert spec["groups"] == GROUPS
    copy = imported(with_settings(tmp_path / "out", slug="copy"))
    assert rates(copy) == {"lived_experience": (2500, None, 7250)}
    assert copy.funder == "Greenfield Community Trust"


def test_a_fee_per_application_round_trips(app, tmp_path):
    groups = [GROUPS[0], {**GROUPS[1], "pay": {"per_application": 12.5}}]
    round_ = imported(with_settings(demo_bundle(tmp_path), groups=groups))
    assert rates(round_) == {"lived_experience": (None, 1250, None)}
    export_bundle(round_, tmp_path / "out", system="tests")
    spec = json.loads((tmp_path / "out" / "round.json").read_text(encoding="utf-8"))
    assert spec["groups"][1]["pay"] == {"per_application": 12.5}


def test_an_older_bundle_without_them_says_nothing_and_pays_no_one(app, tmp_path):
    round_ = imported(demo_bundle(tmp_path))
    assert (round_.funder, round_.help_contact, round_.minutes_per_application) == ("", "", None)
    assert rates(round_) == {}
    export_bundle(round_, tmp_path / "out", system="tests")
    spec = json.loads((tmp_path / "out" / "round.json").read_text(encoding="utf-8"))
    assert not {"funder", "help_contact", "minutes_per_application"} & set(spec)
    assert all("pay" not in group for group in spec["groups"])


@pytest.mark.parametrize(("pay", "message"), [
    ({"hourly": 25, "per_application": 10},
     ('The group "lived_experience": choose hourly or per_application, not both: each pays '
     "for the same reading and scoring.")),
    ({"hourly": "25"},
     ('The group "lived_experience": hourly must be an amount of pounds above 0 with no '
     "quotes and at most 2 decimal places, like 25 or 12.50.")),
    ({"meeting_fee": 0.005},
     ('The group "lived_experience": meeting_fee must be an amount of pounds above 0 with no '
     "quotes and at most 2 decimal places, like 25 or 12.50.")),
    ({"daily": 100},
     ('The group "lived_experience": pay has daily, which FairPanel does not know. Use '
     'hourly, per_application, meeting_fee, like {"hourly": 25, "meeting_fee": 75} '
     "(amounts in pounds).")),
    ([25],
     ('The group "lived_experience": pay must be written like {"hourly": 25, '
     '"meeting_fee": 75} (amounts in pounds).')),
])
def test_bad_pay_is_refused_with_what_to_fix(app, tmp_path, pay, message):
    groups = [GROUPS[0], {**GROUPS[1], "pay": pay}]
    folder = with_settings(demo_bundle(tmp_path), groups=groups)
    assert problems_of(folder) == [Problem("round.json", None, "groups", message)]


@pytest.mark.parametrize(("settings", "column", "message"), [
    ({"minutes_per_application": 0}, "minutes_per_application",
     ("minutes_per_application is 0. Write about how long one application takes as a whole "
     "number of minutes from 1 to 600, with no quotes, like 30, or remove it.")),
    ({"minutes_per_application": "30"}, "minutes_per_application",
     ('minutes_per_application is "30". Write about how long one application takes as a '
     "whole number of minutes from 1 to 600, with no quotes, like 30, or remove it.")),
    ({"funder": 12}, "funder", "The funder must be text in double quotes."),
    ({"help_contact": "x" * 301}, "help_contact",
     "The help_contact is longer than 300 characters. Shorten it."),
])
def test_bad_welcome_settings_are_refused_with_what_to_fix(app, tmp_path, settings, column,
                                                           message):
    folder = with_settings(demo_bundle(tmp_path), **settings)
    assert problems_of(folder) == [Problem("round.json", None, column, message)]
