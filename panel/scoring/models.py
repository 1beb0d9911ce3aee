"""Score sheets: one member's scores for one application (DESIGN.md §3), each submitted
sheet's score S stored beside it, and which sheets count, written once as SQL conditions
on :class:`ScoreSheet` (see the end of the file)."""
from __future__ import annotations

from datetime import datetime
from itertools import chain

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    event,
    exists,
    false,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column, relationship

from panel.accounts.models import User
from panel.conflicts.rules import stepped_out
from panel.extensions import db, utcnow
from panel.rounds.models import Application, Criterion, PanelMember, Round

STAGES = ("initial", "revised")
SHEET_STATUSES = ("draft", "submitted")


class ScoreSheet(db.Model):
    """Revision 0 is the initial sheet; moderation revisions count up from 1.

    ``version`` is the optimistic lock: every save states the version it read, and a
    save against an older version is refused rather than silently overwriting.
    """

    __tablename__ = "score_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    stage: Mapped[str] = mapped_column(String(10), default="initial")
    revision: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    comment: Mapped[str] = mapped_column(Text, default="")
    # The panellist asked that the chair alone read the comment (DESIGN.md §6).
    comment_for_chair: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Why a revised sheet was made (moderation).
    reason: Mapped[str] = mapped_column(Text, default="")
    # Set when an officer entered the sheet for the member (paper or phone scoring).
    assisted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    # S (0–100, DESIGN.md §3) over the criteria the sheet scored, set whenever a
    # submitted sheet is flushed (see :func:`_store_scores`); None for a draft or a
    # sheet that scored nothing. The figures read it instead of summing criteria.
    score: Mapped[float | None]

    member: Mapped[PanelMember] = relationship()
    application: Mapped[Application] = relationship()
    assisted_by: Mapped[User | None] = relationship()
    scores: Mapped[list[CriterionScore]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("member_id", "application_id", "revision"),
        Index("ix_score_sheets_application", "application_id", "status"),
        CheckConstraint("stage IN ('initial', 'revised')", name="stage_known"),
        CheckConstraint("status IN ('draft', 'submitted')", name="status_known"),
        CheckConstraint(
            "(stage = 'initial' AND revision = 0) OR (stage = 'revised' AND revision > 0)",
            name="stage_matches_revision",
        ),
    )


class CriterionScore(db.Model):
    """One criterion on one sheet. ``value`` is None for "I don't feel able to score this"."""

    __tablename__ = "criterion_scores"

    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheets.id"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"), primary_key=True)
    value: Mapped[int | None]

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


# The stored score S ---------------------------------------------------------------------------
#
# Every way a sheet becomes or stays submitted (a panellist submitting, a revision in the
# meeting, an officer's assisted entry, a bundle import) goes through a flush of the sheet
# or of its criterion scores, so S is stored here once for all of them. Bulk inserts that
# bypass the ORM (test builders, benchmarks) call :func:`store_scores` afterwards.

@event.listens_for(Session, "before_flush")
def _store_scores(session: Session, flush_context, instances) -> None:
    changed = chain(session.new, session.dirty)
    sheets = set()
    for each in changed:
        if isinstance(each, ScoreSheet):
            sheets.add(each)
        elif isinstance(each, CriterionScore) and each.sheet is not None:
            sheets.add(each.sheet)
    for sheet in sheets:
        score = _score_of(session, sheet) if sheet.status == "submitted" else None
        if sheet.score != score:
            sheet.score = score


def _score_of(session: Session, sheet: ScoreSheet) -> float | None:
    # Here, not at the top: the rules import pandas and numpy, which every command would
    # otherwise pay for at start-up through panel.models (issue 17).
    from panel.scoring.rules import sheet_score

    application = sheet.application or session.get(Application, sheet.application_id)
    round_ = application.round
    weights = {c.id: c.weight for c in round_.criteria}
    scored = [(weights[s.criterion_id if s.criterion_id is not None else s.criterion.id],
               s.value) for s in sheet.scores if s.value is not None]
    return sheet_score(scored, round_.scale_min, round_.scale_max)


def store_scores(round_id: int) -> None:
    """Store S on every submitted sheet of the round, in one statement: for sheets
    written with bulk inserts, which the ORM never sees (and the migration's backfill)."""
    db.session.execute(score_update(round_id))


def score_update(round_id: int | None = None):
    """``UPDATE score_sheets SET score = S`` for the submitted sheets (of one round, or
    of all): the arithmetic of :func:`panel.scoring.rules.sheet_score` in SQL."""
    scored = (CriterionScore.sheet_id == ScoreSheet.id, CriterionScore.value.is_not(None),
              Criterion.id == CriterionScore.criterion_id)
    points = (select(func.sum(Criterion.weight * (CriterionScore.value - Round.scale_min)))
              .where(*scored, Round.id == Criterion.round_id).scalar_subquery())
    weight = select(func.sum(Criterion.weight)).where(*scored).scalar_subquery()
    span = (select(Round.scale_max - Round.scale_min)
            .join(Application, Application.round_id == Round.id)
            .where(Application.id == ScoreSheet.application_id).scalar_subquery())
    statement = update(ScoreSheet).where(ScoreSheet.status == "submitted").values(
        score=100 * points / (span * weight), updated_at=ScoreSheet.updated_at)
    if round_id is not None:
        statement = statement.where(ScoreSheet.application_id.in_(
            select(Application.id).where(Application.round_id == round_id)))
    return statement.execution_options(synchronize_session=False)


# Which sheets count (DESIGN.md §3) ----------------------------------------------------------
#
# Only submitted sheets count; *initial* figures use each member's initial sheet; a
# member's *final* sheet is their latest submitted revision, else their initial sheet; a
# sheet never counts while its member has stepped out of the application. The figures
# loader (panel.scoring.figures), the meeting's revision form and the phase checklist all
# select with these, so no other module restates the rule.

class RankModelResult(db.Model):
    """What the rank model (DESIGN.md §3a, panel/scoring/rank_model.py) found for one
    version of a round (the id of its newest audit event when it was computed): per
    application its expected rank and intervals, per reviewer their leniency, per group
    its level (``result``, JSON; panel/reports/rank_model_jobs.py writes and reads it)."""

    __tablename__ = "rank_model_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    # What the model was given (rank_model.inputs_digest): a result still holds while
    # the counting sheets, the weighting and the funding line are the same.
    inputs: Mapped[str] = mapped_column(String(64), index=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    seconds: Mapped[float]  # how long the model took
    result: Mapped[dict] = mapped_column(JSON)

    __table_args__ = (UniqueConstraint("round_id", "version"),)


def is_submitted() -> ColumnElement[bool]:
    return ScoreSheet.status == "submitted"


def is_initial_sheet() -> ColumnElement[bool]:
    """The member's initial sheet, submitted."""
    return and_(is_submitted(), ScoreSheet.revision == 0)


def is_final_sheet() -> ColumnElement[bool]:
    """The member's final sheet: submitted, with no later submitted revision."""
    later = aliased(ScoreSheet)
    return and_(is_submitted(), ~exists().where(
        later.member_id == ScoreSheet.member_id,
        later.application_id == ScoreSheet.application_id,
        later.status == "submitted", later.revision > ScoreSheet.revision))


def member_takes_part() -> ColumnElement[bool]:
    """The sheet's member has not stepped out of its application."""
    return ~stepped_out(ScoreSheet.member_id, ScoreSheet.application_id)
