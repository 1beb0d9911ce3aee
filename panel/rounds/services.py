"""Every change to a round's set-up and phase. Each function checks the rule, flushes
and records an audit event; the caller commits."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString
from sqlalchemy import delete, insert, select

from panel import mail
from panel.accounts.models import User
from panel.audit.anchors import anchor_round
from panel.audit.services import record
from panel.extensions import db, utcnow
from panel.rounds import assignment, phases, progress, times, welcome
from panel.rounds.models import (
    PHASES,
    Application,
    Assignment,
    Criterion,
    Group,
    PanelMember,
    Phase,
    Round,
)
from panel.rounds.phases import BACK_STEPS
from panel.rounds.rules_time_zones import DEFAULT_TIME_ZONE, end_of_day

if TYPE_CHECKING:
    from panel.reports.budget import OverBudget


class RoundError(ValueError):
    """A rule about rounds was broken; the message says what to fix."""


def create_round(actor: User | None, spec: dict[str, Any], *, system: str | None = None) -> Round:
    """A new draft round from a bundle-style ``spec`` (the keys of ``round.json``);
    ``scoring_deadline`` is an ISO date, ending at the end of that day in ``time_zone``."""
    round_ = build_round(spec)
    record_round_created(actor, round_, spec, system=system)
    return round_


def record_round_created(actor: User | None, round_: Round, spec: dict[str, Any], *,
                         system: str | None = None) -> None:
    """The ``round.created`` event of a round made by :func:`build_round`. A bundle import
    writes it after the round's rows, so that the audit chain is held only briefly."""
    record("round.created", actor=actor, target=round_, system=system, after=spec)


def build_round(spec: dict[str, Any]) -> Round:
    """The round of :func:`create_round`, flushed but not yet audited."""
    scale = spec.get("scale", {})
    round_ = Round(
        slug=spec["slug"],
        title=spec["title"],
        description=spec.get("description", ""),
        scale_min=int(scale.get("min", 1)),
        scale_max=int(scale.get("max", 5)),
        scale_descriptors={str(k): v for k, v in scale.get("descriptors", {}).items()},
        scale_descriptors_cy={str(k): v for k, v in scale.get("descriptors_cy", {}).items()},
        budget=Decimal(str(spec.get("budget", 0))),
        funding_rule=spec.get("funding_rule", "strict"),
        weighting=spec.get("weighting", "equal_groups"),
        identifying_columns=list(spec.get("identifying_columns", [])),
        public_columns=list(spec.get("public_columns", [])),
        show_group_labels=spec.get("show_group_labels", True),
        lived_experience_first=spec.get("lived_experience_first", True),
        time_zone=spec.get("time_zone") or DEFAULT_TIME_ZONE,
        min_group_size=int(spec.get("min_group_size", 2)),
        rank_model=spec.get("rank_model", "auto"),
        funder=spec.get("funder") or "",
        help_contact=spec.get("help_contact") or "",
        minutes_per_application=spec.get("minutes_per_application"),
    )
    if spec.get("scoring_deadline"):
        round_.scoring_deadline = end_of_day(date.fromisoformat(spec["scoring_deadline"]),
                                             round_.time_zone)
    round_.groups = [
        Group(key=g["key"], label=g.get("label", g["key"]), weight=float(g.get("weight", 1)),
              position=i)
        for i, g in enumerate(spec.get("groups") or DEFAULT_GROUPS)
    ]
    round_.criteria = [
        Criterion(key=c["key"], name=c["name"], weight=float(c.get("weight", 1)),
                  guidance=c.get("guidance", ""),
                  descriptors={str(k): v for k, v in c.get("descriptors", {}).items()},
                  name_cy=c.get("name_cy", ""), guidance_cy=c.get("guidance_cy", ""),
                  descriptors_cy={str(k): v for k, v in c.get("descriptors_cy", {}).items()},
                  position=i)
        for i, c in enumerate(spec.get("criteria", []))
    ]
    db.session.add(round_)
    db.session.flush()
    return round_


DEFAULT_GROUPS = [
    {"key": "academic", "label": "Academic", "weight": 1},
    {"key": "lived_experience", "label": "Lived experience", "weight": 1},
]


def add_application(actor: User | None, round_: Round, fields: dict[str, Any], *,
                    system: str | None = None) -> Application:
    known = {"reference", "title", "lay_summary", "requested_amount", "applicant_name",
             "organisation", "contact_email", "title_cy", "lay_summary_cy"}
    application = Application(
        round=round_,
        reference=str(fields["reference"]),
        title=fields["title"],
        lay_summary=fields.get("lay_summary", ""),
        title_cy=fields.get("title_cy", ""),
        lay_summary_cy=fields.get("lay_summary_cy", ""),
        requested_amount=Decimal(str(fields["requested_amount"])),
        applicant_name=fields.get("applicant_name", ""),
        organisation=fields.get("organisation", ""),
        contact_email=fields.get("contact_email", ""),
        extra={k: v for k, v in fields.items() if k not in known},
    )
    db.session.add(application)
    db.session.flush()
    # The round's identifying columns (a phone number, a postcode…) are personal too.
    record("application.added", actor=actor, target=application, system=system, after=fields,
           personal=round_.identifying_columns or ())
    return application


def add_member(actor: User | None, round_: Round, user: User, *, group_key: str | None,
               role: str = "panellist", affiliations: list[str] | None = None,
               system: str | None = None) -> PanelMember:
    group = next((g for g in round_.groups if g.key == group_key), None)
    if group_key and group is None:
        raise RoundError(_("%(round)s has no group called %(group)s", round=round_.title,
                           group=group_key))
    member = PanelMember(round=round_, user=user, group=group, role=role,
                         affiliations=list(affiliations or []))
    db.session.add(member)
    db.session.flush()
    record("member.added", actor=actor, target=member, system=system,
           after={"user": user.email, "group": group_key, "role": role,
                  "affiliations": member.affiliations})
    return member


def assign_everyone(actor: User | None, round_: Round, *, system: str | None = None) -> int:
    """Every panellist reviews every application (the default). Returns how many were new."""
    return len(apply_assignments(actor, round_, "everyone", system=system).added)


def change_phase(actor: User | None, round_: Round, to_phase: str, *, reason: str = "",
                 over_budget_reason: str = "", system: str | None = None,
                 notify: bool = False) -> int:
    """Move one step forward, or back where DESIGN.md §2 allows it (with a reason).

    Scoring cannot open while the round has no criteria, applications or panellists. A
    round whose funded set is over the budget is decided only with
    ``over_budget_reason``, kept on the round. With ``notify``, opening scoring e-mails
    every panellist who has something to score; returns how many were e-mailed."""
    if to_phase not in PHASES:
        raise RoundError(_("Unknown phase: %(phase)s", phase=to_phase))
    here, there = PHASES.index(round_.phase), PHASES.index(to_phase)
    going_back = (round_.phase, to_phase) in BACK_STEPS
    if there != here + 1 and not going_back:
        raise RoundError(_("A round cannot move from %(here)s to %(there)s.",
                           here=round_.phase, there=to_phase))
    if going_back:
        if not reason.strip():
            raise RoundError(_("Give a reason for moving the round back."))
        refusal = phases.back_refusal(round_, to_phase)
        if refusal:
            raise RoundError(refusal)
    opening = round_.in_setup and to_phase == Phase.SCORING
    if opening:
        blocking = phases.checklist(round_, Phase.SCORING).blocking
        if blocking:
            raise RoundError(" ".join(item.text for item in blocking))
    over = phases.over_budget(round_) if to_phase == Phase.DECIDED else None
    if over is not None and not over_budget_reason.strip():
        raise RoundError(_("%(over_budget)s Give a reason for deciding the round over budget.",
                           over_budget=over.check_text))
    if over is not None:
        _acknowledge_over_budget(actor, round_, over, over_budget_reason.strip(), system)
    before = round_.phase
    round_.phase = to_phase
    if to_phase == Phase.PUBLISHED and round_.published_at is None:
        round_.published_at = utcnow()  # retention counts from the first publication
    record("round.phase_changed", actor=actor, target=round_, system=system,
           before={"phase": before}, after={"phase": to_phase, "reason": reason.strip()})
    if to_phase == Phase.DECIDED:
        anchor_round(actor, round_, system=system)
    if opening and notify:
        return _tell_scoring_is_open(round_)
    if to_phase == Phase.PUBLISHED and notify:
        return _tell_report_is_published(round_)
    return 0


def _acknowledge_over_budget(actor: User | None, round_: Round, over: OverBudget, reason: str,
                             system: str | None) -> None:
    """Keep the officer's reason for deciding over budget on the round, audited with the
    figures it acknowledged."""
    before = {"over_budget_reason": round_.over_budget_reason,
              "over_budget_acknowledged_at": round_.over_budget_acknowledged_at}
    round_.over_budget_reason = reason
    round_.over_budget_acknowledged_at = utcnow()
    record("round.over_budget_acknowledged", actor=actor, target=round_, system=system,
           before=before,
           after={"over_budget_reason": reason,
                  "over_budget_acknowledged_at": round_.over_budget_acknowledged_at,
                  "funded": over.funded, "budget": over.budget, "over": over.over})


def send_reminders(actor: User, round_: Round) -> list[str]:
    """E-mail every panellist with a sheet not started or in draft; returns their e-mails."""
    if not round_.scoring_open:
        raise RoundError(_("Reminders can only be sent while scoring is open."))
    late = progress.outstanding(round_)
    if not late:
        raise RoundError(_("Nobody has anything left to score."))
    link = mail.external_url("accounts.sign_in")
    for row in late:
        left = row.progress.outstanding
        mail.queue(row.panellist.email,
                   LazyString(lambda left=left: ngettext(
                       "Reminder: %(num)d application left to score",
                       "Reminder: %(num)d applications left to score", left)),
                   "reminder", language=row.panellist.language, round_id=round_.id,
                   name=row.panellist.name, left=left, round=round_, link=link,
                   deadline=times.deadline_text(round_, row.panellist.language))
    emails = [row.panellist.email for row in late]
    record("reminders.sent", actor=actor, target=round_,
           after={"emails": emails, "count": len(emails)})
    return emails


def _tell_scoring_is_open(round_: Round) -> int:
    """E-mail each panellist with something to score: their invitation to the round
    (:mod:`panel.rounds.welcome` says what it tells them)."""
    told = [row for row in progress.member_progress(round_) if row.progress.outstanding]
    link = mail.external_url("accounts.sign_in")
    rates, groups = welcome.pay_rates(round_), {g.key: g.id for g in round_.groups}
    for row in told:
        mail.queue(row.panellist.email, _l("Scoring is open: %(round)s", round=round_.title),
                   "scoring_open", language=row.panellist.language, round_id=round_.id,
                   name=row.panellist.name, to_score=row.progress.outstanding, round=round_,
                   deadline=times.deadline_text(round_, row.panellist.language), link=link,
                   welcome=welcome.welcome(
                       round_, groups.get(row.panellist.group), row.progress.outstanding,
                       rates, row.panellist.language))
    return len(told)


def _tell_report_is_published(round_: Round) -> int:
    """E-mail everyone on the panel (chair included) that the report can be read."""
    members = db.session.execute(
        select(User.email, User.name, User.language)
        .join(PanelMember, PanelMember.user_id == User.id)
        .where(PanelMember.round_id == round_.id, User.active.is_(True))
        .order_by(User.email)).all()
    plain_link = mail.external_url("voice.for_panel", slug=round_.slug)
    link = mail.external_url("voice.report", slug=round_.slug)
    for email, name, language in members:
        mail.queue(email, _l("The results are published: %(round)s", round=round_.title),
                   "report_published", language=language, round_id=round_.id, name=name,
                   round=round_, plain_link=plain_link, link=link)
    return len(members)


# --- Who reviews what ------------------------------------------------------------------

MODES = ("everyone", "set_number")
Pair = tuple[int, int]  # (member id, application id)


@dataclass
class AssignmentChange:
    """What applying an assignment plan does to a round: a preview until it is applied."""

    mode: str
    reviewers: int | None
    panellists: list[progress.Panellist]
    references: dict[int, str]
    existing: int
    planned: list[Pair]
    added: list[Pair]
    removed: list[Pair]
    kept: dict[Pair, str]  # started assignments outside the plan, with why (STARTED key)
    warnings: list[str]

    @property
    def fingerprint(self) -> str:
        """Names this exact change, so the officer applies what they previewed."""
        text = json.dumps([self.added, self.removed])
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    @property
    def count_after(self) -> int:
        return self.existing - len(self.removed) + len(self.added)

    def workloads(self) -> list[tuple[progress.Panellist, int]]:
        counts = Counter(member for member, _ in self.planned)
        return [(p, counts.get(p.id, 0)) for p in self.panellists]

    def kept_list(self) -> list[str]:
        """The assignments that stay outside the plan, in words, by reference."""
        names = {p.id: p.name for p in self.panellists}
        rows = sorted(self.kept.items(), key=lambda item: (self.references[item[0][1]],
                                                           names.get(item[0][0], "")))
        return [_("%(name)s, %(reference)s: %(why)s",
                  name=names[member] if member in names else _("The chair"),
                  reference=self.references[application], why=progress.STARTED[why])
                for (member, application), why in rows]

    def spread(self) -> list[tuple[int, list[str]]]:
        """(reviewers, references of the applications with that many), fewest first."""
        counts = Counter(application for _, application in self.planned)
        found: dict[int, list[str]] = {}
        for application, reference in self.references.items():
            found.setdefault(counts.get(application, 0), []).append(reference)
        return sorted(found.items())


def plan_assignments(round_: Round, mode: str, reviewers: int | None = None
                     ) -> AssignmentChange:
    """Work out who would review what (``mode`` "everyone" or "set_number" with
    ``reviewers`` each), changing nothing. The chair and stepped-out members are never
    planned; assignments already started (a sheet, a pass, an answer) are never dropped."""
    if mode not in MODES:
        raise RoundError(_("Choose how to assign the applications."))
    if mode == "set_number" and (reviewers is None or reviewers < 1):
        raise RoundError(_("Enter how many panellists should review each application."))
    panel = progress.panellists(round_)
    references = dict(db.session.execute(
        select(Application.id, Application.reference)
        .where(Application.round_id == round_.id).order_by(Application.reference)).all())
    started = progress.started_pairs(round_)
    existing = progress.assigned_pairs(round_)
    plan = _plan(round_, mode, reviewers, panel, references, started, existing)
    planned = set(plan.pairs)
    return AssignmentChange(
        mode, reviewers if mode == "set_number" else None, panel, references, len(existing),
        plan.pairs, sorted(planned - existing), sorted(existing - planned - started.keys()),
        {pair: why for pair, why in started.items() if pair not in planned}, plan.warnings)


def _plan(round_: Round, mode: str, reviewers: int | None, panel: list, references: dict,
          started: dict, existing: set) -> assignment.Plan:
    # A pass means "not me": the member is not planned there again (the pass is kept).
    # A suggested conflict still to review is avoided too, until the officer settles it;
    # once panellists can see their applications, one they have keeps it (a suggestion
    # never changes anything a panellist can notice until it is confirmed, DESIGN.md §5).
    suggested = progress.suggested_pairs(round_) - started.keys()
    if not round_.in_setup:
        suggested -= existing
    forbidden = progress.step_out_pairs(round_) | suggested | {
        p for p, why in started.items() if why == "passed"}
    people = [assignment.Panellist(p.id, p.group) for p in panel]
    words = dict(names=references, group_names={g.key: g.label for g in round_.groups})
    if mode == "everyone":
        plan = assignment.everyone(people, list(references), forbidden=forbidden, **words)
    else:
        ids = {p.id for p in panel}
        fixed = {pair for pair in started if pair not in forbidden and pair[0] in ids}
        plan = assignment.set_number(people, list(references), reviewers,
                                     forbidden=forbidden, fixed=fixed, **words)
    plan.warnings += _suggested_warning(panel, references, suggested)
    return plan


def _started_refusal(why: str, name: str, reference: str) -> str:
    """Why a member stays assigned (``why``: a key of progress.STARTED), one whole
    sentence for each reason."""
    if why == "sheet":
        return _("%(name)s has a score sheet for %(reference)s, so stays assigned to it.",
                 name=name, reference=reference)
    if why == "passed":
        return _("%(name)s has passed on it for %(reference)s, so stays assigned to it.",
                 name=name, reference=reference)
    return _("%(name)s has answered the connection question for %(reference)s, so stays "
             "assigned to it.", name=name, reference=reference)


def _suggested_warning(panel: list, references: dict, suggested: set) -> list[str]:
    names = {p.id: p.name for p in panel}
    pairs = sorted((references[a], names[m]) for m, a in suggested
                   if m in names and a in references)
    if not pairs:
        return []
    listed = [_("%(name)s on %(reference)s", name=name, reference=reference)
              for reference, name in pairs]
    shown = ", ".join(listed[:10])
    if len(listed) > 10:
        shown = _("%(listed)s and %(more)s more", listed=shown, more=f"{len(listed) - 10:,}")
    return [ngettext("%(count)s pair is not planned because a suggested conflict is waiting "
                     "for review: %(pairs)s. Review them under Conflicts, then plan again.",
                     "%(count)s pairs are not planned because a suggested conflict is waiting "
                     "for review: %(pairs)s. Review them under Conflicts, then plan again.",
                     len(pairs), count=f"{len(pairs):,}", pairs=shown)]


def apply_assignments(actor: User | None, round_: Round, mode: str,
                      reviewers: int | None = None, *, expected: str | None = None,
                      system: str | None = None) -> AssignmentChange:
    """Replace the round's assignments by the plan of :func:`plan_assignments`.

    ``expected`` is the fingerprint of the preview the officer saw: if the round changed
    since, nothing is applied."""
    change = plan_assignments(round_, mode, reviewers)
    if expected is not None and expected != change.fingerprint:
        raise RoundError(_("The round has changed since the preview. "
                           "Check the new preview before applying it."))
    if not change.added and not change.removed:
        return change
    _delete_assignments(round_, set(change.removed))
    _insert_assignments(round_, change.added)
    emails = progress.member_emails(round_)
    record("assignments.created" if change.existing == 0 else "assignments.changed",
           actor=actor, target=round_, system=system, before={"count": change.existing},
           after={"mode": change.mode, "reviewers": change.reviewers,
                  "count": change.count_after,
                  "added": _by_email(change.added, emails, change.references),
                  "removed": _by_email(change.removed, emails, change.references),
                  "kept": _by_email(change.kept, emails, change.references),
                  "warnings": change.warnings})
    return change


def set_reviewers(actor: User | None, round_: Round, application: Application,
                  member_ids: set[int]) -> tuple[list[str], list[str]]:
    """Make exactly ``member_ids`` the panellists reviewing ``application``. Returns the
    e-mails added and removed. Refuses stepped-out members, and never drops anyone who
    has started on it."""
    panel = {p.id: p for p in progress.panellists(round_)}
    if not member_ids <= panel.keys():
        raise RoundError(_("Choose panellists from the list."))
    current = progress.reviewer_ids(application.id)
    stepped_out = progress.step_out_pairs(round_)
    for member in sorted(member_ids - current):
        if (member, application.id) in stepped_out:
            raise RoundError(_("%(name)s has stepped out of %(reference)s because of a "
                               "conflict of interest, so cannot review it.",
                               name=panel[member].name, reference=application.reference))
    started = {m: why for (m, _app), why in progress.started_pairs(round_, application.id).items()}
    for member, why in started.items():
        if member in panel and member not in member_ids:
            raise RoundError(_started_refusal(why, panel[member].name, application.reference))
    added, removed = member_ids - current, current - member_ids - started.keys()
    if not added and not removed:
        return [], []
    _delete_assignments(round_, {(m, application.id) for m in removed})
    _insert_assignments(round_, [(m, application.id) for m in sorted(added)])
    emails = progress.member_emails(round_)
    after = (current | added) - removed
    record("assignments.changed", actor=actor, target=application,
           before={"reference": application.reference,
                   "reviewers": sorted(emails[m] for m in current)},
           after={"reference": application.reference, "count": len(after),
                  "reviewers": sorted(emails[m] for m in after),
                  "added": sorted(emails[m] for m in added),
                  "removed": sorted(emails[m] for m in removed)})
    return sorted(emails[m] for m in added), sorted(emails[m] for m in removed)


ALL_APPLICATIONS = "all applications"


def _by_email(pairs, emails: dict[int, str], references: dict[int, str]) -> dict:
    """References per e-mail for the trail; a member given every application is written
    as "all applications" so that "everyone reviews everything" stays a small event."""
    found: dict[str, list[str]] = {}
    for member, application in pairs:
        found.setdefault(emails[member], []).append(references[application])
    return {email: ALL_APPLICATIONS if len(refs) == len(references) else sorted(refs)
            for email, refs in sorted(found.items())}


def _delete_assignments(round_: Round, pairs: set[Pair]) -> None:
    if not pairs:
        return
    rows = db.session.execute(
        select(Assignment.id, Assignment.member_id, Assignment.application_id)
        .where(Assignment.member_id.in_({m for m, _ in pairs}),
               Assignment.application_id.in_({a for _, a in pairs}))).all()
    ids = [id_ for id_, member, application in rows if (member, application) in pairs]
    for start in range(0, len(ids), _CHUNK):
        db.session.execute(delete(Assignment).where(Assignment.id.in_(ids[start:start + _CHUNK])))
    _forget_loaded_assignments(round_)


def _insert_assignments(round_: Round, pairs: list[Pair]) -> None:
    if not pairs:
        return
    rows = [{"member_id": member, "application_id": application} for member, application in pairs]
    for start in range(0, len(rows), _CHUNK):
        db.session.execute(insert(Assignment), rows[start:start + _CHUNK])
    _forget_loaded_assignments(round_)


def _forget_loaded_assignments(round_: Round) -> None:
    # Bulk statements bypass the loaded collections; reload them when next used.
    for member in round_.members:
        db.session.expire(member, ["assignments"])


_CHUNK = 5000  # rows per statement: well inside SQLite's and PostgreSQL's parameter limits
