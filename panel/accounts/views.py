"""Signing in and out: panellists by e-mailed link, staff by password."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from panel.accounts import services
from panel.accounts.forms import ChoosePasswordForm, ContinueForm, SignInLinkForm, StaffSignInForm
from panel.accounts.models import User
from panel.extensions import db, limiter
from panel.web import safe_next

bp = Blueprint("accounts", __name__)
log = logging.getLogger(__name__)


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


def rate_limited(view):
    for limit in sign_in_limits:
        view = limit(view)
    return view


@bp.route("/sign-in", methods=["GET", "POST"])
@rate_limited
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInLinkForm()
    if form.validate_on_submit():
        services.request_sign_in_link(form.email.data)
        db.session.commit()
        session["link_sent_to"] = form.email.data.strip()
        session["next"] = safe_next(request.args.get("next"))
        return redirect(url_for(".check_email"))
    return render_template("accounts/sign_in.html", form=form)


@bp.get("/sign-in/check-email")
def check_email():
    return render_template(
        "accounts/check_email.html",
        email=session.get("link_sent_to"),
        minutes=current_app.config["SIGN_IN_LINK_MINUTES"],
    )


@bp.route("/sign-in/link/<token>", methods=["GET", "POST"])
def sign_in_with_link(token: str):
    form = ContinueForm()
    if form.validate_on_submit():
        user = services.use_token(token, "sign_in")
        if user is None:
            return _link_expired()
        _start_session(user, "link")
        return redirect(_next_after_sign_in())
    user = services.peek_token(token, "sign_in")
    if user is None:
        return _link_expired()
    return render_template("accounts/sign_in_link.html", form=form, user=user)


@bp.route("/sign-in/staff", methods=["GET", "POST"])
@rate_limited
def staff_sign_in():
    form = StaffSignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            _start_session(user, "password")
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        log.info("Failed staff sign-in for %s from %s", form.email.data, request.remote_addr)
        form.email.errors = [*form.email.errors, "Your email address or password is not right"]
    return render_template("accounts/staff_sign_in.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    user = services.peek_token(token, "invitation")
    if user is None:
        return _link_expired(invitation=True)
    form = ChoosePasswordForm() if user.is_staff else ContinueForm()
    if form.validate_on_submit():
        user = services.use_token(token, "invitation")
        if user is None:
            return _link_expired(invitation=True)
        if user.is_staff:
            services.set_password(user, form.password.data)
        _start_session(user, "invitation")
        flash(f"Welcome to FairPanel, {user.name}.", "success")
        return redirect(url_for("home.index"))
    return render_template("accounts/invitation.html", form=form, user=user)


@bp.post("/sign-out")
@login_required
def sign_out():
    services.signed_out(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for(".sign_in"))


@bp.post("/session/keep-alive")
@login_required
def keep_alive():
    """"Stay signed in" on the timeout warning (WCAG 2.2.1): any request renews the
    session; this one does nothing else."""
    session.modified = True
    return "", 204


def _start_session(user: User, method: str) -> None:
    """A fresh session for every sign-in: nothing from before survives (no fixation)."""
    next_url = session.get("next")
    session.clear()
    if next_url:
        session["next"] = next_url
    services.signed_in(user, method)
    db.session.commit()
    login_user(user)
    session.permanent = True


def _next_after_sign_in() -> str:
    return safe_next(session.pop("next", None)) or url_for("home.index")


def _link_expired(invitation: bool = False):
    return render_template("accounts/link_expired.html", invitation=invitation), 410
