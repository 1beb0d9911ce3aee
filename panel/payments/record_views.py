"""The officer's view of panellists' time and pay (issue 20; docs/payments.md):

/rounds/<slug>/payments                          every paid member's record and pay
/rounds/<slug>/payments/<member_id>              one member's record, item by item
/rounds/<slug>/payments/<member_id>/approve      approve it (POST, from the meeting on)
/rounds/<slug>/payments/<member_id>/withdraw     undo an approval given by mistake (POST)
/rounds/<slug>/payments.csv, payments.xlsx       the payments export, with totals
"""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from panel import access, policy
from panel.forms import ButtonForm
from panel.payments import exports, queries, services
from panel.payments.rules import IDLE_MINUTES, describe
from panel.rounds.models import Round
from panel.transactions import change


def _member(round_: Round, member_id: int):
    member = next((m for m in round_.members if m.id == member_id), None)
    return member or abort(404)


@access.officer_round()
def records(round_: Round):
    found = queries.round_records(round_)
    return render_template("payments/records.html", round=round_, records=found,
                           totals=exports.totals(found), idle=IDLE_MINUTES,
                           can_approve=round_.phase in policy.AFTER_SCORING)


@access.officer_round()
def member(round_: Round, member_id: int):
    found = queries.member_record(_member(round_, member_id))
    return render_template("payments/member.html", round=round_, record=found,
                           rate=describe(found.rate), form=ButtonForm(), idle=IDLE_MINUTES,
                           can_approve=round_.phase in policy.AFTER_SCORING)


@access.officer_round(*policy.AFTER_SCORING)
def approve(round_: Round, member_id: int):
    return _decide(round_, member_id, services.approve, _("%(name)s's record is approved."),
                   ".records")


@access.officer_round(*policy.AFTER_SCORING)
def withdraw(round_: Round, member_id: int):
    return _decide(round_, member_id, services.withdraw_approval,
                   _("%(name)s's approval is withdrawn: their record can change again."),
                   ".member")


def _decide(round_: Round, member_id: int, service, done_text: str, back: str):
    """Approve or withdraw (a button alone), then back to ``back`` with what happened
    (``done_text`` names the member as ``%(name)s``)."""
    member = _member(round_, member_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    with change(services.PaymentError) as done:
        service(current_user, member)
    flash(done.refusal if done.refused else done_text % {"name": member.user.name},
          "error" if done.refused else "success")
    if back == ".records":
        return redirect(url_for(back, slug=round_.slug))
    return redirect(url_for(back, slug=round_.slug, member_id=member.id))


@access.officer_round()
def export_csv(round_: Round):
    with change():  # the export is on the decision trail
        body = exports.payments_csv(current_user, round_)
    return _attachment(round_, body, "text/csv; charset=utf-8", "payments.csv")


@access.officer_round()
def export_xlsx(round_: Round):
    with change():
        body = exports.payments_xlsx(current_user, round_)
    return _attachment(round_, body, exports.XLSX_TYPE, "payments.xlsx")


def _attachment(round_: Round, body, mimetype: str, name: str) -> Response:
    return Response(body, content_type=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{round_.slug}-{name}"'})
