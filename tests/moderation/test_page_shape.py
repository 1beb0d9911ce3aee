"""The ranking page, the agenda page and the chair's item page are built from whole
columns and shared figures: the rows handled one by one in Python are those of the page
shown, and the statements sent do not grow with the round, both for a page asked again
and for the first request after a change (issue 17: 20,000 applications). Counted, not
timed; 2,000 applications stand for 20,000 (the same code, fewer seconds to build)."""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

import pandas as pd
import pytest

from panel.accounts import services as accounts
from panel.extensions import db
from panel.moderation import meeting as meetings
from panel.moderation import presenters, services
from panel.moderation.agenda_page import PER_PAGE, agenda_page
from panel.reports.ranking_views import ranked_round
from panel.rounds.models import Round
from tests.builders.large_round import large_round
from tests.builders.sheets import revision
from tests.support.lookups import counted_lookups
from tests.support.statements import counted_statements


def ranking_page(round_: Round):
    ranked = ranked_round(round_)
    return ranked.rows(0, PER_PAGE, [g.key for g in round_.groups])


PAGES = {
    "ranking page": ranking_page,
    "agenda page": lambda round_: agenda_page(meetings.meeting_of(round_)),
    "chair's item page": lambda round_: presenters.chair_item(round_,
                                                              meetings.meeting_of(round_)),
}


@contextmanager
def rows_in_python():
    """How many rows ``iterrows`` and ``itertuples`` hand out while inside."""
    counts: Counter[str] = Counter()
    originals = {name: getattr(pd.DataFrame, name) for name in ("iterrows", "itertuples")}

    def counting(name, method):
        def counted(self, *args, **kwargs):
            for row in method(self, *args, **kwargs):
                counts["rows"] += 1
                yield row
        return counted

    for name, method in originals.items():
        setattr(pd.DataFrame, name, counting(name, method))
    try:
        yield counts
    finally:
        for name, method in originals.items():
            setattr(pd.DataFrame, name, method)


def in_meeting(size: int, slug: str) -> Round:
    round_ = large_round(size, slug=slug)
    officer = accounts.create_account(None, email=f"officer@{slug}.example", name="Officer",
                                      roles={"officer"}, system="tests")
    meetings.shown_figures(round_)  # as the chair's start page does
    services.start_meeting(officer, round_)
    db.session.commit()
    return round_


def a_revision(round_: Round) -> None:
    """A panellist revises their score on the item open now: a change of the scores."""
    meeting = meetings.meeting_of(round_)
    for member in round_.members:
        latest = services.latest_sheet(member.id, meeting.current_application_id)
        if latest is None or services.revise_refusal(member, meeting):
            continue
        now = services.sheet_values(latest, round_)
        revision(member, meeting, q="5" if now["q"] != "5" else "1")
        return
    raise AssertionError("no member could revise the item open now")


def measured(build, round_: Round, change=None):
    if change is not None:
        change(round_)
    db.session.expire_all()  # as a new request finds them
    with counted_lookups() as lookups, counted_statements() as statements, \
            rows_in_python() as rows:
        build(round_)
    return lookups, len(statements), rows["rows"]


@pytest.mark.parametrize("page", list(PAGES))
def test_a_page_handles_a_page_of_rows_and_sends_as_many_statements_at_any_size(app, page):
    small, large = in_meeting(20, "small-round"), in_meeting(2_000, "large-round")
    build = PAGES[page]
    build(small), build(large)  # the rounds' settings are loaded (then kept) once
    for change in (None, a_revision, None):  # again, first after a change of the scores, again
        few = measured(build, small, change)
        many = measured(build, large, change)
        assert many[0] == few[0], "pandas lookups grow with the round"
        assert many[1] == few[1], "statements grow with the round"
        assert many[2] <= PER_PAGE, f"{many[2]} rows handled one by one in Python"


def test_starting_the_meeting_writes_the_agenda_in_as_many_statements_at_any_size(app):
    counts = []
    for size, slug in ((20, "small-round"), (2_000, "large-round")):
        round_ = large_round(size, slug=slug)
        officer = accounts.create_account(None, email=f"officer@{slug}.example",
                                          name="Officer", roles={"officer"}, system="tests")
        meetings.shown_figures(round_)  # as the chair's start page does
        db.session.expire_all()
        with counted_statements() as statements:
            meeting = services.start_meeting(officer, round_)
        db.session.commit()
        counts.append(len(statements))
        assert meetings.progress(meeting).total == size
        assert meeting.items[0].position == 1
    assert counts[0] == counts[1]
