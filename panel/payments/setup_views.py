"""The officer sets how each group of a round is paid (issue 20; docs/payments.md):

/rounds/<slug>/setup/payment          each group's pay, in words
/rounds/<slug>/setup/payment/<key>    one group's hourly rate, fee per application and
                                      meeting fee (until the meeting)
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from panel import access, policy
from panel.payments import queries, services
from panel.payments.forms import rate_form
from panel.payments.rules import describe
from panel.rounds.models import Round
from panel.transactions import change


@access.officer_round()
def setup(round_: Round):
    group_rates = queries.rates(round_)
    return render_template("payments/setup.html", round=round_,
                           rates={g.id: describe(group_rates[g.id]) for g in round_.groups},
                           editable=round_.phase in policy.BEFORE_MEETING)


@access.officer_round(*policy.BEFORE_MEETING)
def rate(round_: Round, key: str):
    group = next((g for g in round_.groups if g.key == key), None) or abort(404)
    form = rate_form(queries.pay_rate(group))
    if form.validate_on_submit():
        with change(services.PaymentError) as done:
            changed = services.set_rate(current_user, group, **form.amounts())
        if not done.refused:
            flash(_("Pay for %(group)s saved.", group=group.label) if changed else
                  _("Nothing was changed: the answers were the same as before."),
                  "success" if changed else "info")
            return redirect(url_for(".setup", slug=round_.slug))
        field = done.error.field
        (form[field].errors if field else form.form_errors).append(done.refusal)
    return render_template("payments/rate.html", round=round_, group=group, form=form)
