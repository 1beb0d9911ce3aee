"""The application log: JSON lines on standard output, one per request and one per event
worth knowing about (a failed sign-in, a wrong code, the rate-limit store going away, a
mail that could not be sent). The process manager or the container keeps stdout; nothing
is written to files. A ``flask`` command logs warnings and errors to stderr instead: its
stdout is its output.

Every line of a request carries its request id: the reverse proxy's ``X-Request-ID``
when a trusted proxy sent a sane one, else a new one; it is echoed in the response's
``X-Request-ID`` so that the proxy's, gunicorn's and this log can be joined. Paths are
logged without their query string, and the secret part of an e-mailed link
(``/sign-in/link/<token>``, ``/invitation/<token>``) never reaches a line: it is
replaced by ``<token>`` wherever it would appear, even in another library's message.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

import click
from flask import Flask, Response, current_app, g, has_request_context, request
from sqlalchemy import inspect
from sqlalchemy.exc import NoInspectionAvailable

REQUEST_ID = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# URL variables that are secrets: the rest of any path after their rule's prefix is one.
SECRET_VARIABLES = ("token",)
# What a flask command still logs below WARNING: the migrations `flask db upgrade` runs.
COMMAND_INFO = ("alembic.runtime.migration",)
# What a record carries beyond the standard attributes, when a caller passes extra={...}.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}

request_log = logging.getLogger("fairpanel.request")


class JsonLines(logging.Formatter):
    """One JSON object per record, on one line: time, level, logger, message, the request
    id when there is a request, any ``extra`` fields, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context() and "request_id" in g:
            line["request_id"] = g.request_id
        line.update({key: value for key, value in vars(record).items()
                     if key not in _STANDARD and not key.startswith("_")})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(line, default=str, ensure_ascii=False))


_secret_paths: re.Pattern | None = None


def redact(text: str) -> str:
    """``text`` with the secret of every e-mailed link in it replaced by ``<token>``."""
    return _secret_paths.sub(r"\1<token>", text) if _secret_paths else text


class _Stdout(logging.StreamHandler):
    """Writes to whatever ``sys.stdout`` is at the time (a test's capture, a reloaded
    console), not the one there was when the handler was made; during a ``flask``
    command, to stderr, since the command's stdout is its output (a report, a CSV)."""

    @property
    def stream(self):
        return sys.stderr if _in_a_command() else sys.stdout

    @stream.setter
    def stream(self, _value):
        pass

    def filter(self, record: logging.LogRecord) -> bool:
        # A command's stderr is where it tells what went wrong: only warnings and errors
        # join it, and the migrations `flask db upgrade` runs.
        if (_in_a_command() and record.levelno < logging.WARNING
                and not record.name.startswith(COMMAND_INFO)):
            return False
        return super().filter(record)


def _in_a_command() -> bool:
    return click.get_current_context(silent=True) is not None


def to_stdout() -> _Stdout:
    """The one handler on the root logger: JSON lines on stdout, from level INFO. Made
    the first time an app is built; later calls find it."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, _Stdout):
            return handler
    handler = _Stdout()
    handler.setFormatter(JsonLines())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def init_app(app: Flask) -> None:
    """Send every log record to stdout as a JSON line and log each request. Then call
    :func:`find_secret_paths` once the blueprints are registered."""
    to_stdout()
    # Before any other before_request function: one of those may answer the request
    # itself (a redirect to sign in), and its line still needs an id and a start.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)


def find_secret_paths(app: Flask) -> None:
    """Learn the secret paths from ``app``'s URL rules (its blueprints' links by e-mail)."""
    global _secret_paths
    _secret_paths = _secret_path_pattern(app)


def _secret_path_pattern(app: Flask) -> re.Pattern | None:
    prefixes = sorted({rule.rule.split(f"<{name}>")[0] for rule in app.url_map.iter_rules()
                       for name in SECRET_VARIABLES if name in rule.arguments})
    if not prefixes:
        return None
    return re.compile("(" + "|".join(map(re.escape, prefixes)) + r")[^\s\"'?#]+")


def _start() -> None:
    g.request_started = time.perf_counter()
    g.request_id = _request_id()


def _request_id() -> str:
    """The proxy's id when a trusted proxy sent one that is safe to log, else a new one.
    Without a trusted proxy the header could come from anyone, so it is not taken."""
    offered = request.headers.get(REQUEST_ID, "")
    if current_app.config.get("TRUSTED_PROXIES", 0) and _SANE_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def _finish(response: Response) -> Response:
    if "request_id" not in g:  # a request that failed before _start ran
        _start()
    response.headers[REQUEST_ID] = g.request_id
    path = redact(request.path)
    request_log.info(
        "%s %s %s", request.method, path, response.status_code,
        extra={"method": request.method, "path": path,
               "status": response.status_code,
               "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
               "user_id": _user_id()})
    return response


def _user_id() -> int | None:
    """The signed-in person's id, if the request loaded them, without a query: after the
    view's commit their attributes are expired, and reading ``id`` would reload the row."""
    try:
        identity = inspect(g.get("_login_user")).identity
    except NoInspectionAvailable:  # nobody signed in, or not loaded
        return None
    return identity[0] if identity else None
