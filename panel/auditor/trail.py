"""The decision trail as the auditor reads it (DESIGN.md §7, issue 7).

Events are filtered by round, application, person, action and date, and each is resolved
to what it is about (the application, the person) in the same query, so a page costs the
same few queries however long the trail is. The trail page is paged newest first; one
application's events come in chain order; the CSV export walks the chain in keyset
batches. Nothing here writes."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Iterator

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from panel.accounts.models import User
from panel.audit.chain import canonical_json
from panel.audit.models import AuditEvent
from panel.audit.personal import PERSON, shown_actor, stored_values, unsealed
from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.moderation.models import Decision
from panel.pages import Page, page_bounds
from panel.rounds.models import Application, Assignment, PanelMember, Round
from panel.scoring.models import ScoreSheet
from panel.spreadsheets import CsvWriter

PER_PAGE = 50
EXPORT_BATCH = 1_000

# Every action FairPanel writes (grep panel/ for "record("), in plain English: lazy, read
# in the reader's language when shown (staff pages: English until a Welsh catalogue for
# them is commissioned). The trail's CSV keeps the action codes.
ACTION_LABELS = {
    "user.created": _l("Account created"),
    "user.erased": _l("Personal data erased"),
    "user.data_downloaded": _l("Own data downloaded"),
    "user.invitation_sent": _l("Invitation sent"),
    "user.sign_in_link_sent": _l("Sign-in link sent"),
    "user.signed_in": _l("Signed in"),
    "user.signed_out": _l("Signed out"),
    "user.password_set": _l("Password set"),
    "user.roles_changed": _l("Staff roles changed"),
    "user.enabled": _l("Account turned on"),
    "user.disabled": _l("Account turned off"),
    "user.second_factor_enrolled": _l("Two-step sign-in set up"),
    "user.second_factor_reset": _l("Two-step sign-in reset"),
    "user.recovery_code_used": _l("Signed in with a recovery code"),
    "user.recovery_codes_replaced": _l("Recovery codes replaced"),
    "user.second_factors_resealed": _l("Authenticator-app secrets sealed with a new key"),
    "round.created": _l("Round created"),
    "round.imported": _l("Round imported from a bundle"),
    "round.exported": _l("Round exported as a bundle"),
    "round.reported": _l("Round report made on the command line (older trails)"),
    "round.phase_changed": _l("Round moved to another phase"),
    "round.details_changed": _l("Round details changed"),
    "round.scale_changed": _l("Scoring scale changed"),
    "round.weighting_changed": _l("Group weighting changed"),
    "round.funding_changed": _l("Budget or funding rule changed"),
    "round.rank_model_changed": _l("Whether the round works out how sure its ranking is changed"),
    "round.blind_changed": _l("Meeting display settings changed"),
    "round.over_budget_acknowledged": _l("Decided over budget, with a reason"),
    "round.public_columns_changed": _l("Columns of the public summary changed"),
    "round.retention_changed": _l("How long the panel's personal data is kept changed"),
    "round.retention_applied": _l("Panel's personal data erased at the end of its keeping time"),
    "criterion.added": _l("Criterion added"),
    "criterion.changed": _l("Criterion changed"),
    "criterion.removed": _l("Criterion removed"),
    "criteria.reordered": _l("Criteria put in a new order"),
    "group.added": _l("Group added"),
    "group.changed": _l("Group changed"),
    "group.removed": _l("Group removed"),
    "application.added": _l("Application added"),
    "applications.imported": _l("Applications imported from a file (how many, and their SHA-256)"),
    "member.added": _l("Added to the panel"),
    "members.imported": _l("Panel members imported from a file (how many, and their SHA-256)"),
    "member.affiliations_changed": _l("Connections profile changed"),
    "reminders.sent": _l("Reminders sent"),
    "assignments.created": _l("Assignments made"),
    "assignments.changed": _l("Assignments changed"),
    "assignment.connection_answered": _l("Connection question answered"),
    "assignment.passed": _l("Passed on an application"),
    "conflict.declared": _l("Conflict declared by the member"),
    "conflict.suggested": _l("Conflict suggested by profile match"),
    "conflict.suggestion_withdrawn": _l("Suggested conflict withdrawn"),
    "conflict.added": _l("Conflict added by an officer"),
    "conflict.imported": _l("Conflict imported"),
    "conflicts.imported": _l("Conflicts imported from a bundle (how many, and their SHA-256)"),
    "conflict.confirmed": _l("Conflict confirmed"),
    "conflict.dismissed": _l("Conflict dismissed"),
    "conflict.level_changed": _l("Conflict level changed"),
    "conflicts.exported": _l("Conflicts downloaded"),
    "sheet.saved": _l("Score sheet saved as a draft"),
    "sheet.submitted": _l("Score sheet sent"),
    "sheet.revised": _l("Score revised in the meeting"),
    "sheet.imported": _l("Score sheet imported"),
    "sheets.imported": _l("Score sheets imported from a bundle (how many, and their SHA-256)"),
    "meeting.started": _l("Meeting started"),
    "meeting.agenda_moved": _l("Agenda changed"),
    "meeting.item_opened": _l("Application taken in the meeting"),
    "meeting.item_skipped": _l("Application skipped in the meeting"),
    "meeting.item_closed": _l("Meeting moved past the last application"),
    "meeting.comment_shown": _l("Comment shown on the shared screen"),
    "meeting.comment_hidden": _l("Comment taken off the shared screen"),
    "decision.recorded": _l("Outcome recorded"),
    "lottery.committed": _l("Draw prepared (commitment)"),
    "lottery.drawn": _l("Draw made"),
    "decision.imported": _l("Outcome imported"),
    "decisions.imported": _l("Outcomes imported from a bundle (how many, and their SHA-256)"),
    "audit.anchored": _l("Trail anchored for a decided round"),
    "audit.exported": _l("Trail downloaded"),
    "report.exported": _l("Report or summary downloaded"),
    "payment.rate_changed": _l("How a group is paid changed"),
    "payment.choice_changed": _l("Chose whether to be paid"),
    "payment.approved": _l("Time and pay approved"),
    "payment.approval_withdrawn": _l("Approval of time and pay withdrawn"),
    "payments.exported": _l("Payments downloaded"),
    "time.measured": _l("Time on an application measured (sheet sent)"),
    "time.meeting_joined": _l("Started following the meeting (time recorded)"),
    "time.corrected": _l("Time corrected by the member, with a note"),
}

# Kinds of action, for the filter: (label, prefixes of the actions in it).
FAMILIES = {
    "accounts": (_l("Accounts and signing in"), ("user",)),
    "setup": (_l("Rounds, panels and phases"),
              ("round", "criterion", "criteria", "group", "application", "applications",
               "member", "members", "reminders")),
    "assignments": (_l("Who reviews what"), ("assignments", "assignment")),
    "conflicts": (_l("Conflicts of interest"), ("conflict", "conflicts")),
    "sheets": (_l("Score sheets"), ("sheet", "sheets")),
    "meeting": (_l("The meeting and its outcomes"),
                ("meeting", "decision", "decisions", "lottery")),
    "reports": (_l("Reports downloaded"), ("report",)),
    "payments": (_l("Time and payment"), ("payment", "payments", "time")),
    "audit": (_l("The trail itself"), ("audit",)),
}
ALL_OF = "all:"

OBJECT_WORDS = {
    "users": _l("Account"), "panel_members": _l("Panel place"), "rounds": _l("Round"),
    "applications": _l("Application"), "assignments": _l("Assignment"),
    "conflicts": _l("Conflict"), "score_sheets": _l("Score sheet"), "decisions": _l("Decision"),
    "meetings": _l("Meeting"), "criteria": _l("Criterion"), "round_groups": _l("Group"),
    "pay_rates": _l("Group's pay"),
}


def action_label(action: str) -> str:
    """Plain words for an action; an action added since this list still reads well."""
    known = ACTION_LABELS.get(action)
    if known:
        return str(known)
    return action.replace(".", ": ").replace("_", " ").capitalize()


def action_choices() -> list[tuple[str, str, str]]:
    """(value, label, group) for the action filter: each kind, then its actions in the
    order of their labels in the reader's language."""
    choices = []
    for key, (family, prefixes) in FAMILIES.items():
        label = str(family)
        choices.append((ALL_OF + key, _("All: %(kind)s", kind=label.lower()), label))
        labels = {a: str(words) for a, words in ACTION_LABELS.items()
                  if a.split(".")[0] in prefixes}
        choices.extend((a, labels[a], label) for a in sorted(labels, key=labels.get))
    return choices


@dataclass(frozen=True)
class TrailFilters:
    """What the auditor asked for; everything empty is the whole trail."""

    round: Round | None = None
    application: Application | None = None
    person: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None  # inclusive

    def conditions(self) -> list[ColumnElement[bool]]:
        found = []
        if self.round is not None:
            found.append(AuditEvent.round_id == self.round.id)
        if self.application is not None:
            found.append(about_application(self.application))
        if self.person:
            found.append(about_person(self.person))
        if self.action:
            found.append(_action_is(self.action))
        if self.date_from is not None:
            found.append(AuditEvent.occurred_at >= datetime.combine(self.date_from, time()))
        if self.date_to is not None:
            found.append(AuditEvent.occurred_at
                         < datetime.combine(self.date_to + timedelta(days=1), time()))
        return found

    def described(self) -> dict[str, str | None]:
        """The filters as written on the export's audit event."""
        return {
            "round": self.round.slug if self.round else None,
            "reference": self.application.reference if self.application else None,
            "person": self.person or None,
            "action": self.action or None,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }

    @property
    def any(self) -> bool:
        return any(value is not None for value in self.described().values())


def about_application(application: Application) -> ColumnElement[bool]:
    """Events on the application itself, its assignments, sheets, conflicts and decision,
    and the meeting taking it (the meeting's events name it in their values)."""
    reference = application.reference
    return or_(
        and_(AuditEvent.object_type == "applications",
             AuditEvent.object_id == str(application.id)),
        *(_object_in(model, model.application_id == application.id)
          for model in (Assignment, ScoreSheet, Conflict, Decision)),
        and_(AuditEvent.object_type == "meetings", AuditEvent.round_id == application.round_id,
             or_(AuditEvent.after["application"].as_string() == reference,
                 and_(AuditEvent.action == "meeting.item_closed",
                      AuditEvent.before["application"].as_string() == reference))),
    )


def about_person(text: str) -> ColumnElement[bool]:
    """Events by anyone whose e-mail or name contains ``text`` (any case), and events
    about them: their account, panel places, assignments, sheets and conflicts. Who
    acted is their account now (``actor_id``) or, for events written before the trail
    sealed personal values, the e-mail they had then (``actor``)."""
    pattern = f"%{_like_escaped(text.lower())}%"
    matching = or_(func.lower(User.email).like(pattern, escape="\\"),
                   func.lower(User.name).like(pattern, escape="\\"))
    users = select(User.id).where(matching).correlate(None)
    members = select(PanelMember.id).where(PanelMember.user_id.in_(users)).correlate(None)
    return or_(
        and_(AuditEvent.actor != PERSON,
             func.lower(AuditEvent.actor).like(pattern, escape="\\")),
        AuditEvent.actor_id.in_(users),
        _object_in(User, matching),
        _object_in(PanelMember, PanelMember.id.in_(members)),
        *(_object_in(model, model.member_id.in_(members))
          for model in (Assignment, ScoreSheet, Conflict)),
    )


def _object_in(model, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    # object_id is text: compare with the ids written as text, so the index on
    # (object_type, object_id) is used.
    ids = select(cast(model.id, String)).where(condition).correlate(None)
    return and_(AuditEvent.object_type == model.__tablename__, AuditEvent.object_id.in_(ids))


def _action_is(value: str) -> ColumnElement[bool]:
    if value.startswith(ALL_OF):
        _, prefixes = FAMILIES[value.removeprefix(ALL_OF)]
        return or_(*(AuditEvent.action.startswith(prefix + ".", autoescape=True)
                     for prefix in prefixes))
    return AuditEvent.action == value


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Events resolved to what they are about ---------------------------------------------------

@dataclass(frozen=True)
class TrailEvent:
    id: int
    occurred_at: datetime
    actor: str
    actor_name: str | None
    action: str
    object_type: str | None
    object_id: str | None
    before: Any
    after: Any
    hash: str
    round_slug: str | None
    round_title: str | None
    application_reference: str | None
    application_title: str | None
    person_name: str | None
    person_email: str | None
    revision: int | None

    @property
    def label(self) -> str:
        return action_label(self.action)

    @property
    def object_words(self) -> str:
        if self.object_type is None:
            return _("Nothing in particular")
        thing = str(OBJECT_WORDS.get(self.object_type, self.object_type))
        if self.revision is None:
            return _("%(thing)s %(id)s", thing=thing, id=self.object_id)
        if self.revision == 0:
            return _("%(thing)s %(id)s, initial", thing=thing, id=self.object_id)
        return _("%(thing)s %(id)s, revision %(n)s", thing=thing, id=self.object_id,
                 n=self.revision)

    @property
    def reference(self) -> str | None:
        """The application the event is about, if any: from its object, else from the
        values of a meeting event."""
        if self.application_reference:
            return self.application_reference
        for values in (self.after, self.before):
            found = values.get("application") if isinstance(values, dict) else None
            if isinstance(found, str) and found:
                return found
        return None

    @property
    def before_values(self) -> list[tuple[str, str]]:
        return _values(self.before)

    @property
    def after_values(self) -> list[tuple[str, str]]:
        return _values(self.after)


def readable(value: Any) -> str:
    """A recorded value in words: nested values flattened, nothing hidden."""
    if value is None:
        return _("(none)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return value if value else _("(blank)")
    if isinstance(value, list):
        return ", ".join(readable(v) for v in value) if value else _("(none)")
    if isinstance(value, dict):
        return "; ".join(f"{_words(k)}: {readable(v)}" for k, v in value.items()) \
            or _("(none)")
    return str(value)


def _values(values: Any) -> list[tuple[str, str]]:
    if values is None:
        return []
    if not isinstance(values, dict):
        return [("value", readable(values))]
    return [(_words(key), readable(value)) for key, value in values.items()]


def _words(key: Any) -> str:
    return str(key).replace("_", " ")


def _resolved() -> Select:
    """Events with who acted (name), the round, and what each is about: the application
    and the person behind an application, assignment, sheet, conflict, decision, panel
    place or account. Outer joins on the object: one query whatever the mix."""
    actor, person = aliased(User), aliased(User)
    sheet, assignment = aliased(ScoreSheet), aliased(Assignment)
    conflict, decision = aliased(Conflict), aliased(Decision)
    member, application, round_ = aliased(PanelMember), aliased(Application), aliased(Round)

    def object_key(table: str):
        # Only cast where the type says the id is one of that table's.
        return case((AuditEvent.object_type == table, cast(AuditEvent.object_id, Integer)))

    member_id = func.coalesce(object_key("panel_members"), sheet.member_id,
                              assignment.member_id, conflict.member_id)
    application_id = func.coalesce(object_key("applications"), sheet.application_id,
                                   assignment.application_id, conflict.application_id,
                                   decision.application_id)
    return (
        select(AuditEvent.id, AuditEvent.occurred_at, AuditEvent.actor, actor.name,
               AuditEvent.action, AuditEvent.object_type, AuditEvent.object_id,
               AuditEvent.before, AuditEvent.after, AuditEvent.hash, round_.slug,
               round_.title, application.reference, application.title, person.name,
               person.email, sheet.revision, AuditEvent.format,
               actor.email.label("actor_email"))
        .select_from(AuditEvent)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .outerjoin(round_, round_.id == AuditEvent.round_id)
        .outerjoin(sheet, sheet.id == object_key("score_sheets"))
        .outerjoin(assignment, assignment.id == object_key("assignments"))
        .outerjoin(conflict, conflict.id == object_key("conflicts"))
        .outerjoin(decision, decision.id == object_key("decisions"))
        .outerjoin(member, member.id == member_id)
        .outerjoin(person, person.id == func.coalesce(object_key("users"), member.user_id))
        .outerjoin(application, application.id == application_id)
    )


def trail_page(filters: TrailFilters, number: int, per_page: int = PER_PAGE) -> Page:
    """One page of the filtered trail, newest event first. Two queries whatever the
    trail holds: the count, then the page's events with what they are about."""
    conditions = filters.conditions()
    total = db.session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(*conditions)) or 0
    number, pages = page_bounds(total, number, per_page)
    ids = (select(AuditEvent.id).where(*conditions).order_by(AuditEvent.id.desc())
           .limit(per_page).offset((number - 1) * per_page))
    rows = db.session.execute(_resolved().where(AuditEvent.id.in_(ids))
                              .order_by(AuditEvent.id.desc())).all()
    return Page(_trail_events(rows), number, pages, total)


def application_events(application: Application) -> list[TrailEvent]:
    """Every event about one application, in chain order."""
    rows = db.session.execute(_resolved().where(about_application(application))
                              .order_by(AuditEvent.id)).all()
    return _trail_events(rows)


def _trail_events(rows) -> list[TrailEvent]:
    """Rows of :func:`_resolved` as the auditor reads them: who acted in words, and the
    personal values of format-2 events joined back in ("erased" once erased)."""
    stored = stored_values(row.id for row in rows if row.format > 1)
    return [TrailEvent(*row[:2], shown_actor(row.format, row.actor, row.actor_email),
                       *row[3:7], unsealed("before", row.before, stored.get(row.id, {})),
                       unsealed("after", row.after, stored.get(row.id, {})), *row[9:17])
            for row in rows]


def round_event_count(round_: Round) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.round_id == round_.id)) or 0


def head_id() -> int:
    """The newest event's position in the chain (0 when the trail is empty)."""
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


# The CSV export -------------------------------------------------------------------------

CSV_HEADER = ["id", "occurred_at", "actor", "action", "object_type", "object_id", "round",
              "before", "after", "prev_hash", "hash"]


def csv_chunks(filters: TrailFilters, up_to: int, batch: int = EXPORT_BATCH) -> Iterator[str]:
    """The filtered trail up to event ``up_to`` as CSV text, in chain order, one chunk per
    batch of events: memory stays flat however long the trail. Every text cell is safe to
    open in a spreadsheet; before and after are canonical JSON, with the personal values
    of format-2 events joined back in (as the trail page shows them; the verification
    kit's trail.csv has exactly what was hashed).

    The filters become SQL here, at once: the chunks are made after the request's own
    database session has ended, when its rounds and applications can no longer be read."""
    return _csv_chunks([*filters.conditions(), AuditEvent.id <= up_to], batch)


def _csv_chunks(conditions: list[ColumnElement[bool]], batch: int) -> Iterator[str]:
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(CSV_HEADER)
    yield _emptied(buffer)
    query = (select(AuditEvent.id, AuditEvent.occurred_at, AuditEvent.actor, AuditEvent.action,
                    AuditEvent.object_type, AuditEvent.object_id, Round.slug,
                    AuditEvent.before, AuditEvent.after, AuditEvent.prev_hash, AuditEvent.hash,
                    AuditEvent.format, User.email.label("actor_email"))
             .select_from(AuditEvent).outerjoin(Round, Round.id == AuditEvent.round_id)
             .outerjoin(User, User.id == AuditEvent.actor_id)
             .where(*conditions).order_by(AuditEvent.id).limit(batch))
    last = 0
    while True:
        # Keyset batches: each starts after the last id written.
        rows = db.session.execute(query.where(AuditEvent.id > last)).all()
        if not rows:
            return
        stored = stored_values(row.id for row in rows if row.format > 1)
        for row in rows:
            writer.writerow(_csv_row(row, stored.get(row.id, {})))
        yield _emptied(buffer)
        last = rows[-1].id


def _emptied(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _csv_row(row, stored: dict[str, tuple[str, str]]) -> list:
    def text(value: str | None) -> str:
        return value or ""

    def as_json(value: Any) -> str:
        return "" if value is None else canonical_json(value)

    return [row.id, row.occurred_at.isoformat(timespec="microseconds") + "Z",
            text(shown_actor(row.format, row.actor, row.actor_email)), text(row.action),
            text(row.object_type), text(row.object_id), text(row.slug),
            as_json(unsealed("before", row.before, stored)),
            as_json(unsealed("after", row.after, stored)), row.prev_hash, row.hash]
