"""Signing in and out: panellists by e-mailed link, staff by password and, when they have
set it up, a code from their authenticator app (the second step). The pages where staff
manage their password and two-step sign-in are in :mod:`panel.accounts.account_views`."""
from __future__ import annotations

import logging
import time

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from panel import access
from panel.accounts import second_factor, services
from panel.accounts.forms import (
    ChoosePasswordForm,
    CodeForm,
    RecoveryCodeForm,
    SignInLinkForm,
    StaffSignInForm,
)
from panel.accounts.models import User
from panel.accounts.sessions import SIGNED_IN_AT
from panel.extensions import db, limiter
from panel.forms import ButtonForm
from panel.i18n import SESSION_KEY, current_language, is_language
from panel.transactions import change
from panel.web import safe_next

log = logging.getLogger(__name__)

# Between a right password and a right code, the session holds only this marker.
PASSWORD_PASSED = "password_passed"
PASSWORD_PASSED_SECONDS = 5 * 60


def _ip_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _email_limit() -> str:
    return current_app.config["SIGN_IN_PER_EMAIL_LIMIT"]


def _email_key() -> str:
    return "sign-in:" + services.normalise_email(request.form.get("email", ""))


sign_in_limits = [
    limiter.limit(_ip_limit, methods=["POST"]),
    limiter.limit(_email_limit, key_func=_email_key, methods=["POST"]),
]


def _second_step_key() -> str:
    marker = session.get(PASSWORD_PASSED) or {}
    return f"second-step:{marker.get('user')}"


# Codes and recovery codes share one count per account, wherever the guesses come from.
second_step_limits = [
    limiter.limit(_ip_limit, methods=["POST"]),
    limiter.shared_limit(_email_limit, "second-step", key_func=_second_step_key, methods=["POST"]),
]


def rate_limited(view):
    for limit in sign_in_limits:
        view = limit(view)
    return view


def second_step_limited(view):
    for limit in second_step_limits:
        view = limit(view)
    return view


@access.public
@rate_limited
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInLinkForm()
    if form.validate_on_submit():
        with change():
            services.request_sign_in_link(form.email.data, current_language())
        session["link_sent_to"] = form.email.data.strip()
        session["next"] = safe_next(request.args.get("next"))
        return redirect(url_for(".check_email"))
    return render_template("accounts/sign_in.html", form=form)


@access.public
def check_email():
    return render_template(
        "accounts/check_email.html",
        email=session.get("link_sent_to"),
        minutes=current_app.config["SIGN_IN_LINK_MINUTES"],
    )


@access.public
def sign_in_with_link(token: str):
    form = ButtonForm()
    if form.validate_on_submit():
        with change():
            user = services.use_token(token, "sign_in")
            if user is not None:
                services.signed_in(user, "link", session.get(SESSION_KEY))
        if user is None:
            return _link_expired()
        _fresh_session(user)
        return redirect(_next_after_sign_in())
    user = services.peek_token(token, "sign_in")
    if user is None:
        return _link_expired()
    return render_template("accounts/sign_in_link.html", form=form, user=user)


@access.public
@rate_limited
def staff_sign_in():
    form = StaffSignInForm()
    if form.validate_on_submit():
        with change():  # checking the password may renew its hash
            user = services.authenticate(form.email.data, form.password.data)
            if user is not None and not user.has_second_factor:
                services.signed_in(user, "password", session.get(SESSION_KEY))
        if user is not None and user.has_second_factor:
            _password_passed(user, safe_next(request.args.get("next")))
            return redirect(url_for(".sign_in_code"))
        if user is not None:
            _fresh_session(user)
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        log.info("Failed staff sign-in for %s from %s", form.email.data, request.remote_addr,
                 extra={"event": "sign_in.failed", "client": request.remote_addr})
        form.email.errors = [*form.email.errors,
                             _("Your email address or password is not right")]
    return render_template("accounts/staff_sign_in.html", form=form)


@access.public
@second_step_limited
def sign_in_code():
    """The second step: a code from the authenticator app."""
    user = _user_past_password()
    if user is None:
        return _sign_in_again()
    form = CodeForm()
    if form.validate_on_submit():
        with change(second_factor.CodeRejected) as done:
            second_factor.check_code(user, form.code.data)
            services.signed_in(user, "password and authenticator app",
                                session.get(SESSION_KEY))
        if not done.refused:
            return _finish_second_step(user)
        log.info("Wrong sign-in code for user %s from %s", user.id, request.remote_addr,
                 extra={"event": "sign_in.wrong_code", "client": request.remote_addr,
                        "subject_id": user.id})
        form.code.errors = [done.refusal]
    return render_template("accounts/sign_in_code.html", form=form)


@access.public
@second_step_limited
def sign_in_recovery_code():
    """The second step without the phone: one of the ten recovery codes."""
    user = _user_past_password()
    if user is None:
        return _sign_in_again()
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        with change(second_factor.CodeRejected) as done:
            left = second_factor.use_recovery_code(user, form.code.data)
            services.signed_in(user, "password and recovery code",
                                session.get(SESSION_KEY))
        if not done.refused:
            response = _finish_second_step(user)
            flash(_recovery_codes_left(left), "info")
            return response
        log.info("Wrong recovery code for user %s from %s", user.id, request.remote_addr,
                 extra={"event": "sign_in.wrong_recovery_code", "client": request.remote_addr,
                        "subject_id": user.id})
        form.code.errors = [done.refusal]
    return render_template("accounts/sign_in_recovery_code.html", form=form)


@access.public
def invitation(token: str):
    user = services.peek_token(token, "invitation")
    if user is None:
        return _link_expired(invitation=True)
    form = ChoosePasswordForm(person=user) if user.is_staff else ButtonForm()
    if form.validate_on_submit():
        with change():
            user = services.use_token(token, "invitation")
            if user is not None and user.is_staff:
                services.set_password(user, form.password.data)
            if user is not None and not user.has_second_factor:
                services.signed_in(user, "invitation", session.get(SESSION_KEY))
        if user is None:
            return _link_expired(invitation=True)
        if user.has_second_factor:  # invited again: the link is no way round the code
            _password_passed(user, None)
            return redirect(url_for(".sign_in_code"))
        _fresh_session(user)
        flash(_("Welcome to FairPanel, %(name)s.", name=user.name), "success")
        return redirect(url_for("home.index"))
    return render_template("accounts/invitation.html", form=form, user=user)


@access.signed_in
def sign_out():
    with change():
        services.signed_out(current_user)
    logout_user()
    clear_session()
    flash(_("You have signed out."), "success")
    return redirect(url_for(".sign_in"))


@access.public
def choose_language():
    """The language switch on every page: the person's choice is kept on their account
    when they are signed in, and in this browser's session either way; then back to the
    page they were on (a same-site path only, else the home page). A language FairPanel
    does not have changes nothing: back to the page, which says so."""
    next_url = safe_next(request.form.get("next")) or url_for("home.index")
    language = request.form.get("language", "")
    if not is_language(language):
        flash(_("FairPanel is in English and in Welsh: choose English or Cymraeg. "
                "Nothing has been changed."), "error")
        return redirect(next_url)
    if current_user.is_authenticated:
        with change():
            services.choose_language(current_user, language)
    session[SESSION_KEY] = language
    return redirect(next_url)


def clear_session() -> None:
    """Forget everything in the session except the language chosen in this browser
    (signing in or out starts a fresh session; the pages stay in their language)."""
    language = session.get(SESSION_KEY)
    session.clear()
    if is_language(language):
        session[SESSION_KEY] = language


@access.signed_in
def keep_alive():
    """"Stay signed in" on the timeout warning (WCAG 2.2.1): any request renews the
    session; this one does nothing else."""
    session.modified = True
    return "", 204


def _fresh_session(user: User) -> None:
    """A fresh session for every sign-in: nothing from before survives (no fixation).
    Called once the sign-in (``services.signed_in``) is committed."""
    next_url = session.get("next")
    clear_session()
    if next_url:
        session["next"] = next_url
    login_user(user)
    session.permanent = True
    session[SIGNED_IN_AT] = int(time.time())


def _password_passed(user: User, next_url: str | None) -> None:
    """Remember, for a few minutes, that this user gave the right password (and nothing
    else: the session is new, so nothing from before survives)."""
    clear_session()
    session[PASSWORD_PASSED] = {"user": user.id, "version": user.session_version,
                                "at": int(time.time()), "next": next_url}


def _user_past_password() -> User | None:
    marker = session.get(PASSWORD_PASSED)
    if not isinstance(marker, dict) or not isinstance(marker.get("user"), int):
        return None
    if not 0 <= time.time() - marker.get("at", 0) <= PASSWORD_PASSED_SECONDS:
        return None
    user = db.session.get(User, marker["user"])
    if (user is None or not user.active or not user.has_second_factor
            or user.session_version != marker.get("version")):
        return None
    return user


def _finish_second_step(user: User):
    next_url = safe_next(session[PASSWORD_PASSED].get("next"))
    _fresh_session(user)
    return redirect(next_url or url_for("home.index"))


def _sign_in_again():
    session.pop(PASSWORD_PASSED, None)
    flash(_("Sign in again with your email address and password. After your password, you "
            "have %(minutes)s minutes to enter the code.",
            minutes=PASSWORD_PASSED_SECONDS // 60), "info")
    return redirect(url_for(".staff_sign_in"))


def _recovery_codes_left(left: int) -> str:
    if left <= 3:
        return ngettext("You have %(num)d recovery code left. Make new ones from your "
                        "account page, under two-step sign-in.",
                        "You have %(num)d recovery codes left. Make new ones from your "
                        "account page, under two-step sign-in.", left)
    return ngettext("You have %(num)d recovery code left.",
                    "You have %(num)d recovery codes left.", left)


def _next_after_sign_in() -> str:
    return safe_next(session.pop("next", None)) or url_for("home.index")


def _link_expired(invitation: bool = False):
    return render_template("accounts/link_expired.html", invitation=invitation), 410

