"""Read-only questions about paying panellists: a group's pay, one member's record with
what it comes to, every record of a round (the officer's page and the export), and the
lookups behind measuring time. Only the member themselves and programme officers are
given these (docs/payments.md)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from panel.extensions import db
from panel.moderation.models import Meeting
from panel.payments.models import MEETING, MemberPay, PayRate, TimeRecord
from panel.payments.rules import Rate, Work, pay_pence
from panel.rounds.models import (
    Application,
    Assignment,
    Group,
    PanelMember,
    Phase,
    Round,
)
from panel.scoring.models import ScoreSheet

_PAYS = or_(PayRate.hourly_pence.is_not(None), PayRate.per_application_pence.is_not(None),
            PayRate.meeting_fee_pence.is_not(None))


def pay_rate(group: Group) -> PayRate | None:
    return db.session.scalar(select(PayRate).where(PayRate.group_id == group.id))


def rate_of(row: PayRate | None) -> Rate:
    if row is None:
        return Rate()
    return Rate(row.hourly_pence, row.per_application_pence, row.meeting_fee_pence)


def rates(round_: Round) -> dict[int, Rate]:
    """Group id → its pay, for every group of the round (not paid: an empty Rate)."""
    found = {row.group_id: rate_of(row) for row in db.session.scalars(
        select(PayRate).where(PayRate.round_id == round_.id))}
    return {group.id: found.get(group.id, Rate()) for group in round_.groups}


def round_pays_anyone(round_: Round) -> bool:
    return any(rate.pays for rate in rates(round_).values())


def member_pay(member: PanelMember) -> MemberPay | None:
    return db.session.scalar(select(MemberPay).where(MemberPay.member_id == member.id))


def member_rate(member: PanelMember) -> Rate:
    if member.group_id is None:
        return Rate()
    return rate_of(db.session.scalar(select(PayRate).where(
        PayRate.group_id == member.group_id)))


@dataclass(frozen=True)
class Item:
    """One line of a record: an application's sheet, or the meeting."""

    record: TimeRecord
    title: str
    reference: str | None  # None: the meeting

    @property
    def label_key(self) -> str:
        return self.reference or MEETING


@dataclass
class MemberRecord:
    """One member's record on a round, and what it comes to (``pay``, in pence: nothing
    when they chose not to be paid; ``pay_if_paid`` either way)."""

    member: PanelMember
    rate: Rate
    declined: bool
    approval: MemberPay | None
    items: list[Item] = field(default_factory=list)
    work: Work = field(default_factory=Work)
    pay_if_paid: int = 0

    @property
    def pay(self) -> int:
        return 0 if self.declined else self.pay_if_paid

    @property
    def approved(self) -> bool:
        return self.approval is not None and self.approval.approved

    @property
    def corrections(self) -> int:
        return sum(1 for item in self.items if item.record.corrected)

    def item(self, reference: str | None) -> Item | None:
        return next((i for i in self.items if i.reference == reference), None)


def member_record(member: PanelMember) -> MemberRecord:
    return round_records(member.round, [member])[0]


def round_records(round_: Round, members: list[PanelMember] | None = None
                  ) -> list[MemberRecord]:
    """The records of ``members`` (default: every panellist of a paid group, and anyone
    else with time recorded), each with its items (sheets by reference, then the
    meeting) and pay, in a handful of queries whatever the panel's size."""
    group_rates = rates(round_)
    times = _times(round_)
    pays = {row.member_id: row for row in db.session.scalars(
        select(MemberPay).where(MemberPay.round_id == round_.id))}
    sent = dict(db.session.execute(
        select(ScoreSheet.member_id, func.count()).join(
            PanelMember, PanelMember.id == ScoreSheet.member_id)
        .where(PanelMember.round_id == round_.id, ScoreSheet.revision == 0,
               ScoreSheet.status == "submitted")
        .group_by(ScoreSheet.member_id)).all())
    if members is None:
        everyone = db.session.scalars(
            select(PanelMember).where(PanelMember.round_id == round_.id)
            .options(selectinload(PanelMember.user), selectinload(PanelMember.group)))
        members = [m for m in everyone if not m.is_chair and (
            group_rates.get(m.group_id, Rate()).pays or m.id in times)]
        members.sort(key=lambda m: (m.user.name.casefold(), m.id))
    found = []
    for member in members:
        rate = group_rates.get(member.group_id, Rate())
        items = times.get(member.id, [])
        work = Work(
            sheet_minutes=sum(i.record.minutes for i in items if i.reference),
            sheets_sent=sent.get(member.id, 0),
            meeting_minutes=sum(i.record.minutes for i in items if not i.reference))
        approval = pays.get(member.id)
        found.append(MemberRecord(member, rate, bool(approval and approval.declined),
                                  approval, items, work, pay_pence(rate, work)))
    return found


def _times(round_: Round) -> dict[int, list[Item]]:
    rows = db.session.execute(
        select(TimeRecord, Application.reference, Application.title)
        .outerjoin(Application, Application.id == TimeRecord.application_id)
        .where(TimeRecord.round_id == round_.id)
        .order_by(TimeRecord.member_id, TimeRecord.kind.desc(), Application.reference)).all()
    found: dict[int, list[Item]] = {}
    for time, reference, title in rows:
        found.setdefault(time.member_id, []).append(
            Item(time, title or _("The meeting"), reference))
    return found


def time_record(member: PanelMember, reference: str | None) -> TimeRecord | None:
    """The member's record for the application ``reference`` (None: the meeting)."""
    query = select(TimeRecord).where(TimeRecord.member_id == member.id)
    if reference is None:
        return db.session.scalar(query.where(TimeRecord.kind == MEETING))
    return db.session.scalar(query.join(Application, Application.id ==
                                        TimeRecord.application_id)
                             .where(Application.reference == reference))


# --- Measuring ----------------------------------------------------------------------------

def sheet_to_measure(user_id: int, slug: str, reference: str
                     ) -> tuple[int, int, int, TimeRecord | None, datetime | None] | None:
    """(member id, round id, application id, their record or None, when the sheet was
    sent or the application passed on) for the user's assignment in a round being
    scored, when their group is paid; else None. One statement."""
    return db.session.execute(
        select(PanelMember.id, Round.id, Application.id, TimeRecord,
               func.coalesce(ScoreSheet.submitted_at, Assignment.passed_at))
        .join(Round, Round.id == PanelMember.round_id)
        .join(PayRate, and_(PayRate.group_id == PanelMember.group_id, _PAYS))
        .join(Application, and_(Application.round_id == Round.id,
                                Application.reference == reference))
        .join(Assignment, and_(Assignment.member_id == PanelMember.id,
                               Assignment.application_id == Application.id))
        .outerjoin(ScoreSheet, and_(ScoreSheet.member_id == PanelMember.id,
                                    ScoreSheet.application_id == Application.id,
                                    ScoreSheet.revision == 0))
        .outerjoin(TimeRecord, and_(TimeRecord.member_id == PanelMember.id,
                                    TimeRecord.application_id == Application.id))
        .where(PanelMember.user_id == user_id, Round.slug == slug,
               Round.phase == Phase.SCORING.value)).first()


def meeting_to_measure(user_id: int, slug: str
                       ) -> tuple[int, int, TimeRecord | None] | None:
    """(member id, round id, their meeting record or None) while the round's meeting
    runs, when the user's group is paid; else None. One statement."""
    return db.session.execute(
        select(PanelMember.id, Round.id, TimeRecord)
        .join(Round, Round.id == PanelMember.round_id)
        .join(PayRate, and_(PayRate.group_id == PanelMember.group_id, _PAYS))
        .join(Meeting, Meeting.round_id == Round.id)
        .outerjoin(TimeRecord, and_(TimeRecord.member_id == PanelMember.id,
                                    TimeRecord.kind == MEETING))
        .where(PanelMember.user_id == user_id, Round.slug == slug,
               Round.phase == Phase.MODERATION.value)).first()
