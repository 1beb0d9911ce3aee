"""A staff member's own account: their password and their two-step sign-in (setting up
an authenticator app, recovery codes). Panellists have no password and never see these.
Their URLs join the ``accounts`` blueprint (:mod:`panel.accounts.blueprint`)."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from panel import access
from panel.accounts import second_factor, services
from panel.accounts.auth import check_password
from panel.accounts.forms import ChangePasswordForm, CodeForm
from panel.accounts.models import Role
from panel.extensions import limiter
from panel.transactions import change

staff_only = access.staff(*Role)


@staff_only
def account():
    return _account_page(CodeForm())


@staff_only
# Guesses at the current password count like sign-in attempts.
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm(person=user)
    if form.validate_on_submit():
        if not check_password(user, form.current.data):
            form.current.errors = [_("Your current password is not right")]
        else:
            with change():
                services.set_password(user, form.password.data)
            login_user(user)  # this session carries on; every other one has ended
            flash(_("Your password has been changed. Anywhere else you were signed in, "
                    "you have been signed out."), "success")
            return redirect(url_for(".account"))
    return render_template("accounts/change_password.html", form=form)


@staff_only
def set_up_second_factor():
    user = current_user._get_current_object()
    if user.has_second_factor:
        return redirect(url_for(".account"))
    with change():  # the key shown is the key kept, however often the page is opened
        factor = second_factor.start_setting_up(user)
    form = CodeForm()
    if form.validate_on_submit():
        with change(second_factor.CodeRejected) as done:
            codes = second_factor.confirm_setting_up(user, form.code.data)
        if not done.refused:
            return render_template("accounts/recovery_codes.html", codes=codes, first_time=True)
        form.code.errors = [done.refusal]
    return render_template(
        "accounts/set_up_second_factor.html", form=form,
        qr_code=second_factor.qr_code_svg(factor), key=second_factor.key_for_typing(factor),
        required=current_app.config["TOTP_REQUIRED"],
    )


@staff_only
@limiter.limit(lambda: current_app.config["SIGN_IN_PER_EMAIL_LIMIT"],
               key_func=lambda: f"recovery-codes:{current_user.get_id()}")
def new_recovery_codes():
    """Ten new codes (the old ones stop working), confirmed with a code from the app."""
    user = current_user._get_current_object()
    form = CodeForm()
    if form.validate_on_submit() and user.has_second_factor:
        with change(second_factor.CodeRejected) as done:
            codes = second_factor.replace_recovery_codes(user, form.code.data)
        if not done.refused:
            return render_template("accounts/recovery_codes.html", codes=codes, first_time=False)
        form.code.errors = [done.refusal]
    return _account_page(form)


def _account_page(form: CodeForm):
    user = current_user._get_current_object()
    return render_template(
        "accounts/account.html", user=user, form=form,
        codes_left=second_factor.recovery_codes_left(user) if user.has_second_factor else 0,
        required=current_app.config["TOTP_REQUIRED"],
    )
