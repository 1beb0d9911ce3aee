"""Read-only selects for the officer's conflict pages: the review queue, the matrix of
members and applications, and the CSV export.

Each page is a fixed number of queries whatever the size of the round (200 members ×
2,000 applications): rows come joined in one select, counts in one grouped select."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import aliased

from panel.accounts.models import User
from panel.conflicts.models import Conflict
from panel.conflicts.rules import stepping_out
from panel.extensions import db
from panel.pages import Page, page_bounds
from panel.rounds.models import Application, Group, MemberRole, PanelMember, Round
from panel.rounds.progress import Panellist

# A member in no group, in the conflicts export: English whatever the reader's language
# (a file keeps stable values); pages say it in the reader's language.
NO_GROUP = "No group"


@dataclass(frozen=True)
class ConflictRow:
    """One conflict with the names the officer reads it by."""

    id: int
    member_id: int
    member_name: str
    member_email: str
    group: str
    reference: str
    title: str
    kind: str
    details: str
    level: str
    source: str
    status: str
    review_reason: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    stepping_out: bool


@dataclass(frozen=True)
class Filters:
    """What the matrix is narrowed to; empty values mean everything."""

    member: int | None = None
    group: str = ""
    search: str = ""
    status: str = ""
    level: str = ""


@dataclass(frozen=True)
class MemberSummary:
    member_id: int
    name: str
    group: str
    stepped_out: int
    declared: int
    pending: int


def members(round_: Round) -> list[Panellist]:
    """Everyone on the round's panel: panellists by group then name, then the chair."""
    rows = db.session.execute(
        select(PanelMember.id, User.name, User.email, Group.key, Group.label, PanelMember.role)
        .join(User, PanelMember.user_id == User.id)
        .outerjoin(Group, PanelMember.group_id == Group.id)
        .where(PanelMember.round_id == round_.id)
        .order_by(PanelMember.role == MemberRole.CHAIR, Group.position.is_(None), Group.position,
                  User.name, PanelMember.id)).all()
    return [Panellist(id_, name, email, key,
                      _("Chair") if role == MemberRole.CHAIR else label or _("No group"))
            for id_, name, email, key, label, role in rows]


def conflict_in(round_: Round, conflict_id: int) -> Conflict | None:
    return db.session.scalar(select(Conflict).join(Application).where(
        Conflict.id == conflict_id, Application.round_id == round_.id))


def review_queue(round_: Round, page: int = 1, per_page: int = 50) -> Page:
    """Every conflict of the round: pending first (oldest first), then the reviewed ones,
    most recently reviewed first."""
    order = (Conflict.status != "pending", Conflict.reviewed_at.desc().nulls_last(),
             Conflict.created_at, Conflict.id)
    return _paged(_rows(round_), page, per_page, order)


def pending_count(round_: Round) -> int:
    return db.session.scalar(select(func.count()).select_from(Conflict).join(Application)
                             .where(Application.round_id == round_.id,
                                    Conflict.status == "pending")) or 0


def matrix(round_: Round, filters: Filters, page: int = 1, per_page: int = 50) -> Page:
    """(member, application) pairs with a conflict, narrowed by ``filters``, one page."""
    order = (User.name, PanelMember.id, Application.reference, Conflict.id)
    return _paged(_filtered(_rows(round_), filters), page, per_page, order)


def member_summaries(round_: Round, filters: Filters) -> list[MemberSummary]:
    """Per panel member (narrowed by the member and group filters): how many applications
    they have stepped out of, declared a connection to but stay on, and have pending."""
    counted = case((stepping_out(), 1), else_=0)
    declared = case(((Conflict.level == "declared") & (Conflict.status != "dismissed"), 1),
                    else_=0)
    pending = case((Conflict.status == "pending", 1), else_=0)
    query = (select(PanelMember.id, User.name, Group.label,
                    func.sum(counted), func.sum(declared), func.sum(pending))
             .join(User, PanelMember.user_id == User.id)
             .outerjoin(Group, PanelMember.group_id == Group.id)
             .join(Conflict, Conflict.member_id == PanelMember.id)
             .where(PanelMember.round_id == round_.id)
             .group_by(PanelMember.id, User.name, Group.label)
             .order_by(User.name, PanelMember.id))
    if filters.member:
        query = query.where(PanelMember.id == filters.member)
    if filters.group:
        query = query.where(Group.key == filters.group)
    return [MemberSummary(id_, name, group or _("No group"), int(out or 0), int(dec or 0),
                          int(pend or 0))
            for id_, name, group, out, dec, pend in db.session.execute(query)]


def export_rows(round_: Round) -> list[ConflictRow]:
    """Every conflict of the round, by member e-mail then reference."""
    query = _rows(round_).order_by(User.email, Application.reference, Conflict.id)
    return [_conflict_row(row, NO_GROUP) for row in db.session.execute(query)]


def _conflict_row(row, no_group: str) -> ConflictRow:
    """A row of :func:`_rows`, a member in no group named by ``no_group`` (the group is
    named after the query, so that a page can say it in the reader's language)."""
    id_, member_id, name, email, group, *rest = row
    return ConflictRow(id_, member_id, name, email, group or no_group, *rest)


def _rows(round_: Round) -> Select:
    reviewer = aliased(User)
    return (select(Conflict.id, PanelMember.id, User.name, User.email,
                   Group.label, Application.reference,
                   Application.title, Conflict.kind, Conflict.details, Conflict.level,
                   Conflict.source, Conflict.status, Conflict.review_reason,
                   reviewer.name, Conflict.reviewed_at, case((stepping_out(), True), else_=False))
            .join(Application, Conflict.application_id == Application.id)
            .join(PanelMember, Conflict.member_id == PanelMember.id)
            .join(User, PanelMember.user_id == User.id)
            .outerjoin(Group, PanelMember.group_id == Group.id)
            .outerjoin(reviewer, Conflict.reviewed_by_id == reviewer.id)
            .where(Application.round_id == round_.id))


def _filtered(query: Select, filters: Filters) -> Select:
    if filters.member:
        query = query.where(PanelMember.id == filters.member)
    if filters.group:
        query = query.where(Group.key == filters.group)
    if filters.status:
        query = query.where(Conflict.status == filters.status)
    if filters.level:
        query = query.where(Conflict.level == filters.level)
    if filters.search:
        pattern = f"%{_like_escaped(filters.search.lower())}%"
        query = query.where(or_(func.lower(Application.reference).like(pattern, escape="\\"),
                                func.lower(Application.title).like(pattern, escape="\\")))
    return query


def _paged(query: Select, page: int, per_page: int, order) -> Page:
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    number, pages = page_bounds(total, page, per_page)
    rows = db.session.execute(query.order_by(*order).limit(per_page)
                              .offset((number - 1) * per_page)).all()
    return Page([_conflict_row(row, _("No group")) for row in rows], number, pages, total)


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
