"""The figures the meeting's pages share are made again from the changed applications
alone when panellists revise in the meeting (panel.moderation.meeting._made_for): the
same figures as reading the whole round afresh, without reading its other sheets."""
from __future__ import annotations

import sqlalchemy as sa

from panel.extensions import db
from panel.moderation import agenda, services
from panel.moderation import meeting as meetings
from panel.reports.rank_model_jobs import inputs_of
from panel.rounds.queries import round_by_slug
from panel.scoring import figures
from panel.scoring.figures import RANKING, round_figures
from tests.builders.meetings import ACADEMIC, LIVED, started
from tests.builders.sheets import revision
from tests.builders.worked import SLUG
from tests.support.statements import counted_statements


def member(email: str):
    round_ = round_by_slug(SLUG)
    return next(m for m in round_.members if m.user.email == email)


def same_figures(shown, whole) -> None:
    for ranking in ("final", "initial"):
        mine, theirs = getattr(shown, ranking), getattr(whole, ranking)
        assert mine.table.equals(theirs.table), ranking
        assert mine.group_scores.equals(theirs.group_scores), ranking
        assert mine.sheets.equals(theirs.sheets), ranking
    for counting in ("counting", "initial_counting"):
        def rows(frame):
            return sorted(map(tuple, frame[["sheet", "member", "reference", "score"]]
                              .itertuples(index=False)))
        assert rows(getattr(shown, counting)) == rows(getattr(whole, counting)), counting
    assert shown.decisions.equals(whole.decisions)
    assert shown.overrides == whole.overrides


def test_a_revision_scores_its_application_again_and_redraws_every_rank(
        app, meeting_round, chair, lived):
    started(chair)
    round_ = round_by_slug(SLUG)
    before = meetings.shown_figures(round_)
    meeting = meetings.meeting_of(round_)
    first = db.session.scalar(sa.select(sa.text("reference")).select_from(
        sa.text("applications")).where(sa.text(f"id = {meeting.current_application_id}")))
    revision(member(LIVED), meeting, q=3, n=3)
    with counted_statements() as seen:
        after = meetings.shown_figures(round_by_slug(SLUG))
    # Lived experience 1, alone in their group, now gives 100 × (3 × 2 + 2) / 16 = 50
    # on the item: its figures move, the others' stay.
    assert after.final.group_scores.at[first, "lived_experience"] == 50.0
    assert before.final.group_scores.at[first, "lived_experience"] != 50.0
    same_figures(after, round_figures(round_by_slug(SLUG), RANKING))
    # Every read of the sheets asks for those of the changed application alone.
    sheet_reads = [s for s in seen if "score_sheets" in s]
    assert sheet_reads and all("IN (" in s for s in sheet_reads)


def test_revisions_by_two_members_then_an_outcome_give_the_figures_of_the_whole_round(
        app, meeting_round, chair, lived):
    started(chair)
    round_ = round_by_slug(SLUG)
    meetings.shown_figures(round_)
    meeting = meetings.meeting_of(round_)
    revision(member(LIVED), meeting, q=5, n=5)
    revision(member(ACADEMIC), meeting, q=2, n=None)
    services.record_outcome(member(ACADEMIC).round.members[0].user, meeting, "keep", "")
    db.session.commit()
    shown = meetings.shown_figures(round_by_slug(SLUG))
    first = db.session.scalar(sa.select(sa.text("reference")).select_from(
        sa.text("applications")).where(sa.text(f"id = {meeting.current_application_id}")))
    # Lived experience 1, alone in their group, answered 5 and 5: S = 100 on the item.
    assert shown.final.group_scores.at[first, "lived_experience"] == 100.0
    assert shown.decisions.at[first, "decision"] == "keep"
    same_figures(shown, round_figures(round_by_slug(SLUG), RANKING))


def test_any_other_change_reads_the_round_afresh(app, meeting_round, chair, lived):
    started(chair)
    round_ = round_by_slug(SLUG)
    meetings.shown_figures(round_)
    meeting = meetings.meeting_of(round_)
    revision(member(LIVED), meeting, q=2, n=2)
    from panel.audit.services import record
    record("round.details_changed", target=round_, before={"description": "old"},
           after={"description": "new"}, system="tests")
    db.session.commit()
    assert meetings._applications_changed(round_, 0, meetings.versions(round_)[1]) is None
    same_figures(meetings.shown_figures(round_by_slug(SLUG)),
                 round_figures(round_by_slug(SLUG), RANKING))


def test_what_pages_keep_per_version_of_the_sheets_is_carried_to_the_revised_figures(
        app, meeting_round, chair, lived):
    # The agenda's spreads and the model's inputs digest are made once per version of
    # the sheets; after a revision only the revised application's are made again, and
    # they equal those made from the whole round read afresh.
    started(chair)
    round_ = round_by_slug(SLUG)
    before = meetings.shown_figures(round_)
    figures.per_application(before, "agenda spread", agenda.spreads)
    inputs_of(before)
    revision(member(LIVED), meetings.meeting_of(round_), q=3, n=3)
    after = meetings.shown_figures(round_by_slug(SLUG))
    whole = round_figures(round_by_slug(SLUG), RANKING)
    assert figures._made_for(after.counting, figures.SHEET_BLOCKS) is not None  # carried
    assert inputs_of(after).digest == inputs_of(whole).digest != inputs_of(before).digest
    carried = figures.per_application(after, "agenda spread", agenda.spreads)
    assert carried.equals(agenda.spreads(whole.counting).reindex(whole.final.table.index))
