"""Imports as background jobs: the request checks the file and shows what will happen,
the confirmation queues one of these jobs, and its page follows it to the end.

Each job writes everything in one transaction with its own completion (see
:mod:`panel.jobs.runner`): if anything goes wrong, nothing of the import is left. It checks
the parked file again first, because the round may have changed since the preview; a
problem then ends the job with that problem (file, row, column) on its page.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from panel import bundle
from panel.accounts.models import User
from panel.bundle import uploads
from panel.bundle.tables import BundleError, Problem
from panel.conflicts import suggestions
from panel.extensions import db
from panel.jobs.progress import JobRefused, report
from panel.jobs.queue import job
from panel.rounds.models import Round
from panel.rounds.queries import round_by_slug

# Where a whole bundle's parked upload is filed, in place of a round's slug: no round
# yet (a key, not words for people).
NEW = "(new round)"
FILES = {"applications": "applications.csv", "panellists": "panellists.csv"}


def expired() -> str:
    return _("The uploaded file is no longer waiting: it was imported already, or it expired "
             "after a day. Upload the file again.")


def first_problem(problems: list[Problem]) -> str:
    """The first problem in full, and how many more there are."""
    more = len(problems) - 1
    if not more:
        return str(problems[0])
    return ngettext("%(problem)s (and %(num)d more problem: check the file and upload it "
                    "again)",
                    "%(problem)s (and %(num)d more problems: check the file and upload it "
                    "again)", more, problem=str(problems[0]))


def check_rows(round_: Round, kind: str, data: bytes, filename: str):
    """``applications.csv`` or ``panellists.csv`` read and checked against ``round_``:
    (rows, problems)."""
    label = FILES[kind]
    table, problems = bundle.read_table(data, filename, label=label)
    if problems:
        return [], problems
    check = bundle.check_applications if kind == "applications" else bundle.check_panellists
    return check(table, round_, file=label)


@job("bundle.import_rows", _l("Importing a file"), max_retries=3)
def import_rows(row, *, token: str, table: str, slug: str, user_id: int) -> str:
    """Add the rows of a parked applications.csv or panellists.csv (``table``:
    applications or panellists) to round ``slug``."""
    kind = table
    actor = db.session.get(User, user_id)
    round_ = round_by_slug(slug)
    pending = round_ and actor and uploads.claim(token, kind, slug, user_id)
    if not pending:
        raise JobRefused(expired())
    if not round_.in_setup:
        raise JobRefused(_("The round is no longer being set up, so nothing can be added to "
                           "it. Nothing was imported."))
    report(_("Checking %(file)s", file=pending.filename), 0, None)
    rows, problems = check_rows(round_, kind, pending.data, pending.filename)
    if problems:
        raise JobRefused(first_problem(problems))
    if kind == "applications":
        added = bundle.add_applications(actor, round_, rows, progress=report)
        message = ngettext("%(num)d application added from %(file)s.",
                           "%(num)d applications added from %(file)s.",
                           len(added), file=pending.filename)
    else:
        added = bundle.add_panellists(actor, round_, rows, invite=True, progress=report)
        message = ngettext("%(num)d person added to the panel. New accounts have been "
                           "invited by email.",
                           "%(num)d people added to the panel. New accounts have been "
                           "invited by email.", len(added))
    suggestions.refresh_for_round(round_, progress=report)
    uploads.discard(pending.token)  # with the import: used once
    return message


@job("bundle.import_bundle", _l("Importing a round bundle"), max_retries=3)
def import_round(row, *, token: str, user_id: int, invite: bool) -> str:
    """Create a round from a parked bundle."""
    actor = db.session.get(User, user_id)
    pending = actor and uploads.claim(token, "bundle", NEW, user_id)
    if not pending:
        raise JobRefused(expired())
    report(_("Checking and writing %(file)s", file=pending.filename), 0, None)
    with tempfile.TemporaryDirectory(prefix="fairpanel-bundle-") as folder:
        path = Path(folder) / "bundle.zip"
        path.write_bytes(pending.data)
        try:
            round_ = bundle.import_bundle(actor, path, invite=invite, progress=report)
        except BundleError as error:
            raise JobRefused(first_problem(error.problems)) from None
    uploads.discard(pending.token)
    row.round_id = round_.id
    return _("%(title)s imported from %(file)s.", title=round_.title, file=pending.filename)
