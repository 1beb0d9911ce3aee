"""Suggested conflicts from the panellists' connections (DESIGN.md §5).

:func:`refresh_for_member` and :func:`refresh_for_round` run :mod:`panel.conflicts.matching`
against the hidden identifying fields of a round's applications and keep the *suggested*
conflicts in step: a new match raises a pending, step_out suggestion for the officer; a
pending suggestion that no longer matches is withdrawn. Nothing here is ever shown to the
panellist, and a pending suggestion changes nothing they can notice
(:mod:`panel.conflicts.rules`). Each change is audited; the caller commits.

A withdrawn suggestion is *dismissed* with :data:`WITHDRAWN`, not deleted: the audit
trail already names it, so the row stays for the officer and the auditor to read. If the
connection comes back, the same row is reopened rather than a second one raised. A
suggestion an officer dismissed or confirmed is theirs: it is never changed here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from panel import policy
from panel.accounts.models import User
from panel.audit.services import record
from panel.conflicts.matching import Candidates, Match, match_fields
from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.rounds.models import IDENTIFYING_FIELDS, Application, PanelMember, Round

SYSTEM = "conflict matching"
WITHDRAWN = "No longer matches the profile"
# Once decided, a round's conflicts are part of the record: matching leaves them alone.


def identifying_fields(application: Application) -> dict[str, str]:
    """The application's identifying values by field name, extras included (DESIGN.md §4)."""
    fields = {name: getattr(application, name) or "" for name in IDENTIFYING_FIELDS}
    extra = application.extra or {}
    for column in application.round.identifying_columns or []:
        if column not in fields and extra.get(column) not in (None, ""):
            fields[column] = str(extra[column])
    return fields


def details_for(match: Match) -> str:
    """What the officer reads: which connection matched which hidden field."""
    return f"Possible match: {match.affiliation} ~ {match.field}"


def save_connections(actor: User, memberships: list[PanelMember], connections: list[str]) -> None:
    """The panellist's connections page saved: set ``connections`` on every one of their
    memberships, audit each change with before and after, then re-run matching (silently:
    the panellist is never told what matched). Flushes; the caller commits."""
    for member in memberships:
        before = list(member.affiliations or [])
        if before != connections:
            member.affiliations = list(connections)
            db.session.flush()
            record("member.affiliations_changed", actor=actor, target=member,
                   round_id=member.round_id, before={"affiliations": before},
                   after={"affiliations": list(connections)})
        refresh_for_member(member)


def refresh_for_member(member: PanelMember) -> list[Conflict]:
    """Raise, reopen or withdraw ``member``'s suggested conflicts to fit their connections
    now. Returns the suggestions raised or reopened."""
    if member.round.phase not in policy.CONFLICTS_OPEN:
        return []
    return apply_findings(_findings(member, RoundIndex(member.round)))


def refresh_for_round(round_: Round, *, progress: Callable[[str, int, int], None] | None = None
                      ) -> list[Conflict]:
    """:func:`refresh_for_member` for everyone on the round's panel: call it after
    panellists or applications are added (bundle or browser import).
    ``progress(stage, done, total)`` hears every 50 members."""
    return apply_findings(find_for_round(round_, progress=progress))


@dataclass(frozen=True)
class Finding:
    """What matching found for one member and application: a ``match`` to raise (unless
    a conflict is already on record), or none, so a pending suggestion is withdrawn."""

    member: PanelMember
    application: Application
    match: Match | None
    conflicts: list[Conflict]


def find_for_round(round_: Round, *, progress: Callable[[str, int, int], None] | None = None
                   ) -> list[Finding]:
    """Everything :func:`refresh_for_round` would change, found by reading only: a
    bundle import matches before it writes its audit events, so that the trail's lock
    is held only while :func:`apply_findings` writes them."""
    if round_.phase not in policy.CONFLICTS_OPEN:
        return []
    index = RoundIndex(round_)
    members = db.session.scalars(
        select(PanelMember).where(PanelMember.round_id == round_.id).order_by(PanelMember.id)
        .options(selectinload(PanelMember.user))).all()  # a suggestion names its member
    on_record = _conflicts_on_record(round_)
    found = []
    for start in range(0, len(members), _MEMBERS_AT_ONCE):
        if progress is not None:
            progress(_("Matching connections against applications"), start, len(members))
        chunk = members[start:start + _MEMBERS_AT_ONCE]
        candidates = [index.candidates.pairs(member.affiliations or []) for member in chunk]
        existing = _conflicts_of(chunk, candidates, on_record)
        for member, pairs in zip(chunk, candidates):
            found += _findings(member, index, pairs, existing.get(member.id, {}))
    if progress is not None:
        progress(_("Matching connections against applications"), len(members),
                 len(members))
    return found


def apply_findings(findings: list[Finding]) -> list[Conflict]:
    """Raise, reopen or withdraw suggestions as found (flushed, audited); returns the
    suggestions raised or reopened."""
    raised = []
    for finding in findings:
        if finding.match is None:
            _withdraw(finding.member, finding.application, finding.conflicts)
        elif (conflict := _raise(finding.member, finding.application, finding.match,
                                 finding.conflicts)) is not None:
            raised.append(conflict)
    return raised


def _findings(member: PanelMember, index: RoundIndex,
              pairs: dict[int, set[tuple[str, str]]] | None = None,
              existing: dict[int, list[Conflict]] | None = None) -> list[Finding]:
    """What matching finds for ``member``: ``pairs`` (their candidates in ``index``) and
    ``existing`` (:func:`_conflicts_by_application`'s answer) when already known."""
    if pairs is None:
        pairs = index.candidates.pairs(member.affiliations or [])
    maybe = set(pairs)
    if existing is None:
        existing = _conflicts_by_application(member, maybe)
    # Only applications that may match, or hold a suggestion that may be withdrawn: for
    # every other one, matching would find nothing and withdraw nothing.
    found = []
    for application, fields in index.in_order(maybe | set(existing)):
        matches = match_fields(member.affiliations or [], fields,
                               only=pairs.get(application.id, set()))
        conflicts = existing.get(application.id, [])
        if matches or any(_pending_suggestion(c) for c in conflicts):
            found.append(Finding(member, application, matches[0] if matches else None,
                                 conflicts))
    return found


def _pending_suggestion(conflict: Conflict) -> bool:
    return conflict.source == "suggested" and conflict.status == "pending"


class RoundIndex:
    """A round's applications, their identifying fields and the matching index over
    them, built once for a whole panel."""

    def __init__(self, round_: Round) -> None:
        self.applications = {a.id: (a, identifying_fields(a)) for a in round_.applications}
        self.position = {key: i for i, key in enumerate(self.applications)}
        self.candidates = Candidates({key: fields for key, (_, fields)
                                      in self.applications.items()})

    def in_order(self, ids: set[int]) -> list[tuple[Application, dict[str, str]]]:
        """The applications with these ids, in the round's order."""
        known = [i for i in ids if i in self.position]
        return [self.applications[i] for i in sorted(known, key=self.position.__getitem__)]


# Members matched together in find_for_round: one query loads their conflicts.
_MEMBERS_AT_ONCE = 50
# Conflicts loaded by one statement (well under every driver's limit on parameters).
_IDS_AT_ONCE = 5_000


def _conflicts_on_record(round_: Round) -> dict[int, list[tuple[int, int, bool]]]:
    """``{member id: [(conflict id, application id, pending suggestion?)]}`` of every
    conflict on the round's panel, by conflict id: plain rows, so that a round with many
    imported conflicts loads as objects only those matching can touch."""
    on_record: dict[int, list[tuple[int, int, bool]]] = {}
    rows = db.session.execute(
        select(Conflict.id, Conflict.member_id, Conflict.application_id, Conflict.source,
               Conflict.status)
        .where(Conflict.member_id.in_(select(PanelMember.id)
                                      .where(PanelMember.round_id == round_.id)))
        .order_by(Conflict.id))
    for conflict_id, member_id, application_id, source, status in rows:
        on_record.setdefault(member_id, []).append(
            (conflict_id, application_id, source == "suggested" and status == "pending"))
    return on_record


def _conflicts_of(members: list[PanelMember], candidates: list[dict[int, set]],
                  on_record: dict[int, list[tuple[int, int, bool]]]
                  ) -> dict[int, dict[int, list[Conflict]]]:
    """:func:`_conflicts_by_application` for several members at once, in one query per
    :data:`_IDS_AT_ONCE` conflicts: ``{member id: {application id: [conflicts]}}``."""
    wanted = [conflict_id for member, pairs in zip(members, candidates)
              for conflict_id, application_id, pending in on_record.get(member.id, [])
              if pending or application_id in pairs]
    by_member: dict[int, dict[int, list[Conflict]]] = {}
    for start in range(0, len(wanted), _IDS_AT_ONCE):
        for conflict in db.session.scalars(
                select(Conflict).where(Conflict.id.in_(wanted[start:start + _IDS_AT_ONCE]))
                .order_by(Conflict.id)):
            by_member.setdefault(conflict.member_id, {}).setdefault(
                conflict.application_id, []).append(conflict)
    return by_member


def _conflicts_by_application(member: PanelMember,
                              applications: set[int]) -> dict[int, list[Conflict]]:
    """``member``'s conflicts on ``applications``, and their pending suggestions on any."""
    by_application: dict[int, list[Conflict]] = {}
    pending = and_(Conflict.source == "suggested", Conflict.status == "pending")
    for conflict in db.session.scalars(
            select(Conflict).where(Conflict.member_id == member.id,
                                   or_(Conflict.application_id.in_(applications), pending))
            .order_by(Conflict.id)):
        by_application.setdefault(conflict.application_id, []).append(conflict)
    return by_application


def _withdrawn_by_us(conflict: Conflict) -> bool:
    return (conflict.source == "suggested" and conflict.status == "dismissed"
            and conflict.reviewed_by_id is None and conflict.review_reason == WITHDRAWN)


def _raise(member: PanelMember, application: Application, match: Match,
           conflicts: list[Conflict]) -> Conflict | None:
    if not conflicts:
        conflict = Conflict(member_id=member.id, application_id=application.id, kind="other",
                            details=details_for(match), level="step_out", source="suggested",
                            status="pending")
        db.session.add(conflict)
        db.session.flush()
        _audit("conflict.suggested", member, application, conflict, None, match)
        return conflict
    if len(conflicts) == 1 and _withdrawn_by_us(conflicts[0]):
        conflict = conflicts[0]
        before = {"status": conflict.status, "review_reason": conflict.review_reason,
                  "details": conflict.details}
        conflict.status, conflict.review_reason = "pending", ""
        conflict.details, conflict.reviewed_at = details_for(match), None
        db.session.flush()
        _audit("conflict.suggested", member, application, conflict, before, match)
        return conflict
    return None  # a conflict is already on record, whoever raised it


def _withdraw(member: PanelMember, application: Application, conflicts: Iterable[Conflict]):
    for conflict in conflicts:
        if not _pending_suggestion(conflict):
            continue
        conflict.status, conflict.review_reason = "dismissed", WITHDRAWN
        db.session.flush()
        record("conflict.suggestion_withdrawn", system=SYSTEM, target=conflict,
               round_id=member.round_id,
               before={"status": "pending"},
               after={"member": member.user.email, "application": application.reference,
                      "status": "dismissed", "review_reason": WITHDRAWN})


def _audit(action: str, member: PanelMember, application: Application, conflict: Conflict,
           before: dict | None, match: Match) -> None:
    record(action, system=SYSTEM, target=conflict, round_id=member.round_id, before=before,
           after={"member": member.user.email, "application": application.reference,
                  "kind": conflict.kind, "details": conflict.details, "level": conflict.level,
                  "source": "suggested", "status": "pending", "field": match.field,
                  "reason": match.reason})
