"""A panel member's own time and pay on a round (issue 20; docs/payments.md), phone
first, in plain words:

/my-time/<slug>                       what the round pays, their time item by item, and
                                      what it comes to
/my-time/<slug>/choice                choose not to be paid (and change their mind)
/my-time/<slug>/sheets/<reference>    correct the time for one application, with a note
/my-time/<slug>/meeting               correct the time at the meeting, with a note

Only the member's own record is ever shown here; a member of a group the round does not
pay is told so, and has nothing to choose or correct.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from panel import access
from panel.extensions import db
from panel.payments import queries, services
from panel.payments.forms import ChoiceForm, CorrectionForm
from panel.payments.models import MEETING, SHEET, TimeRecord
from panel.payments.rules import IDLE_MINUTES, describe, hours_and_minutes, pounds
from panel.rounds.models import PanelMember, Round
from panel.scoring.queries import member_assignment
from panel.transactions import change


def _home(round_: Round):
    return redirect(url_for(".my_record", slug=round_.slug))


def _not_paid(round_: Round, member: PanelMember):
    """Sent back when the member's group is not paid (None when it is)."""
    if queries.member_rate(member).pays:
        return None
    flash(_("This round does not pay your group, so there is nothing to choose or "
            "correct."), "error")
    return _home(round_)


def my_pay_link(round_: Round) -> str | None:
    """The address of the signed-in member's time and payment page on ``round_``, when
    their group is paid (the round's page for its panel links to it); else None."""
    member = next((m for m in getattr(current_user, "memberships", ())
                   if m.round_id == round_.id), None)
    if member is None or not queries.member_rate(member).pays:
        return None
    return url_for("payments.my_record", slug=round_.slug)


@access.panel_round
def my_record(round_: Round, member: PanelMember):
    found = queries.member_record(member)
    return render_template("payments/my_record.html", round=round_, record=found,
                           rate=describe(found.rate), idle=IDLE_MINUTES,
                           pounds=pounds, duration=hours_and_minutes)


@access.panel_round
def my_choice(round_: Round, member: PanelMember):
    refused = _not_paid(round_, member)
    if refused:
        return refused
    current = queries.member_pay(member)
    form = ChoiceForm(data={"choice": "declined" if current and current.declined
                            else "paid"})
    if form.validate_on_submit():
        declined = form.choice.data == "declined"
        with change(services.PaymentError) as done:
            changed = services.choose_payment(current_user, member, declined=declined)
        if done.refused:
            form.choice.errors = [done.refusal]
        else:
            if changed:
                flash(_("Saved: you will not be paid for this round.") if declined else
                      _("Saved: you will be paid for this round."), "success")
            return _home(round_)
    return render_template("payments/my_choice.html", round=round_, form=form)


def _too_soon(round_: Round, member: PanelMember, not_yet: bool, meeting: bool):
    """Sent back when the group is not paid, or scoring (the meeting, with ``meeting``)
    has not started."""
    refused = _not_paid(round_, member)
    if refused or not not_yet:
        return refused
    flash(_("The meeting has not started yet, so there is no time to correct.") if meeting
          else _("Scoring has not started yet, so there is no time to correct."), "error")
    return _home(round_)


@access.panel_round
def my_sheet_time(round_: Round, member: PanelMember, reference: str):
    refused = _too_soon(round_, member, round_.in_setup, meeting=False)
    if refused:
        return refused
    assignment = member_assignment(current_user, round_.slug, reference)
    if assignment is None:
        return _home(round_)
    time = queries.time_record(member, reference) or TimeRecord(
        round_id=round_.id, member_id=member.id, kind=SHEET,
        application_id=assignment.application_id, application=assignment.application,
        measured_seconds=0, note="")
    return _correct(round_, member, time, assignment.application.title)


@access.panel_round
def my_meeting_time(round_: Round, member: PanelMember):
    refused = _too_soon(round_, member, round_.before_meeting, meeting=True)
    if refused:
        return refused
    time = queries.time_record(member, None) or TimeRecord(
        round_id=round_.id, member_id=member.id, kind=MEETING, measured_seconds=0, note="")
    return _correct(round_, member, time, _("The meeting"))


def _correct(round_: Round, member: PanelMember, time: TimeRecord, title: str):
    form = CorrectionForm(data={"minutes": time.minutes, "note": time.note})
    if form.validate_on_submit():
        with change(services.PaymentError) as done:
            if time.id is None:
                db.session.add(time)
            changed = services.correct(current_user, member, time,
                                       minutes=form.minutes.data, note=form.note.data)
        if not done.refused:
            flash(_("Your time is saved. The programme officer will check it.") if changed
                  else _("Nothing was changed."), "success" if changed else "info")
            return _home(round_)
        field = done.error.field
        (form[field].errors if field else form.form_errors).append(done.refusal)
    return render_template("payments/my_correction.html", round=round_, form=form,
                           title=title, time=time, idle=IDLE_MINUTES,
                           duration=hours_and_minutes)
