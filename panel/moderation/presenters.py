"""What each person in the meeting is shown of the current item (DESIGN.md §4, §6), built
separately for each audience, so that a page is never handed
what its reader may not see:

- :class:`ChairItem` — the chair's screen: everything on the shared screen, plus the
  names of those who stepped out and the connections declared (never beside a score);
- :class:`SharedItem` — the shared screen in the room or on the call: the anonymous
  spread, group scores, the gap and the funding line, a count of those stepped out;
- :class:`PanellistItem` — a panellist's phone: the shared screen plus which letter is
  theirs; :class:`SteppedOutItem` when they stepped out of the application, which tells
  them so and shows nothing of its scores.

Scores stand beside letters, never names. Letters are drawn afresh for each application
(a keyed hash of the member and the application), so a letter says nothing about who a
person is on the next item, yet stays put while the item is discussed: the room can
watch "C" move from 40 to 60 after a revision. Every figure comes from the round's one
figures pipeline (:mod:`panel.scoring.figures`), so it agrees with the ranking page and
the report.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import pandas as pd
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from panel.accounts.models import User
from panel.conflicts.models import KIND_AS_DECLARED, Conflict
from panel.conflicts.rules import stepping_out
from panel.extensions import db
from panel.moderation.chart import Chart, spread_chart
from panel.moderation.meeting import shown_figures
from panel.moderation.models import (
    OUTCOME_LABELS,
    AgendaItem,
    Decision,
    Meeting,
    SharedComment,
)
from panel.rounds.content import content
from panel.rounds.models import Application, PanelMember, Round
from panel.scoring import disclosure
from panel.scoring.blind import BlindApplication, BlindSummary, blind_view, summary_view
from panel.scoring.forms import in_words
from panel.scoring.models import CriterionScore, ScoreSheet
from panel.scoring.queries import is_stepped_out
from panel.scoring.rank_intervals import RankIntervals, for_application

LIVED_EXPERIENCE = "lived_experience"


# The current item ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Mark:
    """One counting sheet on the spread: a letter, never a name."""

    letter: str
    group: str | None  # the group's label; None when it may not be shown
    score: float
    initial: float | None

    @property
    def moved(self) -> bool:
        return self.initial is not None and round(self.initial, 6) != round(self.score, 6)


@dataclass(frozen=True)
class GroupFigure:
    key: str
    label: str
    score: float | None  # None: no counting sheet, or not shown (see ``hidden``)
    initial: float | None
    sheets: int
    small: bool  # fewer of its members count here than the round's smallest group shown
    hidden: bool  # its scores are kept from this audience (the item is guarded)


@dataclass(frozen=True)
class Gap:
    higher: str
    lower: str
    points: float


@dataclass(frozen=True)
class Standing:
    """Where the item sits against the funding line, on the current scores."""

    score: float | None
    rank: int | None
    ranked: int
    funded: bool
    line_after: int  # the funding line is drawn under this rank (0: nothing funded)
    funded_total: float
    budget: float
    initial_rank: int | None
    score_hidden: bool = False  # the score would give a small group's score away


@dataclass(frozen=True)
class Connection:
    name: str
    kind: str
    details: str


@dataclass(frozen=True)
class Comment:
    """A sheet's comment beside its letter, never a name (DESIGN.md §6)."""

    letter: str
    text: str
    for_chair: bool  # the panellist asked that only the chair read it
    shared: bool  # the chair put it on the shared screen


@dataclass(frozen=True)
class CriterionRow:
    """For the chair: one letter's answer on every criterion, in the scale's words."""

    letter: str
    answers: list[str]


@dataclass(frozen=True)
class SharedItem:
    """The item as everyone in the room may see it: the shared screen's."""

    application: BlindApplication
    number: int
    marks: list[Mark]
    groups: list[GroupFigure]
    gap: Gap | None
    standing: Standing
    stepped_out_count: int
    outcome: str | None
    rationale: str
    speak_first: str | None  # the label of the group invited to speak first
    show_groups: bool  # group labels stand beside letters
    guarded: bool  # a small group: no group label, score or gap for this audience
    min_group_size: int
    comments: list[Comment]

    @property
    def outcome_label(self) -> str | None:
        return str(OUTCOME_LABELS[self.outcome]) if self.outcome in OUTCOME_LABELS \
            else self.outcome or None

    @property
    def chart(self) -> Chart:
        return spread_chart(self.marks, [g.label for g in self.groups])

    @property
    def small_groups(self) -> list[GroupFigure]:
        return [g for g in self.groups if g.small]


@dataclass(frozen=True)
class ChairItem(SharedItem):
    """The chair's screen: every figure (with a note of what others do not see), who
    stepped out and the connections declared, by name, every comment, and each letter's
    answer per criterion."""

    stepped_out: list[str]
    declared: list[Connection]
    speak_first_count: int  # members of the speak-first group who scored the item
    criteria: list[str]
    by_criterion: list[CriterionRow]
    how_sure: RankIntervals | None  # its expected rank and intervals (DESIGN.md §3a)


@dataclass(frozen=True)
class PanellistItem(SharedItem):
    """A panellist's phone: the shared screen, which mark is theirs (None when they
    have no counting sheet on the item), their answers in the scale's words, and
    whether they are invited to speak first."""

    own: Mark | None
    own_answers: list[tuple[str, str]]
    invited_first: bool


@dataclass(frozen=True)
class SteppedOutItem:
    """A panellist who stepped out of the item is told so, and shown nothing more."""

    application: BlindSummary


def chair_item(round_: Round, meeting: Meeting | None) -> ChairItem | None:
    application = _current(meeting)
    if application is None:
        return None
    item = _Item(round_, meeting, application, private=True)
    letters = {member: mark.letter for member, mark in item.marks.items()}
    criteria, by_criterion = _by_criterion(round_, item.sheets, letters)
    return ChairItem(**item.shared(), stepped_out=_stepped_out_names(application),
                     declared=_declared(application),
                     speak_first_count=item.speak_first_count(),
                     criteria=criteria, by_criterion=by_criterion,
                     how_sure=for_application(round_, application.reference,
                                              application.title, item.found))


def screen_item(round_: Round, meeting: Meeting | None) -> SharedItem | None:
    application = _current(meeting)
    if application is None:
        return None
    return SharedItem(**_Item(round_, meeting, application).shared())


def panellist_item(round_: Round, meeting: Meeting | None, member: PanelMember
                   ) -> PanellistItem | SteppedOutItem | None:
    application = _current(meeting)
    if application is None:
        return None
    if is_stepped_out(member.id, application.id):
        return SteppedOutItem(summary_view(application))
    item = _Item(round_, meeting, application)
    own_sheet = item.sheets.get(member.id)
    group = member.group.key if member.group else None
    return PanellistItem(
        **item.shared(), own=item.marks.get(member.id),
        own_answers=_answers(round_, own_sheet) if own_sheet else [],
        invited_first=item.speak_first is not None and group == LIVED_EXPERIENCE)


def _current(meeting: Meeting | None) -> Application | None:
    if meeting is None or meeting.current_application_id is None:
        return None
    return db.session.get(Application, meeting.current_application_id)


class _Item:
    """The current item's figures for one audience: ``private`` for the chair's own
    screen, else what the room may see (DESIGN.md §4: small groups)."""

    def __init__(self, round_: Round, meeting: Meeting, application: Application,
                 private: bool = False) -> None:
        self.round, self.meeting, self.application = round_, meeting, application
        self.private = private
        self.found = shown_figures(round_)
        self.ref = application.reference
        k = round_.min_group_size
        self.small = (disclosure.small_groups(self.found.final, k).loc[self.ref]
                      | disclosure.small_groups(self.found.initial, k).loc[self.ref])
        self.guarded = bool(self.small.any())
        self.hide = self.guarded and not private  # group figures kept from this audience
        final = self.found.counting[self.found.counting["reference"] == self.ref]
        self.sheets = {int(m): int(s) for m, s in zip(final["member"], final["sheet"])}
        self.marks = self._marks(final)
        self.speak_first = _speak_first(round_)

    def shared(self) -> dict:
        """The fields of :class:`SharedItem`."""
        decision = db.session.scalar(select(Decision).where(
            Decision.application_id == self.application.id))
        number = db.session.scalar(select(AgendaItem.position).where(
            AgendaItem.meeting_id == self.meeting.id,
            AgendaItem.application_id == self.application.id))
        return dict(
            application=blind_view(self.application), number=number or 0,
            marks=sorted(self.marks.values(), key=lambda m: (len(m.letter), m.letter)),
            groups=self._groups(), gap=None if self.hide else self._gap(),
            standing=self._standing(), stepped_out_count=_stepped_out_count(self.application),
            outcome=decision.outcome if decision else None,
            rationale=decision.rationale if decision else "",
            speak_first=self.speak_first,
            show_groups=self.round.show_group_labels and not self.hide,
            guarded=self.guarded, min_group_size=self.round.min_group_size,
            comments=self._comments())

    def speak_first_count(self) -> int:
        return int(self.found.final.sheets.at[self.ref, LIVED_EXPERIENCE]) \
            if LIVED_EXPERIENCE in self.found.final.sheets.columns else 0

    def _marks(self, final: pd.DataFrame) -> dict[int, Mark]:
        initial = self.found.initial_counting
        initial = initial[initial["reference"] == self.ref]
        initial_by_member = dict(zip(initial["member"], initial["score"]))
        members = sorted(final["member"].tolist(),
                         key=lambda m: _shuffle_key(self.application.id, m))
        letters = {member: letter_for(n) for n, member in enumerate(members)}
        labels = {g.key: g.label for g in self.round.groups}
        show = self.round.show_group_labels and not self.hide
        return {int(row.member): Mark(
            letter=letters[row.member],
            group=labels.get(row.group, _("No group")) if show else None,
            score=float(row.score), initial=_float(initial_by_member.get(row.member)))
            for row in final.itertuples()}

    def _groups(self) -> list[GroupFigure]:
        final, initial = self.found.final, self.found.initial
        return [GroupFigure(
            key=g.key, label=g.label,
            score=None if self.hide else _float(final.group_scores.at[self.ref, g.key]),
            initial=None if self.hide else _float(initial.group_scores.at[self.ref, g.key]),
            sheets=int(final.sheets.at[self.ref, g.key]),
            small=bool(self.small.get(g.key, False)), hidden=self.hide)
            for g in self.round.groups]

    def _gap(self) -> Gap | None:
        scores = self.found.final.group_scores
        present = [(scores.at[self.ref, g.key], g.label) for g in self.round.groups
                   if pd.notna(scores.at[self.ref, g.key])]
        if len(present) < 2:
            return None
        (high, high_label), (low, low_label) = max(present), min(present)
        return Gap(high_label, low_label, float(high - low))

    def _standing(self) -> Standing:
        table = self.found.final.table
        funded = table[table["funded"]]
        # With equal group weights the item's score, beside the spread, tells which
        # letter is the small group's: kept from the room, as its group scores are.
        hidden = self.hide and self.round.weighting == "equal_groups"
        return Standing(
            score=None if hidden else _float(table.at[self.ref, "score"]),
            rank=_int(table.at[self.ref, "rank"]),
            ranked=int(table["rank"].notna().sum()),
            funded=bool(table.at[self.ref, "funded"]),
            line_after=int(funded["rank"].max()) if len(funded) else 0,
            funded_total=float(funded["running_total"].max()) if len(funded) else 0.0,
            budget=float(self.found.budget),
            initial_rank=_int(self.found.initial.table.at[self.ref, "rank"]),
            score_hidden=hidden)

    def _comments(self) -> list[Comment]:
        """Every comment for the chair; the shared ones only for everyone else."""
        if not self.sheets:
            return []
        shared = set(db.session.scalars(select(SharedComment.member_id).where(
            SharedComment.application_id == self.application.id)))
        rows = db.session.execute(
            select(ScoreSheet.member_id, ScoreSheet.comment, ScoreSheet.comment_for_chair)
            .where(ScoreSheet.id.in_(list(self.sheets.values())))).all()
        comments = [Comment(self.marks[member].letter, text.strip(), for_chair,
                            member in shared and not for_chair)
                    for member, text, for_chair in rows if text and text.strip()]
        if not self.private:
            comments = [c for c in comments if c.shared]
        return sorted(comments, key=lambda c: (len(c.letter), c.letter))


def letter_of(round_: Round, application: Application, letter: str) -> int | None:
    """The member behind ``letter`` on ``application`` now (for the chair's choices)."""
    meeting = db.session.scalar(select(Meeting).where(Meeting.round_id == round_.id))
    item = _Item(round_, meeting, application, private=True)
    return next((member for member, mark in item.marks.items() if mark.letter == letter),
                None)


def _answers(round_: Round, sheet_id: int) -> list[tuple[str, str]]:
    """(criterion, answer in the scale's words) of one sheet, in the rubric's order."""
    values = _values_of([sheet_id]).get(sheet_id, {})
    return [(content(c, "name", note=False), in_words(round_, c, values.get(c.id)))
            for c in round_.criteria]


def _values_of(sheet_ids: list[int]) -> dict[int, dict[int, int | None]]:
    """{sheet: {criterion: value}} for these sheets, in one statement."""
    found: dict[int, dict[int, int | None]] = {sheet: {} for sheet in sheet_ids}
    rows = db.session.execute(
        select(CriterionScore.sheet_id, CriterionScore.criterion_id, CriterionScore.value)
        .where(CriterionScore.sheet_id.in_(sheet_ids))).all() if sheet_ids else []
    for sheet, criterion, value in rows:
        found[sheet][criterion] = value
    return found


def _by_criterion(round_: Round, sheets: dict[int, int], letters: dict[int, str]
                  ) -> tuple[list[str], list[CriterionRow]]:
    values = _values_of(list(sheets.values()))
    rows = [CriterionRow(letters[member], [in_words(round_, c, values[sheet].get(c.id))
                                           for c in round_.criteria])
            for member, sheet in sheets.items()]
    return ([c.name for c in round_.criteria],
            sorted(rows, key=lambda r: (len(r.letter), r.letter)))


def _shuffle_key(application_id: int, member_id: int) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"{application_id}:{member_id}".encode(), hashlib.sha256).hexdigest()


def letter_for(n: int) -> str:
    """0 → A, 25 → Z, 26 → AA, like spreadsheet columns."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _stepped_out_members(application: Application):
    return (select(PanelMember.id, User.name).join(User, PanelMember.user_id == User.id)
            .join(Conflict, Conflict.member_id == PanelMember.id)
            .where(Conflict.application_id == application.id, stepping_out()).distinct())


def _stepped_out_names(application: Application) -> list[str]:
    """For the chair: the name of each member who stepped out, in name order."""
    rows = db.session.execute(_stepped_out_members(application).order_by(User.name)).all()
    return [name for _, name in rows]


def _stepped_out_count(application: Application) -> int:
    return db.session.scalar(select(func.count()).select_from(
        _stepped_out_members(application).subquery())) or 0


def declared_clause():
    """A declared-level connection the chair should know about: not dismissed, and a
    suggestion from profile matching only once an officer confirmed it."""
    return and_(Conflict.level == "declared", or_(
        Conflict.status == "confirmed",
        and_(Conflict.status == "pending", Conflict.source != "suggested")))


def _declared(application: Application) -> list[Connection]:
    rows = db.session.execute(
        select(User.name, Conflict.kind, Conflict.details, Conflict.source)
        .join(PanelMember, PanelMember.user_id == User.id)
        .join(Conflict, Conflict.member_id == PanelMember.id)
        .where(Conflict.application_id == application.id, declared_clause())
        .order_by(User.name, Conflict.id)).all()
    # Only the member's own words: a profile match ("Possible match: … ~ organisation") or
    # an officer's note may quote the identifying fields the chair never sees (§4).
    return [Connection(name, KIND_AS_DECLARED.get(kind, kind), details if source == "declared" else "")
            for name, kind, details, source in rows]


def _speak_first(round_: Round) -> str | None:
    """The label of the lived-experience group when the round invites it to speak
    first; None when it does not, or has no such group."""
    if not round_.lived_experience_first:
        return None
    group = next((g for g in round_.groups if g.key == LIVED_EXPERIENCE), None)
    return group.label if group else None


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
