"""The scoring rules without the web: connection question, saving with optimistic
locking, submitting, passing (DESIGN.md §3, §5, §9). Also the builder the scoring page
tests share."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.auditor.queries import verify_chain
from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.scoring import queries, services
from panel.scoring.models import CriterionScore, ScoreSheet
from panel.scoring.services import ScoringError, StaleSheet
from tests.builders.rounds import scoring_round


@pytest.fixture
def assignment(app):
    round_ = scoring_round()
    member = round_.members[0]
    return queries.assignment_for(member, "A1")


def sheets() -> list[ScoreSheet]:
    return db.session.scalars(select(ScoreSheet)).all()


def actions() -> list[str]:
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_declaring_a_connection_makes_a_pending_step_out_conflict(assignment):
    user = assignment.member.user
    services.declare_connection(user, assignment, "uses_services", " I go to the club ")
    db.session.commit()
    conflict = db.session.scalars(select(Conflict)).one()
    assert (conflict.level, conflict.source, conflict.status, conflict.kind, conflict.details) \
        == ("step_out", "declared", "pending", "uses_services", "I go to the club")
    assert assignment.connection_answer == "connected"
    assert actions()[-1] == "conflict.declared"
    assert queries.status_of(assignment) == "stepped_out"
    with pytest.raises(ScoringError, match="stepped out"):
        services.save_sheet(user, assignment, 0, scores={"q": "3"})


def test_an_unknown_kind_of_connection_is_refused(assignment):
    with pytest.raises(ScoringError):
        services.declare_connection(assignment.member.user, assignment, "enemy", "")


def test_a_dismissed_declaration_lets_the_member_score_again(assignment):
    user = assignment.member.user
    conflict = services.declare_connection(user, assignment, "local", "")
    conflict.status = "dismissed"
    db.session.flush()
    assert services.refusal(assignment) is None


def test_a_suggested_conflict_waiting_for_review_does_not_tell_the_member(assignment):
    db.session.add(Conflict(member_id=assignment.member_id,
                            application_id=assignment.application_id, source="suggested"))
    db.session.flush()
    assert services.refusal(assignment) is None


def test_saving_creates_one_draft_sheet_and_the_version_moves_on(assignment):
    user = assignment.member.user
    sheet = services.save_sheet(user, assignment, 0, scores={"q": "4"})
    db.session.commit()
    first = sheet.version
    sheet = services.save_sheet(user, assignment, first, scores={"n": "unable"}, comment="Good")
    db.session.commit()
    assert sheet.version == first + 1
    assert services.sheet_answers(sheet) == {"q": "4", "n": "unable"}
    assert (sheet.status, sheet.comment, len(sheets())) == ("draft", "Good", 1)
    assert actions()[-2:] == ["sheet.saved", "sheet.saved"]
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.before == {"scores": {"q": 4}, "comment": ""}
    assert opened(event).after == {"scores": {"q": 4, "n": None}, "comment": "Good"}


def test_a_stale_version_is_refused_and_changes_nothing(assignment):
    user = assignment.member.user
    services.save_sheet(user, assignment, 0, scores={"q": "4"})
    db.session.commit()
    with pytest.raises(StaleSheet, match="another device or tab"):
        services.save_sheet(user, assignment, 0, scores={"q": "2"})
    db.session.rollback()
    assert services.sheet_answers(sheets()[0]) == {"q": "4"}


def test_a_save_that_loses_the_race_at_its_write_is_refused_and_changes_nothing(assignment):
    """Two saves read the sheet at the same version and the other one writes first: this
    one's write finds the sheet moved on, is refused as stale and keeps nothing (no
    answer, no event); the other save's answer stays."""
    user = assignment.member.user
    sheet = services.save_sheet(user, assignment, 0, scores={"q": "4"})
    db.session.commit()
    version, events = sheet.version, len(actions())
    assert version == 2  # made at 1, then its first answers written: 2
    queries.standing(assignment)  # this save reads the sheet at version 2…
    with db.engine.begin() as other:  # …and another one saves it first
        other.execute(update(ScoreSheet).where(ScoreSheet.id == sheet.id).values(version=3))
        other.execute(update(CriterionScore).where(CriterionScore.sheet_id == sheet.id)
                      .values(value=2))
    with pytest.raises(StaleSheet, match="another device or tab"):
        services.save_sheet(user, assignment, version, scores={"q": "5", "n": "3"})
    db.session.rollback()
    assert services.sheet_answers(sheets()[0]) == {"q": "2"}
    assert (sheets()[0].version, len(actions())) == (3, events)


def test_answers_changed_added_and_kept_in_one_save(assignment):
    """One save changing an answer, adding one and repeating one: each stored, the
    version moved on by one, the event saying exactly what was and is, the chain whole."""
    user = assignment.member.user
    services.save_sheet(user, assignment, 0, scores={"q": "4"}, comment="First go")
    db.session.commit()
    sheet = services.save_sheet(user, assignment, 2, scores={"q": "2", "n": "unable"},
                                comment=" Second go ")
    db.session.commit()
    sheet = services.save_sheet(user, assignment, 3, scores={"q": "2", "n": "5"})
    db.session.commit()
    assert (sheet.version, sheet.comment, sheet.score) == (4, "Second go", None)
    assert services.sheet_answers(sheets()[0]) == {"q": "2", "n": "5"}
    assert sorted(db.session.execute(select(CriterionScore.value)).scalars()) == [2, 5]
    saved = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sheet.saved")
                               .order_by(AuditEvent.id)).all()
    assert [opened(e).before for e in saved] == [
        {"scores": {}, "comment": ""},
        {"scores": {"q": 4}, "comment": "First go"},
        {"scores": {"q": 2, "n": None}, "comment": "Second go"}]
    assert [opened(e).after for e in saved] == [
        {"scores": {"q": 4}, "comment": "First go"},
        {"scores": {"q": 2, "n": None}, "comment": "Second go"},
        {"scores": {"q": 2, "n": 5}, "comment": "Second go"}]
    assert verify_chain().ok


def test_saving_what_is_already_saved_is_never_refused(assignment):
    user = assignment.member.user
    services.save_sheet(user, assignment, 0, scores={"q": "4"})
    db.session.commit()
    events = len(actions())
    services.save_sheet(user, assignment, 0, scores={"q": "4"})
    assert len(actions()) == events


@pytest.mark.parametrize("value", ["0", "6", "3.5", "three", ""])
def test_a_score_off_the_scale_is_refused(assignment, value):
    with pytest.raises(ScoringError, match="whole number from 1 to 5"):
        services.save_sheet(assignment.member.user, assignment, 0, scores={"q": value})
    assert sheets() == []


def test_submitting_needs_at_least_one_score(assignment):
    user = assignment.member.user
    sheet = services.save_sheet(user, assignment, 0, scores={"q": "unable"})
    with pytest.raises(ScoringError, match="Score at least one question"):
        services.submit_sheet(user, assignment, sheet.version)


def test_a_submitted_sheet_is_locked_and_a_double_submit_is_harmless(assignment):
    user = assignment.member.user
    sheet = services.save_sheet(user, assignment, 0, scores={"q": "5"})
    services.submit_sheet(user, assignment, sheet.version)
    db.session.commit()
    services.submit_sheet(user, assignment, sheet.version)  # the second click
    assert actions().count("sheet.submitted") == 1
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 1
    with pytest.raises(ScoringError, match="already sent"):
        services.save_sheet(user, assignment, sheet.version, scores={"q": "1"})
    assert queries.status_of(assignment) == "scored"


def test_a_pass_is_not_a_score(assignment):
    user = assignment.member.user
    services.pass_on(user, assignment)
    db.session.commit()
    assert assignment.passed_at is not None and sheets() == []
    assert actions()[-1] == "assignment.passed"
    assert queries.status_of(assignment) == "passed"
    with pytest.raises(ScoringError):
        services.save_sheet(user, assignment, 0, scores={"q": "3"})


def test_nothing_changes_outside_the_scoring_phase(app):
    round_ = scoring_round(phase="moderation")
    assignment = queries.assignment_for(round_.members[0], "A1")
    with pytest.raises(ScoringError, match="not open"):
        services.save_sheet(assignment.member.user, assignment, 0, scores={"q": "3"})


def test_next_application_carries_on_a_started_one_first(app):
    round_ = scoring_round()
    member = round_.members[0]
    from panel.rounds.models import Assignment

    db.session.add(Assignment(member_id=member.id, application_id=round_.applications[1].id))
    db.session.commit()
    progress = queries.progress(member)
    assert [i.status for i in progress.items] == ["not_started", "not_started"]
    assert progress.next_item.application.reference == "A1" and not progress.begun
    services.answer_no_connection(member.user, queries.assignment_for(member, "A2"))
    progress = queries.progress(member)
    assert progress.next_item.application.reference == "A2" and progress.begun
