"""Template files for the two import pages (issue 20): the headings of applications.csv
or panellists.csv and one example row, as CSV or as an Excel workbook, so an officer
starts from a file FairPanel will accept.

Every text cell goes through the same formula guard as every other download
(:mod:`panel.spreadsheets`); the example panellist names the round's own group by its
label, since the import accepts a label as well as a key."""
from __future__ import annotations

import io

from panel.bundle.checks import (
    APPLICATION_COLUMNS,
    PANELLIST_COLUMNS,
    WELSH_APPLICATION_COLUMNS,
)
from panel.rounds.models import Round
from panel.spreadsheets import csv_text, escaped

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXAMPLE_APPLICATION = ("CA-001", "Growing food together on the estate",
                       "We want to turn an empty patch of grass into a shared garden.",
                       "5000", "Sam Jones", "Green Street Garden", "sam@example.org",
                       # The optional Welsh title and lay summary (issue 21).
                       "Tyfu bwyd gyda'n gilydd ar yr ystâd",
                       "Rydyn ni eisiau troi darn gwag o laswellt yn ardd i bawb.")


def template_rows(kind: str, round_: Round) -> tuple[list[str], list[str]]:
    """``(headings, example row)`` for ``kind`` (applications or panellists)."""
    if kind == "applications":
        return [*APPLICATION_COLUMNS, *WELSH_APPLICATION_COLUMNS], list(EXAMPLE_APPLICATION)
    groups = list(round_.groups)
    group = groups[-1].label if groups else ""  # often the lived-experience group
    return ([*PANELLIST_COLUMNS, "affiliations", "language"],
            ["ann.lee@example.org", "Ann Lee", group, "panellist",
             "Green Street Garden; Riverside Food Bank", "en"])


def template_csv(kind: str, round_: Round) -> bytes:
    headings, example = template_rows(kind, round_)
    return csv_text(headings, [example]).encode("utf-8")


def template_xlsx(kind: str, round_: Round) -> bytes:
    headings, example = template_rows(kind, round_)
    from openpyxl import Workbook  # only here: it costs every command's start-up
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "applications" if kind == "applications" else "panellists"
    sheet.append([escaped(cell) for cell in headings])
    sheet.append([escaped(cell) for cell in example])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, heading in zip("ABCDEFGHIJ", headings):
        sheet.column_dimensions[column].width = max(14, len(heading) + 4)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
