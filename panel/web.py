"""What every response shares: security headers, error pages, safe redirects and the
navigation each person sees."""
from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import wraps
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import (
    Flask,
    current_app,
    g,
    has_request_context,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import AnonymousUserMixin, current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from panel import access, policy, transactions
from panel.accounts import sessions
from panel.accounts.models import ROLE_LABELS
from panel.extensions import db, limiter, login_manager
from panel.i18n import current_language
from panel.rounds.models import PHASE_WORDS
from panel.rounds.rules_time_zones import DEFAULT_TIME_ZONE

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


# Pages where a right answer is refused too while the limit holds: say so (issue 22).
SECRET_PAGES = {
    "accounts.staff_sign_in": _l("To keep out people guessing, it is paused until then, even "
                                 "with the right password."),
    "accounts.sign_in_code": _l("To keep out people guessing, it is paused until then, even "
                                "with the right code."),
    "accounts.sign_in_recovery_code": _l("To keep out people guessing, it is paused until "
                                         "then, even with the right recovery code."),
}
# "There have been 5 tries in one minute": the limit's time, by its unit.
PER = {
    "second": lambda n: ngettext("one second", "%(num)d seconds", n),
    "minute": lambda n: ngettext("one minute", "%(num)d minutes", n),
    "hour": lambda n: ngettext("one hour", "%(num)d hours", n),
    "day": lambda n: ngettext("one day", "%(num)d days", n),
    "month": lambda n: ngettext("one month", "%(num)d months", n),
    "year": lambda n: ngettext("one year", "%(num)d years", n),
}


def too_many_message() -> tuple[str, int | None]:
    """What the "Too many attempts" page says, with when to try again, and the seconds
    until then (None when the limiter cannot tell, e.g. its store is down)."""
    found = limiter.current_limit
    if found is None or not found.breached:
        return _("You've tried this too many times in a short time. Wait a minute, then "
                 "try again."), None
    reset = datetime.fromtimestamp(found.reset_at, UTC)
    seconds = max(1, round((reset - datetime.now(UTC)).total_seconds()))
    local = reset.astimezone(ZoneInfo(DEFAULT_TIME_ZONE))
    item = found.limit
    unit = item.GRANULARITY.name
    per = PER[unit](item.multiples) if unit in PER else f"{item.multiples} {unit}"
    # Two sentences, each whole (its count decides its plural form), then why.
    tried = ngettext("There has been %(num)d try in %(per)s, the most allowed.",
                     "There have been %(num)d tries in %(per)s, the most allowed.",
                     item.amount, per=per)
    again = ngettext("Try again after %(time)s UK time, in %(num)d second.",
                     "Try again after %(time)s UK time, in %(num)d seconds.",
                     seconds, time=f"{local:%H:%M:%S}")
    paused = SECRET_PAGES.get(request.endpoint or "") or _("It is paused until then.")
    return f"{tried} {again} {paused}", seconds


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: never redirect somebody to another site after sign-in. A
    path with a control character (CR LF: a header split) or a space is none of ours:
    the caller falls back to the home page (issue 22)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 33 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


# The main navigation, in order: (label, endpoint, whether this person may use it).
NAV = (
    (_l("My rounds"), "home.my_rounds", policy.is_on_a_panel),
    (_l("My connections"), "profile.connections", policy.is_on_a_panel),
    (_l("Rounds"), "rounds.index", policy.can_manage_rounds),
    (_l("Audit"), "audit.index", policy.can_audit),
    (_l("People"), "admin.people", policy.can_administer),
    (_l("Jobs"), "admin.jobs", policy.can_administer),
    (_l("Your account"), "accounts.account", policy.is_staff),
)


def nav_items() -> list[tuple[str, str, str]]:
    """(label, endpoint, url) of the areas the signed-in person may use. The policy is
    asked on every page; the words and links for what it allows are made once per
    language (every page has this navigation; issue 17)."""
    if not has_request_context() or not current_user.is_authenticated:
        return []  # e-mails and commands render templates outside any request
    user = current_user._get_current_object()
    allowed = tuple(may(user) for _label, _endpoint, may in NAV)
    made = current_app.extensions.setdefault("fairpanel_nav_items", {})
    key = (current_language(), request.script_root, allowed)
    items = made.get(key)
    if items is None:
        items = made[key] = [(str(label), endpoint, fixed_url(endpoint))
                             for (label, endpoint, _may), shown in zip(NAV, allowed, strict=True)
                             if shown]
    return items


def fixed_url(endpoint: str, filename: str | None = None) -> str:
    """``url_for`` of a page without parameters, or of a static file, made once per
    process: the header, footer and navigation ask for a dozen of them on every page and
    they never change while the app runs (a static file's fingerprint included). Outside
    a request, or for a blueprint-relative endpoint, plain ``url_for``."""
    values = {} if filename is None else {"filename": filename}
    if not has_request_context() or endpoint.startswith("."):
        return url_for(endpoint, **values)
    made = current_app.extensions.setdefault("fairpanel_fixed_urls", {})
    key = (request.script_root, endpoint, filename)
    url = made.get(key)
    if url is None:
        url = made[key] = url_for(endpoint, **values)
    return url


def _template_url_for(endpoint: str, **values) -> str:
    if not values:
        return fixed_url(endpoint)
    if endpoint == "static" and values.keys() == {"filename"}:
        return fixed_url(endpoint, values["filename"])
    return url_for(endpoint, **values)


def _loaded_again_after_a_lost_connection(load, again):
    @wraps(load)
    def loaded(user_id):
        try:
            return load(user_id)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            log.warning("database connection lost; loading the signed-in person again")
        db.session.remove()
        again()
        return load(user_id)

    loaded.loads_again = True
    return loaded


def init_app(app: Flask) -> None:
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        # The client's address (sign-in rate limits, logs) and scheme (the CSRF referrer
        # check over HTTPS) as the proxy saw them, not the proxy's own.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    always = [("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
              ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY"),
              ("Permissions-Policy",
               "camera=(), microphone=(), geolocation=(), interest-cohort=()")]
    if app.config.get("SESSION_COOKIE_SECURE") and not app.debug:
        always.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    no_store = [*always, ("Cache-Control", "no-store")]

    @app.after_request
    def security_headers(response):
        # Each header unless the view set its own: the names already there read once
        # (Headers.setdefault searches them all for every header; issue 17).
        wanted = always if request.endpoint == "static" else no_store
        present = {name.lower() for name, _value in response.headers.items()}
        response.headers.extend([(name, value) for name, value in wanted
                                 if name.lower() not in present])
        return response

    # Before the signed-in user is loaded, which would start a transaction.
    app.before_request_funcs.setdefault(None, []).insert(0, transactions.reads_without_one)

    # Without a pool ping, the first request after a database restart meets a dead
    # connection at its first statement, which loads the signed-in person. SQLAlchemy
    # then drops the whole pool; nothing has been done yet, so the person is simply
    # loaded again on a fresh connection and never sees the restart.
    if not getattr(login_manager.user_callback, "loads_again", False):  # once per process
        login_manager.user_loader(_loaded_again_after_a_lost_connection(
            login_manager.user_callback, transactions.reads_without_one))

    @app.teardown_request
    def rollback_unfinished(exc):
        # A request that failed leaves the database as it was.
        if exc is not None:
            db.session.rollback()

    app.session_interface = sessions.SessionInterface()

    @app.context_processor
    def layout_context():
        signed_in = has_request_context() and current_user.is_authenticated
        return {"signed_in": signed_in, "nav_items": nav_items(),
                "session_seconds": sessions.idle_seconds_left() if signed_in else None,
                "session_ends_in": max(sessions.session_seconds_left(), 0) if signed_in else None}

    app.jinja_env.globals["url_for"] = _template_url_for
    # Templates ask the policy who may see what: {% if policy.can_manage_rounds(current_user) %}.
    app.jinja_env.globals["policy"] = policy

    @app.template_filter("phase_words")
    def phase_words(phase: str) -> str:
        """A phase as a sentence names it, in the reader's language ("decided")."""
        words = PHASE_WORDS.get(phase)
        return str(words) if words is not None else phase

    @app.template_filter("role_label")
    def role_label(role: str) -> str:
        return ROLE_LABELS.get(role, role)

    def error_page(status: int, title: str, message: str):
        def handler(error):
            db.session.rollback()
            return render_template("errors/error.html", title=title, message=message,
                                   status=status), status
        return handler

    @app.errorhandler(403)
    def forbidden(error):
        db.session.rollback()
        said = access.staff_refusal(g.get("page_for"), current_user)
        return render_template("errors/error.html", title=said.title, message=said.message,
                               link=said.link, status=403), 403
    app.register_error_handler(404, error_page(
        404, _l("Page not found"),
        _l("If you typed the web address, check it is correct. If you pasted it, check you "
           "copied the whole address.")))
    app.register_error_handler(413, error_page(
        413, _l("That file is too big"),
        _l("Files can be up to %(megabytes)s MB. Go back and choose a smaller file.",
           megabytes=app.config['MAX_CONTENT_LENGTH'] // (1024 * 1024))))
    @app.errorhandler(429)
    def too_many(error):
        log.warning("Rate limit reached on %s from %s: %s", request.path, request.remote_addr,
                    error.description, extra={"event": "rate_limited",
                                              "client": request.remote_addr})
        message, seconds = too_many_message()
        response, status = error_page(429, _("Too many attempts"), message)(error)
        response = make_response(response, status)
        if seconds is not None:
            response.headers["Retry-After"] = str(seconds)
        return response

    app.register_error_handler(500, error_page(
        500, _l("Sorry, something went wrong"),
        _l("Nothing you entered has been changed. Go back and try again in a moment.")))
    unavailable_page = error_page(
        503, _l("Sorry, we could not do that just now"),
        _l("Nothing you saved before is lost, and nothing was changed this time. "
           "Go back and try again in a minute."))

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        # The database went away (a restart, a lost connection): say try again, in the
        # form the page understands; the background save keeps the answer on the page.
        db.session.rollback()
        # Answered as to someone signed out: the navigation, and the language on their
        # account, would need the database to know who is signed in (the words come in
        # the language chosen in this browser, else the browser's own).
        g._login_user = AnonymousUserMixin()
        if request.is_json:
            return jsonify(saved=False, message=_(
                "Not saved yet: we could not reach our database. Your answer is still on "
                "this page. Try again in a minute.")), 503
        return unavailable_page(error)

    expired_page = error_page(
        400, _l("This form has expired"),
        _l("For your security, forms stop working after a while or after you sign in or "
           "out. Go back, reload the page and try again. Nothing has been changed."))

    @app.errorhandler(CSRFError)
    def expired(error):
        # The background save (static/js/scoring.js) shows the message it is given.
        if request.is_json:
            db.session.rollback()
            return jsonify(saved=False, message=_(
                "This form has expired. Reload the page to carry on: what was saved before "
                "is kept.")), 400
        return expired_page(error)
