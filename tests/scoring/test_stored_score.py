"""Each sheet's score S (DESIGN.md §3) is stored when it is submitted or revised, and the
figures read it instead of summing criteria again.

Hand-worked on the worked example's rubric: scale 1–5, criteria q (weight 3) and n
(weight 1), so S = 100 × (3 (q − 1) + 1 (n − 1)) / (4 × (3 + 1)) over the criteria
scored; with n not scored, S = 100 × 3 (q − 1) / (4 × 3)."""
from __future__ import annotations

import sqlalchemy as sa

from panel.extensions import db
from panel.moderation import services as meeting_services
from panel.rounds.models import Application
from panel.scoring import queries, services
from panel.scoring.figures import RANKING, round_figures
from panel.scoring.models import CriterionScore, ScoreSheet, store_scores
from tests.builders.meetings import LIVED
from tests.builders.rounds import scoring_round
from tests.builders.sheets import revision, sheet


def stored(member_id: int, reference: str) -> dict[int, float | None]:
    """Revision → stored S of the member's sheets on ``reference``."""
    return dict(db.session.execute(
        sa.select(ScoreSheet.revision, ScoreSheet.score)
        .join(Application, ScoreSheet.application_id == Application.id)
        .where(ScoreSheet.member_id == member_id, Application.reference == reference)).all())


def test_a_draft_has_no_stored_score_and_submitting_stores_s(app):
    round_ = scoring_round()
    member = round_.members[0]
    made = sheet(member, "A1", submit=False, q=2, n=5)
    assert stored(member.id, "A1") == {0: None}
    services.submit_sheet(member.user, queries.assignment_for(member, "A1"), made.version)
    db.session.commit()
    # 100 × (3 × 1 + 1 × 4) / (4 × 4) = 700 / 16
    assert stored(member.id, "A1") == {0: 43.75}


def test_a_criterion_left_unscored_is_left_out_of_s(app):
    round_ = scoring_round()
    member = round_.members[0]
    sheet(member, "A1", q=4, n=None)
    # 100 × 3 × 3 / (4 × 3)
    assert stored(member.id, "A1") == {0: 75.0}


def test_a_revision_stores_its_own_s_and_the_initial_sheet_keeps_its_own(
        meeting_round, chair, lived):
    from tests.builders.meetings import started
    started(chair)
    meeting = meeting_services.meetings.meeting_of(meeting_round)
    member = next(m for m in meeting_round.members if m.user.email == LIVED)
    reference = db.session.get(Application, meeting.current_application_id).reference
    before = stored(member.id, reference)
    revision(member, meeting, q=2, n=3)
    after = stored(member.id, reference)
    # The new revision: 100 × (3 × 1 + 1 × 2) / (4 × 4) = 500 / 16
    newest = max(after)
    assert after[newest] == 31.25
    assert {k: v for k, v in after.items() if k != newest} == before


def test_the_worked_example_imported_from_a_bundle_stores_every_sheets_s(worked_round):
    scores = sorted(db.session.scalars(
        sa.select(ScoreSheet.score).order_by(ScoreSheet.score)).all())
    # academic 1: 100, 50, 75; academic 2: 75; lived experience 1: 0, 100, 75, then 100
    assert scores == [0.0, 50.0, 75.0, 75.0, 75.0, 100.0, 100.0, 100.0]


def test_the_figures_use_the_stored_score(worked_round):
    """A stored S that disagreed with the criteria would show: the figures read the
    column (here set by hand to 0 for academic 2's 75 on A1), not a sum."""
    sheet_id = db.session.scalar(
        sa.select(ScoreSheet.id).join(Application, ScoreSheet.application_id == Application.id)
        .where(Application.reference == "A1", ScoreSheet.score == 75.0))
    db.session.execute(sa.update(ScoreSheet).where(ScoreSheet.id == sheet_id)
                       .values(score=0.0).execution_options(synchronize_session=False))
    table = round_figures(worked_round, RANKING).final.table
    # academic: (100 + 0) / 2 = 50; lived experience 0 → A1 = (50 + 0) / 2 = 25
    assert table.at["A1", "score"] == 25.0
    store_scores(worked_round.id)  # what bulk writers call: S from the criteria again
    assert round_figures(worked_round, RANKING).final.table.at["A1", "score"] == 43.75


def test_store_scores_gives_the_same_s_as_submitting(worked_round):
    before = dict(db.session.execute(sa.select(ScoreSheet.id, ScoreSheet.score)).all())
    db.session.execute(sa.update(ScoreSheet).values(score=None)
                       .execution_options(synchronize_session=False))
    store_scores(worked_round.id)
    assert dict(db.session.execute(sa.select(ScoreSheet.id, ScoreSheet.score)).all()) == before
    assert db.session.scalar(sa.select(sa.func.count(CriterionScore.sheet_id))) > 0
