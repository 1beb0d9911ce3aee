"""What each person in the meeting is shown (DESIGN.md §4, §6): the agenda for the chair,
and the current item built separately for each audience, so that a page is never handed
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
from sqlalchemy import and_, func, or_, select

from panel.accounts.models import User
from panel.conflicts.models import KIND_AS_DECLARED, Conflict
from panel.conflicts.rules import stepping_out
from panel.extensions import db
from panel.moderation import agenda
from panel.moderation.chart import Chart, spread_chart
from panel.moderation.meeting import shown_figures
from panel.moderation.models import OUTCOME_LABELS, AgendaItem, Decision, Meeting
from panel.rounds.models import Application, PanelMember, Round
from panel.scoring.blind import BlindApplication, BlindSummary, blind_view, summary_view
from panel.scoring.figures import Figures
from panel.scoring.queries import is_stepped_out

LIVED_EXPERIENCE = "lived_experience"


# The agenda (the chair and officers) ---------------------------------------------------------

@dataclass(frozen=True)
class AgendaRow:
    position: int
    reference: str
    title: str
    status: str  # now, decided, skipped, waiting
    outcome: str | None
    gap: float
    spread: float
    rank: int | None
    funded: bool


def agenda_rows(meeting: Meeting, found: Figures | None = None) -> list[AgendaRow]:
    round_ = db.session.get(Round, meeting.round_id)
    found = found or shown_figures(round_)
    table = found.final.table
    spread = agenda.disagreement(found.final, found.counting)
    rows = db.session.execute(
        select(AgendaItem.position, AgendaItem.skipped_at, AgendaItem.application_id,
               Application.reference, Application.title, Decision.outcome)
        .join(Application, AgendaItem.application_id == Application.id)
        .outerjoin(Decision, Decision.application_id == Application.id)
        .where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)).all()
    return [AgendaRow(
        position=row.position, reference=row.reference, title=row.title,
        status=_status(meeting, row), outcome=row.outcome,
        gap=float(spread.at[row.reference, "gap"]),
        spread=float(spread.at[row.reference, "spread"]),
        rank=_int(table.at[row.reference, "rank"]),
        funded=bool(table.at[row.reference, "funded"])) for row in rows]


def _status(meeting: Meeting, row) -> str:
    if row.application_id == meeting.current_application_id:
        return "now"
    if row.outcome is not None:
        return "decided"
    return "skipped" if row.skipped_at is not None else "waiting"


# The current item ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Mark:
    """One counting sheet on the spread: a letter, never a name."""

    letter: str
    group: str | None  # the group's label, None when the round hides group labels
    score: float
    initial: float | None

    @property
    def moved(self) -> bool:
        return self.initial is not None and round(self.initial, 6) != round(self.score, 6)


@dataclass(frozen=True)
class GroupFigure:
    key: str
    label: str
    score: float | None
    initial: float | None
    sheets: int


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


@dataclass(frozen=True)
class Connection:
    name: str
    kind: str
    details: str


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
    speak_first: str | None
    show_groups: bool

    @property
    def outcome_label(self) -> str | None:
        return OUTCOME_LABELS.get(self.outcome) if self.outcome else None

    @property
    def chart(self) -> Chart:
        return spread_chart(self.marks, [g.label for g in self.groups])


@dataclass(frozen=True)
class ChairItem(SharedItem):
    """The chair's screen: who stepped out and the connections declared, by name."""

    stepped_out: list[str]
    declared: list[Connection]


@dataclass(frozen=True)
class PanellistItem(SharedItem):
    """A panellist's phone: the shared screen, and which mark is theirs (None when they
    have no counting sheet on the item)."""

    own: Mark | None


@dataclass(frozen=True)
class SteppedOutItem:
    """A panellist who stepped out of the item is told so, and shown nothing more."""

    application: BlindSummary


def chair_item(round_: Round, meeting: Meeting | None) -> ChairItem | None:
    application = _current(meeting)
    if application is None:
        return None
    shared, _ = _shared(round_, meeting, application)
    return ChairItem(**shared, stepped_out=_stepped_out_names(application),
                     declared=_declared(application))


def screen_item(round_: Round, meeting: Meeting | None) -> SharedItem | None:
    application = _current(meeting)
    if application is None:
        return None
    return SharedItem(**_shared(round_, meeting, application)[0])


def panellist_item(round_: Round, meeting: Meeting | None, member: PanelMember
                   ) -> PanellistItem | SteppedOutItem | None:
    application = _current(meeting)
    if application is None:
        return None
    if is_stepped_out(member.id, application.id):
        return SteppedOutItem(summary_view(application))
    shared, marks = _shared(round_, meeting, application)
    return PanellistItem(**shared, own=marks.get(member.id))


def _current(meeting: Meeting | None) -> Application | None:
    if meeting is None or meeting.current_application_id is None:
        return None
    return db.session.get(Application, meeting.current_application_id)


def _shared(round_: Round, meeting: Meeting, application: Application
            ) -> tuple[dict, dict[int, Mark]]:
    """The fields of :class:`SharedItem`, and each member's mark (for their own phone)."""
    found = shown_figures(round_)
    ref = application.reference
    decision = db.session.scalar(select(Decision).where(
        Decision.application_id == application.id))
    number = db.session.scalar(select(AgendaItem.position).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.application_id == application.id))
    marks = _marks(round_, application, found, {g.key: g.label for g in round_.groups})
    return dict(
        application=blind_view(application), number=number or 0,
        marks=sorted(marks.values(), key=lambda m: (len(m.letter), m.letter)),
        groups=_groups(round_, found, ref),
        gap=_gap(round_, found, ref),
        standing=_standing(found, ref, found.final.table),
        stepped_out_count=_stepped_out_count(application),
        outcome=decision.outcome if decision else None,
        rationale=decision.rationale if decision else "",
        speak_first=_speak_first(round_),
        show_groups=round_.show_group_labels,
    ), marks


def _marks(round_: Round, application: Application, found: Figures,
           labels: dict[str, str]) -> dict[int, Mark]:
    final = found.counting[found.counting["reference"] == application.reference]
    initial = found.initial_counting[found.initial_counting["reference"] == application.reference]
    initial_by_member = dict(zip(initial["member"], initial["score"]))
    members = sorted(final["member"].tolist(), key=lambda m: _shuffle_key(application.id, m))
    letters = {member: letter_for(n) for n, member in enumerate(members)}
    return {int(row.member): Mark(
        letter=letters[row.member],
        group=labels.get(row.group, "No group") if round_.show_group_labels else None,
        score=float(row.score), initial=_float(initial_by_member.get(row.member)))
        for row in final.itertuples()}


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


def _groups(round_: Round, found: Figures, ref: str) -> list[GroupFigure]:
    return [GroupFigure(key=g.key, label=g.label,
                        score=_float(found.final.group_scores.at[ref, g.key]),
                        initial=_float(found.initial.group_scores.at[ref, g.key]),
                        sheets=int(found.final.sheets.at[ref, g.key]))
            for g in round_.groups]


def _gap(round_: Round, found: Figures, ref: str) -> Gap | None:
    present = [(found.final.group_scores.at[ref, g.key], g.label) for g in round_.groups
               if pd.notna(found.final.group_scores.at[ref, g.key])]
    if len(present) < 2:
        return None
    (high, high_label), (low, low_label) = max(present), min(present)
    return Gap(high_label, low_label, float(high - low))


def _standing(found: Figures, ref: str, table: pd.DataFrame) -> Standing:
    funded = table[table["funded"]]
    return Standing(
        score=_float(table.at[ref, "score"]), rank=_int(table.at[ref, "rank"]),
        ranked=int(table["rank"].notna().sum()), funded=bool(table.at[ref, "funded"]),
        line_after=int(funded["rank"].max()) if len(funded) else 0,
        funded_total=float(funded["running_total"].max()) if len(funded) else 0.0,
        budget=float(found.budget),
        initial_rank=_int(found.initial.table.at[ref, "rank"]))


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
    """The label of the group invited to speak first, when the round asks for it."""
    if not round_.lived_experience_first:
        return None
    group = next((g for g in round_.groups if g.key == LIVED_EXPERIENCE), None)
    return group.label if group else "Lived experience"


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
