"""How a view or a command makes a change, the one way: call services inside
``with change(...)``; when the block ends the change is committed, and when a service
refuses (raises one of the errors named), everything it did is rolled back and the
refusal is kept for the page to show. Services check, write, flush and audit; they never
commit and never roll back the caller's transaction (DESIGN.md §9 "a failed request
leaves the database as it was").

    with change(MeetingError) as outcome:
        services.skip_item(current_user, meeting)
    if outcome.refused:
        flash(outcome.refusal, "error")

Any other exception rolls back too and goes on up (an error page, 500 or 503)."""
from __future__ import annotations

from flask import request

from panel.extensions import db

# Endpoints whose GET only reads: asked for on every step of scoring.
READ_ONLY_PAGES = frozenset({"home.my_rounds", "scoring.applications", "scoring.overview",
                             "scoring.application", "scoring.question"})


class change:  # noqa: N801  (used as a statement: ``with change(...)``)
    def __init__(self, *refusals: type[Exception]) -> None:
        self.refusals = refusals
        self.error: Exception | None = None

    def __enter__(self) -> "change":
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if kind is None:
            db.session.commit()
            return False
        db.session.rollback()
        if self.refusals and issubclass(kind, self.refusals):
            self.error = error
            return True
        return False

    @property
    def refused(self) -> bool:
        return self.error is not None

    @property
    def refusal(self) -> str:
        """The refusal's message, written for the person who acted ("" when none)."""
        return "" if self.error is None else str(self.error)


def reads_only() -> bool:
    """Whether this request only reads: a GET of one of :data:`READ_ONLY_PAGES`, the
    pages a panellist asks for again and again."""
    return request.method == "GET" and request.endpoint in READ_ONLY_PAGES


def reads_without_one() -> None:
    """Before a request that only reads (:func:`reads_only`), its statements are made to
    run without a transaction: no BEGIN and ROLLBACK reach the server (two round trips of
    a page's few; issue 17). On PostgreSQL that is autocommit. SQLite's driver begins a
    transaction only before a write, so reads already run without one; switching its
    isolation level there would send a PRAGMA that makes SQLite prepare every statement
    it had kept again, a fifth of the question page's CPU (docs/performance.md)."""
    if reads_only() and db.engine.dialect.name != "sqlite":
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
