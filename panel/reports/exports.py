"""Downloads of a large round's report made in the background: the report page offers
"Prepare …" instead of a direct link once a round has more applications than
``EXPORT_IN_BACKGROUND_FROM``; a job builds the file, records the export on the decision
trail as the direct download does (DESIGN.md §7), and leaves the file on the job's page
for the person who asked, for a day."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from panel.accounts.models import User
from panel.audit.services import record
from panel.extensions import db
from panel.jobs.progress import JobRefused, keep_file, report
from panel.jobs.queue import job
from panel.reports import kept
from panel.reports.board_pack import board_pack
from panel.reports.presenters import report_page
from panel.reports.report import report_csv, report_xlsx
from panel.rounds.models import Application, Round
from panel.rounds.queries import round_by_slug

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Export:
    """One kind of download: its format as the trail names it, its file and type, and
    how it is built from the report dict."""

    trail_format: str
    name: str
    mimetype: str
    build: Callable[[Round, dict], bytes]
    words: str


EXPORTS = {
    "csv": Export("csv", "report.csv", "text/csv; charset=utf-8",
                  lambda _round, found: report_csv(found).encode("utf-8"),
                  _l("the report as a spreadsheet (CSV)")),
    "xlsx": Export("xlsx", "report.xlsx", XLSX, lambda _round, found: report_xlsx(found),
                   _l("the report as an Excel workbook (XLSX)")),
    "board-pack": Export("board-pack.xlsx", "board-pack.xlsx", XLSX,
                         lambda round_, found: board_pack(report_page(round_, found)),
                         _l("the board pack (XLSX)")),
}


def in_background(round_: Round) -> bool:
    """Whether ``round_`` is large enough for its downloads to be made by a job."""
    limit = current_app.config["EXPORT_IN_BACKGROUND_FROM"]
    count = db.session.scalar(db.select(db.func.count(Application.id))
                              .where(Application.round_id == round_.id))
    return count >= limit


@job("reports.export", _l("Preparing a download"), max_retries=3)
def prepare(row, *, slug: str, what: str, user_id: int, full: bool) -> str:
    """Build download ``what`` of round ``slug`` for person ``user_id``: every figure
    (``full``, officers and auditors) or the panel's report."""
    actor = db.session.get(User, user_id)
    round_ = round_by_slug(slug)
    export = EXPORTS.get(what)
    if actor is None or round_ is None or export is None:
        raise JobRefused(_("That download cannot be made: the round or the person who "
                           "asked for it is no longer there."))
    report(_("Working out the figures"), 0, 3)
    found = kept.report(round_, panel=not full)
    report(_("Writing %(what)s", what=export.name), 1, 3)
    body = export.build(round_, found)
    report(_("Keeping the file for you"), 2, 3)
    keep_file(row, f"{round_.slug}-{export.name}", export.mimetype, body)
    record("report.exported", actor=actor, target=round_, before=None,
           after={"format": export.trail_format, "via": "web"})
    return _("%(what)s is ready: %(size)s bytes.", what=f"{export.name[:1].upper()}{export.name[1:]}",
             size=f"{len(body):,}")
