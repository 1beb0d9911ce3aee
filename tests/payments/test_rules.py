"""The numbers of paying panellists (docs/payments.md), worked by hand."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from panel.payments.rules import (
    Rate,
    Work,
    advanced,
    describe,
    hours_and_minutes,
    parse_pounds,
    pay_pence,
    pounds,
)

START = datetime(2026, 6, 1, 10, 0, 0)


def test_gaps_up_to_ten_minutes_count_and_longer_ones_do_not():
    # Requests at 0, 3, 5, 20 (a 15-minute gap: away) and 24 minutes: 3 + 2 + 4 = 9.
    seconds, last = 0, START
    for minute in (3, 5, 20, 24):
        now = START + timedelta(minutes=minute)
        seconds, last = advanced(seconds, last, now), now
    assert seconds == 9 * 60


def test_a_gap_of_exactly_the_limit_counts_and_one_second_more_does_not():
    assert advanced(0, START, START + timedelta(minutes=10)) == 600
    assert advanced(0, START, START + timedelta(minutes=10, seconds=1)) == 0


def test_a_request_out_of_order_adds_nothing():
    assert advanced(60, START, START - timedelta(seconds=5)) == 60


def test_hourly_pays_scoring_and_the_meeting_when_there_is_no_meeting_fee():
    # £25 an hour for 90 + 60 minutes: £62.50.
    assert pay_pence(Rate(hourly=2500), Work(90, 2, 60)) == 6250


def test_a_meeting_fee_replaces_the_hourly_pay_for_the_meeting():
    # £25 an hour for 90 minutes (£37.50) and £75 for attending: £112.50.
    assert pay_pence(Rate(hourly=2500, meeting_fee=7500), Work(90, 2, 60)) == 11250


def test_a_fee_per_application_pays_each_sheet_sent():
    assert pay_pence(Rate(per_application=3000), Work(200, 3, 0)) == 9000


def test_no_meeting_fee_without_attending():
    assert pay_pence(Rate(meeting_fee=7500), Work(0, 0, 0)) == 0


def test_pay_is_rounded_to_the_penny_half_up():
    # £10 an hour for 1 minute: 16.666… pence → 17.
    assert pay_pence(Rate(hourly=1000), Work(1, 0, 0)) == 17


@pytest.mark.parametrize("text, pence", [("25", 2500), ("25.5", 2550), ("£1,200.05", 120005),
                                         (" £ 40 ", 4000), ("", None)])
def test_amounts_are_read_in_pounds(text, pence):
    assert parse_pounds(text, "the hourly rate") == pence


@pytest.mark.parametrize("text, message", [
    ("ten pounds", "Enter the hourly rate in pounds, like 25 or 25.50"),
    ("-5", "Enter the hourly rate as £0.01 or more, or leave it empty"),
    ("0", "Enter the hourly rate as £0.01 or more"),
    ("25.505", "Enter the hourly rate in pounds, like 25 or 25.50"),
    ("200000", "Enter the hourly rate as £100,000 or less"),
])
def test_a_bad_amount_says_what_to_fix(text, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.").replace("£", "£")):
        parse_pounds(text, "the hourly rate")


def test_words():
    assert pounds(2550) == "£25.50" and pounds(2500) == "£25" and pounds(123456) == "£1,234.56"
    assert describe(Rate()) == "Not paid"
    assert describe(Rate(hourly=2500, meeting_fee=7500)) == \
        "£25 an hour and £75 for the meeting"
    assert describe(Rate(hourly=2500)) == "£25 an hour, including the meeting"
    assert describe(Rate(per_application=3000, meeting_fee=5000)) == \
        "£30 for each application you score and £50 for the meeting"
    assert hours_and_minutes(95) == "1 hour 35 minutes"
    assert hours_and_minutes(120) == "2 hours" and hours_and_minutes(1) == "1 minute"
    assert hours_and_minutes(0) == "0 minutes"
