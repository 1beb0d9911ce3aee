"""Every change made in the moderation meeting (DESIGN.md §3, §6): starting it, the
agenda, moving between items, the chair's outcomes and panellists' revised scores.
Each function checks its rule, flushes and records an audit event; the caller commits.
Errors carry a message written for the person who acted."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from panel.accounts.models import User
from panel.audit.services import record
from panel.extensions import db, utcnow
from panel.moderation import meeting as meetings
from panel.moderation.models import OUTCOMES, AgendaItem, Decision, Meeting
from panel.rounds.models import Application, PanelMember, Round
from panel.scoring import queries as scoring_queries
from panel.scoring.models import CriterionScore, ScoreSheet, is_final_sheet
from panel.scoring.services import UNABLE

REASON_MAX = 500
RATIONALE_MAX = 2000
OUTCOMES_NEEDING_RATIONALE = ("fund", "do_not_fund", "no_consensus")


class MeetingError(ValueError):
    """A rule of the meeting was broken; nothing was changed."""


class StartedElsewhere(MeetingError):
    """Another screen started the meeting a moment ago: this start changes nothing, and
    the meeting is running all the same."""

    def __init__(self) -> None:
        super().__init__(_("The meeting has started."))


SAVED_ELSEWHERE = _l("You changed this score on another device or tab. Here is what is saved "
                     "now.")


# The meeting and its agenda ---------------------------------------------------------------

def start_meeting(actor: User, round_: Round) -> Meeting:
    """Open the meeting with every application on the agenda in the default order, and
    take the first item. Starting twice is harmless: the meeting already exists."""
    _in_moderation(round_)
    meeting = meetings.meeting_of(round_)
    if meeting is not None:
        return meeting
    order = meetings.default_order(round_)
    if not order:
        raise MeetingError(_("This round has no applications to discuss."))
    meeting = Meeting(round_id=round_.id, started_by_id=actor.id)
    db.session.add(meeting)
    try:
        db.session.flush()
    except IntegrityError:
        # Started a moment ago from another screen: the caller rolls back and carries on
        # with that meeting.
        raise StartedElsewhere() from None
    # A national round's agenda is 20,000 items: written in one statement, not as objects.
    ids = dict(db.session.execute(select(Application.reference, Application.id)
                                  .where(Application.round_id == round_.id)).all())
    db.session.connection().execute(insert(AgendaItem.__table__), [
        {"meeting_id": meeting.id, "application_id": ids[ref], "position": n}
        for n, ref in enumerate(order, start=1)])
    db.session.expire(meeting, ["items"])
    record("meeting.started", actor=actor, target=meeting, round_id=round_.id,
           before=None, after={"agenda": order})
    _open(actor, meeting, db.session.scalar(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.position == 1)))
    return meeting


def move_item(actor: User, meeting: Meeting, reference: str, direction: str) -> None:
    """Move an agenda item one place ``up`` or ``down``, or to be ``next`` after the
    current item."""
    _in_moderation(_round(meeting))
    items = list(meeting.items)
    item = _item(meeting, reference)
    here = items.index(item)
    if direction == "up":
        there = here - 1
    elif direction == "down":
        there = here + 1
    elif direction == "next":
        current = next((i for i, x in enumerate(items)
                        if x.application_id == meeting.current_application_id), -1)
        there = current + 1 if current < here else current
    else:
        raise MeetingError(_("Choose up, down or next."))
    if there < 0 or there >= len(items) or there == here:
        return  # already first or last: nothing to change
    items.insert(there, items.pop(here))
    for position, each in enumerate(items, start=1):
        each.position = position
    db.session.flush()
    record("meeting.agenda_moved", actor=actor, target=meeting, round_id=meeting.round_id,
           before={"application": reference, "position": here + 1},
           after={"application": reference, "position": there + 1})


def open_item(actor: User, meeting: Meeting, reference: str) -> None:
    """Take this item now (also returning to a skipped or decided one)."""
    _in_moderation(_round(meeting))
    _open(actor, meeting, _item(meeting, reference))


def skip_item(actor: User, meeting: Meeting) -> AgendaItem | None:
    """Leave the current item without an outcome, to come back to it; take the next."""
    _in_moderation(_round(meeting))
    item = _current(meeting)
    if item is None:
        raise MeetingError(_("There is no item open to skip."))
    item.skipped_at = utcnow()
    db.session.flush()
    record("meeting.item_skipped", actor=actor, target=meeting, round_id=meeting.round_id,
           before=None, after={"application": item.application.reference})
    return next_item(actor, meeting, leaving=item)


def next_item(actor: User, meeting: Meeting, leaving: AgendaItem | None = None) -> AgendaItem | None:
    """Take the next item with no outcome after the current one (skipped items are
    left for later), then any skipped one from the top. None: every item has an outcome."""
    decided = set(db.session.scalars(select(Decision.application_id).join(
        AgendaItem, AgendaItem.application_id == Decision.application_id)
        .where(AgendaItem.meeting_id == meeting.id)))
    items = list(meeting.items)
    leaving = leaving or _current(meeting)
    start = items.index(leaving) + 1 if leaving is not None else 0
    open_ = [x for x in items if x.application_id not in decided and x is not leaving]
    after = [x for x in items[start:] if x in open_ and x.skipped_at is None]
    waiting = after or [x for x in open_ if x.skipped_at is None] or open_
    if waiting:
        _open(actor, meeting, waiting[0])
        return waiting[0]
    _close(actor, meeting)
    return None


def _open(actor: User, meeting: Meeting, item: AgendaItem) -> None:
    if meeting.current_application_id == item.application_id:
        return
    before = _current(meeting)
    meeting.current_application_id, meeting.item_opened_at = item.application_id, utcnow()
    item.skipped_at = None
    db.session.flush()
    record("meeting.item_opened", actor=actor, target=meeting, round_id=meeting.round_id,
           before={"application": before.application.reference if before else None},
           after={"application": item.application.reference, "position": item.position})


def _close(actor: User, meeting: Meeting) -> None:
    before = _current(meeting)
    if before is None:
        return
    meeting.current_application_id, meeting.item_opened_at = None, None
    db.session.flush()
    record("meeting.item_closed", actor=actor, target=meeting, round_id=meeting.round_id,
           before={"application": before.application.reference},
           after={"application": None})


# Outcomes ---------------------------------------------------------------------------------------

def record_outcome(actor: User, meeting: Meeting, outcome: str, rationale: str) -> Decision:
    """The chair's outcome for the current item, with a rationale (needed for anything
    but ``keep``). Recording it again replaces it; the trail keeps both."""
    _in_moderation(_round(meeting))
    item = _current(meeting)
    if item is None:
        raise MeetingError(_("There is no item open. Choose one from the agenda."))
    rationale = (rationale or "").strip()
    if outcome not in OUTCOMES:
        raise MeetingError(_("Choose an outcome."))
    if outcome in OUTCOMES_NEEDING_RATIONALE and not rationale:
        raise MeetingError(_("Write the reason for this outcome."))
    if len(rationale) > RATIONALE_MAX:
        raise MeetingError(_("Write the reason in %(max)s characters or fewer.",
                             max=f"{RATIONALE_MAX:,}"))
    decision = db.session.scalar(select(Decision).where(
        Decision.application_id == item.application_id))
    before = _decision(decision)
    if before == {"outcome": outcome, "rationale": rationale}:
        return decision
    if decision is None:
        decision = Decision(application_id=item.application_id)
        db.session.add(decision)
    decision.outcome, decision.rationale = outcome, rationale
    decision.recorded_by_id, decision.recorded_at = actor.id, utcnow()
    db.session.flush()
    record("decision.recorded", actor=actor, target=decision, round_id=meeting.round_id,
           before=before, after={"application": item.application.reference, "outcome": outcome,
                                 "rationale": rationale})
    return decision


def _decision(decision: Decision | None) -> dict[str, Any] | None:
    return None if decision is None else {"outcome": decision.outcome,
                                          "rationale": decision.rationale}


# Revised scores ---------------------------------------------------------------------------------

def revisable_sheet(member: PanelMember, meeting: Meeting | None) -> ScoreSheet | None:
    """The member's final sheet on the current item when they may revise it, else None."""
    if revise_refusal(member, meeting) is not None:
        return None
    return latest_sheet(member.id, meeting.current_application_id)


def revise_refusal(member: PanelMember, meeting: Meeting | None) -> str | None:
    """Why ``member`` cannot revise a score now, or None when they can."""
    if not member.round.in_moderation:
        return _("Scores can only be changed during the panel meeting.")
    if meeting is None or meeting.current_application_id is None:
        return _("The chair has not opened an application yet.")
    if member.is_chair:
        return _("The chair does not score applications.")
    if scoring_queries.is_stepped_out(member.id, meeting.current_application_id):
        return _("You have stepped out of this application, so you do not score it.")
    if latest_sheet(member.id, meeting.current_application_id) is None:
        return _("You did not send a score for this application, so there is none to change.")
    return None


def latest_sheet(member_id: int, application_id: int) -> ScoreSheet | None:
    """The member's final sheet: the latest submitted revision, else the submitted
    initial sheet (DESIGN.md §3)."""
    return db.session.scalar(
        select(ScoreSheet).where(ScoreSheet.member_id == member_id,
                                 ScoreSheet.application_id == application_id, is_final_sheet()))


def revise_sheet(actor: User, member: PanelMember, meeting: Meeting, revision: int,
                 scores: dict[str, str], reason: str) -> ScoreSheet:
    """A revised sheet for the current item: the member's new scores with a short
    reason. The initial sheet and earlier revisions stay on record; the comment and
    whether it is for the chair only carry over. ``revision`` is the revision the member
    was shown; if another device revised since, nothing changes."""
    refusal = revise_refusal(member, meeting)
    if refusal:
        raise MeetingError(refusal)
    round_ = member.round
    reason = (reason or "").strip()
    values = _values(round_, scores)
    latest = latest_sheet(member.id, meeting.current_application_id)
    before = _snapshot(latest, round_)
    after = {"scores": values, "comment": latest.comment}
    if latest.revision != revision:
        if latest.revision > 0 and before["scores"] == values and latest.reason == reason:
            return latest  # the same change sent twice: already made
        raise MeetingError(SAVED_ELSEWHERE)
    if not any(v is not None for v in values.values()):
        raise MeetingError(_("Score at least one question."))
    if not reason:
        raise MeetingError(_("Say in a few words why you are changing your score."))
    if len(reason) > REASON_MAX:
        raise MeetingError(_("Write the reason in %(max)s characters or fewer.", max=REASON_MAX))
    if before["scores"] == values:
        raise MeetingError(_("You have not changed any score. Change a score, or go back."))
    sheet = ScoreSheet(member_id=member.id, application_id=meeting.current_application_id,
                       stage="revised", revision=latest.revision + 1, status="submitted",
                       comment=latest.comment, comment_for_chair=latest.comment_for_chair,
                       reason=reason, submitted_at=utcnow())
    criteria = {c.key: c for c in round_.criteria}
    sheet.scores = [CriterionScore(criterion_id=criteria[key].id, value=value)
                    for key, value in values.items()]
    db.session.add(sheet)
    try:
        db.session.flush()
    except IntegrityError:
        raise MeetingError(SAVED_ELSEWHERE) from None  # the caller rolls back
    record("sheet.revised", actor=actor, target=sheet, round_id=round_.id,
           before={"revision": latest.revision, **before},
           after={"revision": sheet.revision, **after, "reason": reason,
                  "application": sheet.application.reference})
    return sheet


def sheet_values(sheet: ScoreSheet | None, round_: Round) -> dict[str, str]:
    """Criterion key → "3" or "unable", for the revision form."""
    return {key: UNABLE if value is None else str(value)
            for key, value in _snapshot(sheet, round_)["scores"].items()}


def _values(round_: Round, scores: dict[str, str]) -> dict[str, int | None]:
    values = {}
    for criterion in round_.criteria:
        raw = str(scores.get(criterion.key) or "").strip()
        if raw == UNABLE:
            values[criterion.key] = None
        elif raw.isdigit() and round_.scale_min <= int(raw) <= round_.scale_max:
            values[criterion.key] = int(raw)
        else:
            raise MeetingError(_("Choose a score for \"%(question)s\": a whole number from "
                                 "%(min)s to %(max)s, or \"I don't feel able to score this\".",
                                 question=criterion.name, min=round_.scale_min,
                                 max=round_.scale_max))
    return values


def _snapshot(sheet: ScoreSheet | None, round_: Round) -> dict[str, Any]:
    if sheet is None:
        return {"scores": {}}
    keys = {c.id: c.key for c in round_.criteria}
    saved = {keys[s.criterion_id]: s.value for s in sheet.scores if s.criterion_id in keys}
    # A criterion the sheet never answered reads as "not able to score".
    return {"scores": {c.key: saved.get(c.key) for c in round_.criteria}}


# Helpers ------------------------------------------------------------------------------------------

def _in_moderation(round_: Round) -> None:
    if not round_.in_moderation:
        raise MeetingError(_("The meeting runs only while the round is in moderation."))


def _round(meeting: Meeting) -> Round:
    return db.session.get(Round, meeting.round_id)


def _item(meeting: Meeting, reference: str) -> AgendaItem:
    item = db.session.scalar(select(AgendaItem).join(Application).where(
        AgendaItem.meeting_id == meeting.id, Application.reference == reference))
    if item is None:
        raise MeetingError(_("%(reference)s is not on this meeting's agenda.",
                             reference=reference))
    return item


def _current(meeting: Meeting) -> AgendaItem | None:
    if meeting.current_application_id is None:
        return None
    return db.session.scalar(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id,
        AgendaItem.application_id == meeting.current_application_id))
