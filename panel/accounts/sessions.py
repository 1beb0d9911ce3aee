"""How long a session lasts, and what a session may open before its owner has finished
setting up (DESIGN.md §9 "secure session cookies"). The two request hooks are
registered for the whole app by :mod:`panel.accounts.blueprint`; the page's timeout
script reads :func:`session_seconds_left` through :mod:`panel.web`."""
from __future__ import annotations

import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from panel.accounts import second_factor
from panel.i18n import SESSION_KEY

SIGNED_IN_AT = "signed_in_at"  # seconds since the epoch, set at every sign-in
# With TOTP_REQUIRED on, staff without an authenticator app may open only these.
OPEN_WHILE_SETTING_UP = frozenset({
    "accounts.set_up_second_factor", "accounts.sign_out", "accounts.keep_alive", "static",
})


def session_seconds_left() -> int:
    """Seconds until this session reaches ``SESSION_ABSOLUTE_LIFETIME`` after sign-in;
    0 or less when it has (or carries no sign-in time, as sessions from before did)."""
    started = session.get(SIGNED_IN_AT)
    if not isinstance(started, int):
        return 0
    lifetime = current_app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
    return int(started + lifetime - time.time())


def end_sessions_past_their_lifetime():
    """A session in use still ends ``SESSION_ABSOLUTE_LIFETIME`` after sign-in, so a
    copied cookie is not good for ever (ASVS 3.3.2). Read from the signed cookie alone:
    no database."""
    if request.endpoint == "static" or "_user_id" not in session:
        return
    if session_seconds_left() > 0:
        return
    language = session.get(SESSION_KEY)
    logout_user()
    session.clear()
    if language is not None:
        session[SESSION_KEY] = language  # the pages stay in the language they chose
    flash(_("For your safety, we sign everyone out after a while, so please sign in "
            "again. Anything you saved is kept."), "info")
    return


def set_up_second_factor_first():
    """With ``TOTP_REQUIRED`` on, staff without an authenticator app are signed in to one
    page only: the one that sets it up."""
    if request.endpoint is None or request.endpoint in OPEN_WHILE_SETTING_UP:
        return None
    if current_user.is_authenticated and second_factor.must_set_up(current_user):
        return redirect(url_for("accounts.set_up_second_factor"))
    return None
