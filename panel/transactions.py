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

from panel.extensions import db


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
