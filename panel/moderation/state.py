"""What the meeting shows (DESIGN.md §4, §6): the agenda and the current item, computed
from the round with :mod:`panel.scoring.rules`, so every number agrees with the ranking
page and the report.

Scores stand beside letters, never names. Letters are drawn afresh for each
application (a keyed hash of the member and the application), so a letter says nothing
about who a person is on the next item, yet stays put while the item is discussed: the
room can watch "C" move from 40 to 60 after a revision.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from flask import current_app
from sqlalchemy import and_, func, or_, select

from panel.accounts.models import User
from panel.audit.models import AuditEvent
from panel.conflicts.models import Conflict
from panel.conflicts.rules import stepping_out
from panel.extensions import db
from panel.moderation import agenda
from panel.moderation.chart import Chart, spread_chart
from panel.moderation.models import AgendaItem, Decision, Meeting
from panel.rounds.models import Application, PanelMember, Round
from panel.scoring import rules
from panel.scoring.blind import BlindApplication, blind_view
from panel.scoring.forms import KIND_LABELS
from panel.scoring.report import load_frames, round_rules

OUTCOME_LABELS = {
    "keep": "Keep the score-based result",
    "fund": "Fund",
    "do_not_fund": "Do not fund",
    "no_consensus": "No consensus (keep the score-based result)",
}
OUTCOME_SHORT = {"keep": "Keep", "fund": "Fund", "do_not_fund": "Do not fund",
                 "no_consensus": "No consensus"}
LIVED_EXPERIENCE = "lived_experience"


def version(round_: Round) -> int:
    """Changes whenever anything in the round changes: every change is an audit event
    (DESIGN.md §7), so the newest event of the round is the meeting's version. One
    indexed lookup, cheap enough to ask every second or two from every phone."""
    return db.session.scalar(select(func.max(AuditEvent.id))
                             .where(AuditEvent.round_id == round_.id)) or 0


def meeting_of(round_: Round) -> Meeting | None:
    return db.session.scalar(select(Meeting).where(Meeting.round_id == round_.id))


# The round's figures ---------------------------------------------------------------------

@dataclass
class Figures:
    """Final and initial rankings with the sheets behind them."""

    final: rules.Ranking
    initial: rules.Ranking
    counting: pd.DataFrame          # final counting sheets: member, group, reference, score
    initial_counting: pd.DataFrame
    budget: Decimal


def figures(round_: Round) -> Figures:
    frames = load_frames(round_, criteria=False)
    settings = round_rules(round_)
    scored = rules.scored_sheets(frames["sheets"], frames["sums"], settings)
    final_sheets = rules.counting_sheets(scored, frames["conflicts"], "final")
    initial_sheets = rules.counting_sheets(scored, frames["conflicts"], "initial")
    return Figures(final=rules.ranking(final_sheets, frames["applications"], settings),
                   initial=rules.ranking(initial_sheets, frames["applications"], settings),
                   counting=final_sheets, initial_counting=initial_sheets,
                   budget=round_.budget)


def shown_figures(round_: Round) -> Figures:
    """:func:`figures` for pages, kept per process until the round's version moves on:
    when the meeting changes, every phone following it asks again within a second, and
    only the first request in each worker does the sums. Never for a change in
    progress (the version counts committed changes only)."""
    cache = current_app.extensions.setdefault("fairpanel_meeting_figures", {})
    now = version(round_)
    found = cache.get(round_.id)
    if found is None or found[0] != now:
        found = cache[round_.id] = (now, figures(round_))
    return found[1]


def default_order(round_: Round) -> list[str]:
    found = figures(round_)
    return agenda.default_order(found.final, found.counting)


# The agenda --------------------------------------------------------------------------------

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


@dataclass(frozen=True)
class Progress:
    total: int
    decided: int
    skipped: int

    @property
    def left(self) -> int:
        return self.total - self.decided


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


def progress(meeting: Meeting) -> Progress:
    total, decided, skipped = db.session.execute(
        select(func.count(AgendaItem.id), func.count(Decision.id),
               func.count(AgendaItem.skipped_at).filter(Decision.id.is_(None)))
        .outerjoin(Decision, Decision.application_id == AgendaItem.application_id)
        .where(AgendaItem.meeting_id == meeting.id)).one()
    return Progress(total, decided, skipped)


def _status(meeting: Meeting, row) -> str:
    if row.application_id == meeting.current_application_id:
        return "now"
    if row.outcome is not None:
        return "decided"
    return "skipped" if row.skipped_at is not None else "waiting"


# The current item ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Mark:
    """One counting sheet on the spread."""

    letter: str
    group: str | None  # the group's label, None when the round hides group labels
    score: float
    initial: float | None
    member_id: int  # never shown; tells a member which letter is theirs

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


@dataclass
class Item:
    application: BlindApplication
    application_id: int
    number: int
    marks: list[Mark]
    groups: list[GroupFigure]
    gap: Gap | None
    standing: Standing
    stepped_out: list[str]
    declared: list[Connection]
    outcome: str | None
    rationale: str
    speak_first: str | None
    show_groups: bool
    scale: tuple[int, int] = (0, 100)
    notes: list[str] = field(default_factory=list)

    @property
    def outcome_label(self) -> str | None:
        return OUTCOME_LABELS.get(self.outcome) if self.outcome else None

    @property
    def chart(self) -> Chart:
        return spread_chart(self.marks, [g.label for g in self.groups])

    def mark_of(self, member_id: int) -> Mark | None:
        return next((m for m in self.marks if m.member_id == member_id), None)


def current_item(round_: Round, meeting: Meeting | None) -> Item | None:
    if meeting is None or meeting.current_application_id is None:
        return None
    application = db.session.get(Application, meeting.current_application_id)
    return item_for(round_, meeting, application)


def item_for(round_: Round, meeting: Meeting, application: Application) -> Item:
    found = shown_figures(round_)
    ref = application.reference
    table = found.final.table
    decision = db.session.scalar(select(Decision).where(
        Decision.application_id == application.id))
    number = db.session.scalar(select(AgendaItem.position).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.application_id == application.id))
    labels = {g.key: g.label for g in round_.groups}
    return Item(
        application=blind_view(application), application_id=application.id,
        number=number or 0,
        marks=_marks(round_, application, found, labels),
        groups=_groups(round_, found, ref),
        gap=_gap(round_, found, ref),
        standing=_standing(found, ref, table),
        stepped_out=_stepped_out(application),
        declared=_declared(application),
        outcome=decision.outcome if decision else None,
        rationale=decision.rationale if decision else "",
        speak_first=_speak_first(round_),
        show_groups=round_.show_group_labels,
    )


def _marks(round_: Round, application: Application, found: Figures,
           labels: dict[str, str]) -> list[Mark]:
    final = found.counting[found.counting["reference"] == application.reference]
    initial = found.initial_counting[found.initial_counting["reference"] == application.reference]
    initial_by_member = dict(zip(initial["member"], initial["score"]))
    members = sorted(final["member"].tolist(), key=lambda m: _shuffle_key(application.id, m))
    letters = {member: letter_for(n) for n, member in enumerate(members)}
    marks = [Mark(letter=letters[row.member],
                  group=labels.get(row.group, "No group") if round_.show_group_labels else None,
                  score=float(row.score), initial=_float(initial_by_member.get(row.member)),
                  member_id=int(row.member))
             for row in final.itertuples()]
    return sorted(marks, key=lambda m: (len(m.letter), m.letter))


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


def _stepped_out(application: Application) -> list[str]:
    return list(db.session.scalars(
        select(User.name).join(PanelMember, PanelMember.user_id == User.id)
        .join(Conflict, Conflict.member_id == PanelMember.id)
        .where(Conflict.application_id == application.id, stepping_out())
        .distinct().order_by(User.name)))


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
    return [Connection(name, KIND_LABELS.get(kind, kind), details if source == "declared" else "")
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
