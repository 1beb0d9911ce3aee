"""Every change to paying panellists for their time (docs/payments.md): the officer sets
each group's pay and approves each member's record; a member chooses not to be paid, or
corrects their record with a note; FairPanel measures time from the member's requests.

Each change checks its rule, flushes and records an audit event (the member's minutes,
pay, choice and notes are sealed personal values: panel/audit/personal.py); the caller
commits. A broken rule raises :class:`PaymentError` and changes nothing."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from panel.accounts.models import User
from panel.audit.services import changes, record
from panel.extensions import db, utcnow
from panel.payments import queries
from panel.payments.models import MEETING, SHEET, MemberPay, PayRate, TimeRecord
from panel.payments.rules import MAX_CLAIM_MINUTES, advanced
from panel.rounds.models import Group, PanelMember

NOTE_MAX = 1000


class PaymentError(Exception):
    """A rule was broken; ``field`` names the form field to fix, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- The officer: how each group is paid, and approval ---------------------------------

def set_rate(actor: User, group: Group, *, hourly: int | None, per_application: int | None,
             meeting_fee: int | None) -> bool:
    """How ``group`` is paid, each amount in pence or None. Refused when both an hourly
    rate and a fee per application are given (both would pay the same reading), and once
    any member's record on the round is approved (it was approved at these rates)."""
    if hourly and per_application:
        raise PaymentError(_("Choose an hourly rate or a fee per application, not both: "
                             "each pays for the same reading and scoring"),
                           "per_application")
    approved = db.session.scalar(select(func.count()).select_from(MemberPay).where(
        MemberPay.round_id == group.round_id, MemberPay.approved_at.is_not(None))) or 0
    if approved:
        raise PaymentError(ngettext(
            "%(num)d panel member's record is already approved at the pay set now, so it "
            "cannot change.",
            "%(num)d panel members' records are already approved at the pay set now, so it "
            "cannot change.", approved))
    rate = queries.pay_rate(group)
    new = {"hourly_pence": hourly, "per_application_pence": per_application,
           "meeting_fee_pence": meeting_fee}
    if rate is None:
        if not any(new.values()):
            return False
        rate = PayRate(round_id=group.round_id, group_id=group.id)
        db.session.add(rate)
        before, after = {"group": group.key}, {"group": group.key, **new}
    else:
        before, after = changes(rate, tuple(new), new)
        if not after:
            return False
        before, after = {"group": group.key, **before}, {"group": group.key, **after}
    for field, value in new.items():
        setattr(rate, field, value)
    db.session.flush()
    record("payment.rate_changed", actor=actor, target=rate, before=before, after=after)
    return True


def approve(actor: User, member: PanelMember) -> MemberPay:
    """Approve ``member``'s record as it stands: what they are paid (nothing when they
    chose not to be) is fixed, and the record no longer changes."""
    pay = _member_pay(member)
    if pay.approved:
        raise PaymentError(_("%(name)s's record is already approved.", name=member.user.name))
    summary = queries.member_record(member)
    pay.approved_at = utcnow()
    pay.approved_by_id = actor.id
    pay.approved_pence = summary.pay
    db.session.flush()
    record("payment.approved", actor=actor, target=member, after={
        "pay": summary.pay, "declined": summary.declined,
        "minutes": {item.label_key: item.record.minutes for item in summary.items},
        "applications_scored": summary.work.sheets_sent})
    return pay


def withdraw_approval(actor: User, member: PanelMember) -> None:
    """Undo an approval given by mistake: the record can change again (the member may
    correct it) and is approved again later."""
    pay = queries.member_pay(member)
    if pay is None or not pay.approved:
        raise PaymentError(_("%(name)s's record is not approved.", name=member.user.name))
    before = {"pay": pay.approved_pence}
    pay.approved_at = pay.approved_by_id = pay.approved_pence = None
    db.session.flush()
    record("payment.approval_withdrawn", actor=actor, target=member, before=before)


# --- The member: their choice, and corrections ------------------------------------------

def choose_payment(actor: User, member: PanelMember, *, declined: bool) -> bool:
    """The member's choice to be paid or not; changeable until their record is approved."""
    existing = queries.member_pay(member)
    if existing is not None and existing.approved:
        raise PaymentError(_("Your record has already been approved for payment, so this "
                             "cannot be changed here. Please contact the programme "
                             "officer."))
    if (existing.declined if existing else False) == declined:
        return False
    pay = _member_pay(member)
    before = {"declined": pay.declined}
    pay.declined = declined
    db.session.flush()
    record("payment.choice_changed", actor=actor, target=member, before=before,
           after={"declined": declined})
    return True


def correct(actor: User, member: PanelMember, time: TimeRecord, *, minutes: int,
            note: str) -> bool:
    """The member's own figure for one record, with a note saying why; refused without
    a note, outside 0 to 24 hours, or once the record is approved."""
    if _member_pay(member).approved:
        raise PaymentError(_("Your record has already been approved for payment, so it "
                             "cannot be changed here. Please contact the programme "
                             "officer."))
    note = (note or "").strip()
    if not 0 <= minutes <= MAX_CLAIM_MINUTES:
        raise PaymentError(_("Enter the minutes as a whole number from 0 to 1440 "
                             "(24 hours)"), "minutes")
    if not note:
        raise PaymentError(_("Say in a few words why the time is different, for example "
                             "“I read the application on paper first”"), "note")
    if len(note) > NOTE_MAX:
        raise PaymentError(_("The note can be up to %(most)s characters",
                             most=f"{NOTE_MAX:,}"), "note")
    if time.claimed_minutes == minutes and time.note == note:
        return False
    before = {"item": _item_key(time), "minutes": time.minutes, "note": time.note}
    time.claimed_minutes, time.note = minutes, note
    db.session.flush()
    record("time.corrected", actor=actor, target=member, before=before,
           after={"item": _item_key(time), "minutes": minutes, "note": note,
                  "measured_minutes": time.measured_minutes})
    return True


# --- Measuring: from the member's own requests ------------------------------------------

def sheet_seen(user_id: int, slug: str, reference: str, now: datetime | None = None,
               finish: bool = True) -> bool:
    """A request by the member to one of their application's scoring pages, at ``now``
    (before it is answered). Adds the gap since their last one, up to the idle limit;
    once the sheet is sent (or the application passed on) the record counts up to that
    moment, is finished, and later requests add nothing. Nothing happens for a member
    of a group not paid. Without ``finish`` (a request outside a transaction) a sent
    sheet's record is left for a request that can finish it. Returns whether the record
    changed."""
    now = now or utcnow()
    found = queries.sheet_to_measure(user_id, slug, reference)
    if found is None:
        return False
    member_id, round_id, application_id, time, done_at = found
    if done_at is not None and not finish:
        return False
    if time is None:
        if done_at is not None:  # sent before the first visit measured: nothing to time
            return False
        db.session.add(TimeRecord(round_id=round_id, member_id=member_id, kind=SHEET,
                                  application_id=application_id, first_seen_at=now,
                                  last_seen_at=now, measured_seconds=0, note=""))
        db.session.flush()
        return True
    if time.finished_at is not None:
        return False
    until = now if done_at is None else min(now, done_at)
    time.measured_seconds = advanced(time.measured_seconds, time.last_seen_at, until)
    time.last_seen_at = until
    if done_at is not None:
        time.finished_at = done_at
        db.session.flush()
        record("time.measured", round_id=round_id, target=db.session.get(
            PanelMember, member_id), after={"item": _item_key(time),
                                            "minutes": time.measured_minutes})
    db.session.flush()
    return True


def meeting_seen(user_id: int, slug: str, now: datetime | None = None,
                 every: int = 0) -> bool:
    """A request by the member to the meeting's pages while the meeting runs: as
    :func:`sheet_seen`, written at most once every ``every`` seconds."""
    now = now or utcnow()
    found = queries.meeting_to_measure(user_id, slug)
    if found is None:
        return False
    member_id, round_id, time = found
    if time is None:
        db.session.add(TimeRecord(round_id=round_id, member_id=member_id, kind=MEETING,
                                  first_seen_at=now, last_seen_at=now, measured_seconds=0,
                                  note=""))
        db.session.flush()
        record("time.meeting_joined", round_id=round_id,
               target=db.session.get(PanelMember, member_id), after={"item": MEETING})
        return True
    if (now - time.last_seen_at).total_seconds() < every:
        return False
    time.measured_seconds = advanced(time.measured_seconds, time.last_seen_at, now)
    time.last_seen_at = now
    db.session.flush()
    return True


def _member_pay(member: PanelMember) -> MemberPay:
    pay = queries.member_pay(member)
    if pay is None:
        pay = MemberPay(round_id=member.round_id, member_id=member.id, declined=False)
        db.session.add(pay)
    return pay


def _item_key(time: TimeRecord) -> str:
    return MEETING if time.is_meeting else time.application.reference
