"""Read-only figures about a round's progress, for the officer's dashboard, the
assignment page and the phase checks.

The dashboard's figures come from a fixed number of grouped ``COUNT`` queries, whatever
the size of the round: nothing here loads rows one by one.

Each assignment is counted in exactly one column, the first that applies:
``conflicted`` (the member has a ``step_out`` conflict on the application, not dismissed:
their sheet never counts), ``submitted`` (their initial sheet is submitted), ``passed``,
``draft`` (an initial sheet is saved but not submitted), else ``not_started``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, func, literal, select
from sqlalchemy.orm import aliased

from panel.accounts.models import User
from panel.audit.models import AuditEvent
from panel.conflicts.models import Conflict
from panel.conflicts.rules import (
    awaiting_review_as_suggested,
    stepped_out,
    stepping_out,
)
from panel.extensions import db
from panel.pages import Page, page_bounds
from panel.rounds.models import (
    Application,
    Assignment,
    Group,
    MemberRole,
    PanelMember,
    Phase,
    Round,
)
from panel.scoring.models import ScoreSheet

COLUMNS = ("conflicted", "submitted", "passed", "draft", "not_started")
# Why an assignment is never dropped, in the words the officer sees.
STARTED = {"sheet": _l("has a score sheet"), "passed": _l("has passed on it"),
           "answered": _l("has answered the connection question")}
# The same, as a whole sentence on the officer's page of who reviews an application (in
# the reader's language).
STAYS_ASSIGNED = {"sheet": _l("Has a score sheet, so stays assigned"),
                  "passed": _l("Has passed on it, so stays assigned"),
                  "answered": _l("Has answered the connection question, so stays assigned")}


@dataclass
class Progress:
    """How one panellist's (or one application's) assignments stand."""

    conflicted: int = 0
    submitted: int = 0
    passed: int = 0
    draft: int = 0
    not_started: int = 0

    @property
    def assigned(self) -> int:
        return sum(getattr(self, column) for column in COLUMNS)

    @property
    def outstanding(self) -> int:
        """Sheets still to submit: started or not."""
        return self.draft + self.not_started


@dataclass(frozen=True)
class Panellist:
    """A panellist of the round, as the officer's pages name them."""

    id: int
    name: str
    email: str
    group: str | None
    group_label: str
    language: str | None = None  # the language they read FairPanel in (None: not chosen)


@dataclass
class MemberProgress:
    panellist: Panellist
    progress: Progress


@dataclass
class ApplicationProgress:
    id: int
    reference: str
    title: str
    progress: Progress


@dataclass
class ReviewerChoice:
    """One panellist on an application's reviewers page; ``locked`` says why the officer
    cannot change them there."""

    panellist: Panellist
    assigned: bool
    locked: str | None


@dataclass
class Facts:
    applications: int
    requested: Decimal
    budget: Decimal
    chairs: int
    # (group label, panellists in it), in the round's group order; "No group" last if any.
    groups: list[tuple[str, int]] = field(default_factory=list)

    @property
    def panellists(self) -> int:
        return sum(count for _, count in self.groups)


def step_out_pairs(round_: Round) -> set[tuple[int, int]]:
    """(member id, application id) of every conflict that takes a member off."""
    return {(member, application) for member, application in db.session.execute(
        select(Conflict.member_id, Conflict.application_id).join(Application)
        .where(Application.round_id == round_.id, stepping_out()))}


def scoring_opened_at(round_: Round) -> datetime | None:
    """When the round last moved into scoring (from its trail), or None."""
    events = db.session.execute(
        select(AuditEvent.occurred_at, AuditEvent.after)
        .where(AuditEvent.round_id == round_.id, AuditEvent.action == "round.phase_changed")
        .order_by(AuditEvent.id.desc())).all()
    return next((at for at, after in events
                 if isinstance(after, dict) and after.get("phase") == Phase.SCORING), None)


def suggested_pairs(round_: Round) -> set[tuple[int, int]]:
    """(member id, application id) of every suggested conflict still to review."""
    return {(member, application) for member, application in db.session.execute(
        select(Conflict.member_id, Conflict.application_id).join(Application)
        .where(Application.round_id == round_.id, awaiting_review_as_suggested()))}


def panellists(round_: Round) -> list[Panellist]:
    """The round's panellists (never the chair), by group then name."""
    rows = db.session.execute(
        select(PanelMember.id, User.name, User.email, Group.key, Group.label, User.language)
        .join(User, PanelMember.user_id == User.id)
        .outerjoin(Group, PanelMember.group_id == Group.id)
        .where(PanelMember.round_id == round_.id, PanelMember.role == MemberRole.PANELLIST)
        .order_by(Group.position.is_(None), Group.position, User.name, PanelMember.id)).all()
    return [Panellist(id_, name, email, key, label or _("No group"), language)
            for id_, name, email, key, label, language in rows]


def member_progress(round_: Round) -> list[MemberProgress]:
    """Every panellist with the state of their assignments (initial sheets only)."""
    counts = _counts(round_, "member_id")
    return [MemberProgress(p, counts.get(p.id, Progress())) for p in panellists(round_)]


def outstanding(round_: Round) -> list[MemberProgress]:
    """Panellists with a sheet not started or still in draft: who to chase."""
    return [row for row in member_progress(round_) if row.progress.outstanding]


def application_progress(round_: Round, page: int = 1, per_page: int = 50) -> Page:
    """One page of the round's applications, by reference, with how each stands."""
    total = db.session.scalar(select(func.count()).select_from(Application)
                              .where(Application.round_id == round_.id)) or 0
    number, pages = page_bounds(total, page, per_page)
    rows = db.session.execute(
        select(Application.id, Application.reference, Application.title)
        .where(Application.round_id == round_.id).order_by(Application.reference)
        .limit(per_page).offset((number - 1) * per_page)).all()
    counts = _counts(round_, "application_id", [row.id for row in rows])
    items = [ApplicationProgress(id_, ref, title, counts.get(id_, Progress()))
             for id_, ref, title in rows]
    return Page(items, number, pages, total)


def facts(round_: Round) -> Facts:
    """The key numbers at the top of the dashboard."""
    applications, requested = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Application.requested_amount), 0))
        .where(Application.round_id == round_.id)).one()
    by_role_group = db.session.execute(
        select(PanelMember.role, PanelMember.group_id, func.count())
        .where(PanelMember.round_id == round_.id)
        .group_by(PanelMember.role, PanelMember.group_id)).all()
    panel = {group: n for role, group, n in by_role_group if role == MemberRole.PANELLIST}
    groups = [(g.label, panel.get(g.id, 0)) for g in round_.groups]
    if panel.get(None):
        groups.append((_("No group"), panel[None]))
    chairs = sum(n for role, _, n in by_role_group if role == MemberRole.CHAIR)
    return Facts(applications, Decimal(requested), round_.budget, chairs, groups)


def reviewer_choices(round_: Round, application_id: int) -> list[ReviewerChoice]:
    """Every panellist, whether they review ``application_id``, and whether that is fixed:
    a stepped-out member cannot be added, a member who has started cannot be removed."""
    assigned = reviewer_ids(application_id)
    stepped_out = {m for m, a in step_out_pairs(round_) if a == application_id}
    started = {m: why for (m, _application), why in started_pairs(round_, application_id).items()}
    choices = []
    for panellist in panellists(round_):
        locked = None
        if panellist.id in stepped_out:
            locked = _("Stepped out: conflict of interest")
        elif panellist.id in started:
            locked = str(STAYS_ASSIGNED[started[panellist.id]])
        choices.append(ReviewerChoice(panellist, panellist.id in assigned, locked))
    return choices


def reviewer_ids(application_id: int) -> set[int]:
    """Ids of the members assigned to ``application_id``."""
    return set(db.session.scalars(
        select(Assignment.member_id).where(Assignment.application_id == application_id)))


def busy_member_ids(round_: Round) -> set[int]:
    """Ids of the members with at least one assignment."""
    return set(db.session.scalars(
        select(Assignment.member_id).join(PanelMember)
        .where(PanelMember.round_id == round_.id).distinct()))


def assignment_totals(round_: Round) -> tuple[int, int]:
    """(assignments to panellists, applications with no panellist assigned)."""
    to_panellists = (select(Assignment.application_id).join(PanelMember)
                     .where(PanelMember.round_id == round_.id,
                            PanelMember.role == MemberRole.PANELLIST))
    assignments = db.session.scalar(
        select(func.count()).select_from(to_panellists.subquery())) or 0
    unreviewed = db.session.scalar(
        select(func.count()).select_from(Application)
        .where(Application.round_id == round_.id, Application.id.not_in(to_panellists))) or 0
    return assignments, unreviewed


def assigned_pairs(round_: Round) -> set[tuple[int, int]]:
    """(member id, application id) of every assignment in the round."""
    return {(member, application) for member, application in db.session.execute(
        select(Assignment.member_id, Assignment.application_id).join(PanelMember)
        .where(PanelMember.round_id == round_.id))}


def started_pairs(round_: Round, application_id: int | None = None) -> dict[tuple, str]:
    """Assignments that must never be dropped, with why (a key of ``STARTED``): the member
    has a sheet, has passed, or has answered the connection question."""
    sheet = exists().where(ScoreSheet.member_id == Assignment.member_id,
                           ScoreSheet.application_id == Assignment.application_id)
    query = (select(Assignment.member_id, Assignment.application_id, sheet,
                    Assignment.passed_at.is_not(None))
             .join(PanelMember).where(PanelMember.round_id == round_.id)
             .where(sheet | Assignment.passed_at.is_not(None)
                    | Assignment.connection_answer.is_not(None)))
    if application_id is not None:
        query = query.where(Assignment.application_id == application_id)
    return {(member, app): "sheet" if has_sheet else "passed" if passed else "answered"
            for member, app, has_sheet, passed in db.session.execute(query)}


def member_emails(round_: Round) -> dict[int, str]:
    """{member id: e-mail} of everyone on the round's panel, chair included."""
    return dict(db.session.execute(
        select(PanelMember.id, User.email).join(User, PanelMember.user_id == User.id)
        .where(PanelMember.round_id == round_.id)).all())


def _counts(round_: Round, by: str, application_ids: list[int] | None = None
            ) -> dict[int, Progress]:
    """{member or application id: Progress}, from one grouped query."""
    sheet = aliased(ScoreSheet)
    column = case(
        (stepped_out(Assignment.member_id, Assignment.application_id),
         literal("conflicted")),
        (sheet.status == "submitted", literal("submitted")),
        (Assignment.passed_at.is_not(None), literal("passed")),
        (sheet.status == "draft", literal("draft")),
        else_=literal("not_started"),
    ).label("column")
    rows = (select(getattr(Assignment, by).label("key"), column)
            .join(PanelMember, Assignment.member_id == PanelMember.id)
            .outerjoin(sheet, and_(sheet.member_id == Assignment.member_id,
                                   sheet.application_id == Assignment.application_id,
                                   sheet.revision == 0))
            .where(PanelMember.round_id == round_.id, PanelMember.role == MemberRole.PANELLIST))
    if application_ids is not None:
        rows = rows.where(Assignment.application_id.in_(application_ids))
    rows = rows.subquery()
    found: dict[int, Progress] = {}
    for key, name, count in db.session.execute(
            select(rows.c.key, rows.c.column, func.count()).group_by(rows.c.key, rows.c.column)):
        setattr(found.setdefault(key, Progress()), name, count)
    return found
