"""How long a session lasts, and what a session may open before its owner has finished
setting up (DESIGN.md §9 "secure session cookies"). The two request hooks are
registered for the whole app by :mod:`panel.accounts.blueprint`; the page's timeout
script reads :func:`session_seconds_left` through :mod:`panel.web`."""
from __future__ import annotations

import copy
import time
from functools import lru_cache

from flask import current_app, flash, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from itsdangerous import BadSignature

from panel.accounts import second_factor
from panel.i18n import SESSION_KEY

SIGNED_IN_AT = "signed_in_at"  # seconds since the epoch, set at every sign-in
# With TOTP_REQUIRED on, staff without an authenticator app may open only these.
OPEN_WHILE_SETTING_UP = frozenset({
    "accounts.set_up_second_factor", "accounts.sign_out", "accounts.keep_alive", "static",
})


# A session unchanged by a request is signed again only when its cookie is this old (or a
# twentieth of the idle time, if that is shorter): the idle timeout
# (``PERMANENT_SESSION_LIFETIME``, hours) still slides with use, to within a minute,
# without every page paying for signing a cookie (issue 17).
RENEW_AFTER_SECONDS = 60


def _renew_after(app) -> float:
    return min(RENEW_AFTER_SECONDS, app.permanent_session_lifetime.total_seconds() / 20)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, which remembers when its cookie was signed and
    signs an unchanged session again only once it is ``RENEW_AFTER_SECONDS`` old. The
    signing serializer is made once per secret key, not twice per request."""

    def __init__(self):
        self._serializers: dict = {}

    def get_signing_serializer(self, app):
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(key)
        if serializer is None and app.secret_key:
            serializer = self._serializers[key] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        try:
            data, signed_at = _verified(serializer, cookie)
        except BadSignature:
            return self.session_class()
        age = time.time() - signed_at
        if not 0 <= age <= app.permanent_session_lifetime.total_seconds():
            return self.session_class()  # expired (or signed in the future), as loads says
        # Each request its own copy: a request may change the session's lists in place.
        plain = all(isinstance(value, _SCALARS) for value in data.values())
        opened = self.session_class(data if plain else copy.deepcopy(data))
        opened.signed_at = signed_at
        return opened

    def should_set_cookie(self, app, session) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        return time.time() - getattr(session, "signed_at", 0) >= _renew_after(app)


_SCALARS = (str, int, float, bool, type(None))


@lru_cache(maxsize=8192)
def _verified(serializer, cookie: str) -> tuple[dict, float]:
    """A session cookie's contents and when it was signed, once its signature is checked.
    The browser sends the same cookie for a minute of pages (it is signed again only
    then): checked once, not on every page (issue 17). A forged or damaged cookie raises
    BadSignature every time, and is never kept. The age is checked by the caller, on
    every request."""
    data, signed = serializer.loads(cookie, return_timestamp=True)
    return data, signed.timestamp()


def idle_seconds_left() -> int:
    """Seconds until this session ends for want of use, as the browser's cookie stands
    after this request: the whole idle time when it is signed again now, a minute less
    at most when it is not."""
    lifetime = int(current_app.permanent_session_lifetime.total_seconds())
    signed_at = getattr(session._get_current_object(), "signed_at", None)
    if signed_at is None:
        return lifetime
    age = time.time() - signed_at
    return lifetime if age >= _renew_after(current_app) else int(lifetime - age)


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
