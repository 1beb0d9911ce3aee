"""Times about a round in the round's time zone with the zone's abbreviation, in the
reader's language (issue 21; panel/rounds/times.py). Stored in UTC; a deadline entered
as a local date is the end of that local day. Worked by hand across the 2027 clock
changes in London: BST from 01:00 UTC on Sunday 28 March, GMT again from 01:00 UTC on
Sunday 31 October."""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from panel.extensions import db
from panel.i18n import in_language
from panel.rounds import services as rounds
from panel.rounds import times
from panel.rounds.rules_time_zones import end_of_day, moment_parts
from tests.builders import people
from tests.builders.rounds import draft_round, scoring_round

LONDON = "Europe/London"


@pytest.mark.parametrize("day,stored,shown", [
    # The last day of GMT: 23:59:59 GMT is 23:59:59 UTC.
    (date(2027, 3, 27), datetime(2027, 3, 27, 23, 59, 59), "23:59 GMT on Saturday 27 March 2027"),
    # The day the clocks go forward: the evening is BST (UTC+1), so 22:59:59 UTC.
    (date(2027, 3, 28), datetime(2027, 3, 28, 22, 59, 59), "23:59 BST on Sunday 28 March 2027"),
    # The last day of BST.
    (date(2027, 10, 30), datetime(2027, 10, 30, 22, 59, 59),
     "23:59 BST on Saturday 30 October 2027"),
    # The day the clocks go back: the evening is GMT again.
    (date(2027, 10, 31), datetime(2027, 10, 31, 23, 59, 59),
     "23:59 GMT on Sunday 31 October 2027"),
])
def test_a_deadline_day_in_london_is_stored_in_utc_and_shown_local(app, day, stored, shown):
    round_ = draft_round(scoring_deadline=day.isoformat())
    assert round_.scoring_deadline == stored == end_of_day(day, LONDON)
    assert round_.scoring_deadline_day == day
    with app.test_request_context():
        assert times.deadline_text(round_) == shown


def test_a_round_in_another_zone_uses_that_zone_s_clock_and_abbreviation(app):
    # Sydney is on summer time (AEDT, UTC+11) until 4 April 2027: the end of 28 March
    # there is 12:59:59 UTC the same day, while London is already on BST.
    round_ = draft_round(scoring_deadline="2027-03-28", time_zone="Australia/Sydney")
    assert round_.scoring_deadline == datetime(2027, 3, 28, 12, 59, 59)
    with app.test_request_context():
        assert times.deadline_text(round_) == "23:59 AEDT on Sunday 28 March 2027"
        # Any stored moment, in the round's zone: 01:30 UTC on 31 October 2027 is
        # 12:30 in Sydney (UTC+11) and 01:30 GMT in London (the clocks went back at 01:00).
        moment = datetime(2027, 10, 31, 1, 30)
        assert times.moment_text(moment, round_) == "12:30 AEDT on Sunday 31 October 2027"
        round_.time_zone = LONDON
        assert times.moment_text(moment, round_) == "01:30 GMT on Sunday 31 October 2027"
        assert times.moment_text(datetime(2027, 10, 31, 0, 30), round_) == (
            "01:30 BST on Sunday 31 October 2027")  # the same clock time, an hour earlier


def test_a_zone_without_letters_for_its_time_is_said_as_an_offset():
    # São Paulo has no summer time now; zoneinfo names its time "-03".
    assert moment_parts(datetime(2027, 1, 1, 12), "America/Sao_Paulo", "en") == {
        "time": "09:00", "zone": "UTC-03", "day": "Friday 1 January 2027"}


def test_a_welsh_reader_reads_the_day_and_month_in_welsh(app):
    round_ = draft_round(scoring_deadline="2027-03-28")
    with app.test_request_context(), in_language("cy"):
        assert times.deadline_text(round_) == "dydd Sul 28 Mawrth 2027 am 23:59 BST"
    with app.test_request_context():  # an e-mail to a Welsh reader from an English page
        assert times.deadline_text(round_, "cy") == "dydd Sul 28 Mawrth 2027 am 23:59 BST"
        assert times.deadline_text(round_) == "23:59 BST on Sunday 28 March 2027"
        assert times.day_text(datetime(2027, 10, 30, 23, 30), round_) == "31 October 2027"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_panellist_s_pages_and_e_mails_show_the_deadline_in_bst(app, mailbox):
    round_ = scoring_round("draft", members=("amira@example.org", "bryn@example.org"))
    round_.scoring_deadline = end_of_day(date(2027, 3, 28), LONDON)
    people.user_named("bryn@example.org").language = "cy"
    db.session.commit()
    rounds.change_phase(None, round_, "scoring", system="tests", notify=True)
    db.session.commit()
    # Each e-mail in its recipient's language.
    [english] = mailbox.to("amira@example.org")
    assert "23:59 BST on Sunday 28 March 2027" in _words(mailbox.body(english))
    [welsh] = mailbox.to("bryn@example.org")
    assert "dydd Sul 28 Mawrth 2027 am 23:59 BST" in _words(mailbox.body(welsh))
    amira, bryn = app.test_client(), app.test_client()
    people.sign_in_by_link(amira, mailbox, "amira@example.org")
    people.sign_in_by_link(bryn, mailbox, "bryn@example.org")
    for path in ("/my-rounds", "/my-rounds/test-round"):
        assert "23:59 BST on Sunday 28 March 2027" in _words(amira.get(path).get_data(as_text=True))
        assert "dydd Sul 28 Mawrth 2027 am 23:59 BST" in _words(
            bryn.get(path).get_data(as_text=True))
