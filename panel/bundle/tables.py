"""Reading one table of a round bundle (CSV or Excel) into strings, and the
:class:`Problem` every check reports.

Row numbers are the ones a person sees in a spreadsheet: the headings are row 1 and
the first data row is row 2. :func:`read_table` keeps that number as the index of the
DataFrame it returns, so checks can name the row even after blank rows were skipped.
"""
from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pandas as pd
from flask_babel import gettext as _
from flask_babel import ngettext

from panel.spreadsheets import heading_key, unescape_cell

# What pandas says (in English, for programmers) when a row has more cells than headings.
PANDAS_TOO_MANY_CELLS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
# Unpacked size of a bundle .zip or an .xlsx (itself a zip): refuse zip bombs.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing to fix in a bundle. ``row`` and ``column`` are None when the problem
    is about the whole file or the whole row; for a JSON file ``row`` is a line."""

    file: str
    row: int | None
    column: str | None
    message: str

    def where(self) -> str:
        place = [self.file]
        if self.row is not None:
            place.append(_("line %(number)s", number=self.row) if self.file.endswith(".json")
                         else _("row %(number)s", number=self.row))
        if self.column:
            place.append(_("column %(column)s", column=self.column))
        return ", ".join(place)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


class BundleError(Exception):
    """A bundle (or one of its files) has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = list(problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def read_table(data: bytes, filename: str, *,
               label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a CSV (UTF-8, with or without BOM) or the first sheet of an .xlsx into a
    DataFrame of strings whose headings are :func:`heading_key`'s names: look-alike
    spellings of a heading (another case, a space for an underscore, a zero-width space
    or a soft hyphen inside) are the same column, so two of them are refused as a
    duplicate and one of them is that column (issue 22).

    The index is each row's spreadsheet row number; blank rows are left out. ``label``
    is the file name problems are reported under. A file that cannot be read gives
    ``(None, problems)``, never an exception."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        raw, problems = _read_csv(data, label)
    elif suffix == ".xlsx":
        raw, problems = _read_xlsx(data, label)
    else:
        return None, [Problem(label, None, None,
                              _("%(file)s is not a CSV file or an Excel workbook (.xlsx). "
                                "Save it as CSV UTF-8 or as an Excel workbook.",
                                file=filename))]
    if raw is None:
        return None, problems
    return _with_headings(raw, label)


def table_rows(df: pd.DataFrame) -> Iterator[tuple[int, dict[str, str]]]:
    """``(spreadsheet row number, {column: cell})`` for every row of a read table."""
    # Column by column into plain lists: DataFrame.to_dict("records") boxes every cell
    # through pandas one at a time (issue 17). The cells are str either way.
    columns = list(df.columns)
    if not columns:
        yield from ((int(number), {}) for number in df.index.tolist())
        return
    for number, cells in zip(df.index.tolist(), zip(*(df[c].tolist() for c in columns))):
        yield int(number), dict(zip(columns, cells))


def missing_columns(df: pd.DataFrame, required: tuple[str, ...] | list[str],
                    file: str) -> list[Problem]:
    """One problem naming every required column the table lacks."""
    missing = [column for column in required if column not in df.columns]
    if not missing:
        return []
    return [Problem(file, None, None,
                    ngettext("The column %(columns)s is missing. Add it to the first row, "
                             "where the column headings go.",
                             "The columns %(columns)s are missing. Add them to the first "
                             "row, where the column headings go.",
                             len(missing), columns=", ".join(missing)))]


def _read_csv(data: bytes, label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    if b"\x00" in data:
        return None, [Problem(label, None, None,
                              _("This is not a text file. Save it as CSV UTF-8."))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(label, None, None,
                              _("The file is not saved as UTF-8 text, so some letters would "
                                "be lost. In your spreadsheet, choose Save As and then CSV "
                                "UTF-8."))]
    # pandas cannot start from blank lines, so skip them and count them back in.
    body = text.lstrip("\r\n")
    skipped = text[:len(text) - len(body)].count("\n")
    try:
        raw = pd.read_csv(io.StringIO(body), header=None, dtype=str, keep_default_na=False,
                          skip_blank_lines=False)
    except pd.errors.EmptyDataError:
        return None, [_empty(label)]
    except pd.errors.ParserError as error:
        return None, [_parser_problem(label, str(error), skipped)]
    raw.index = range(skipped + 1, skipped + len(raw) + 1)  # spreadsheet row numbers
    return raw, []


def _parser_problem(label: str, detail: str, skipped: int) -> Problem:
    found = PANDAS_TOO_MANY_CELLS.search(detail)
    if found:
        columns = int(found.group(1))
        return Problem(label, int(found.group(2)) + skipped, None,
                       ngettext("This row has %(cells)s cells but the headings name only "
                                "%(num)d column. Remove the extra cells, or put text with "
                                "commas in double quotes.",
                                "This row has %(cells)s cells but the headings name only "
                                "%(num)d columns. Remove the extra cells, or put text with "
                                "commas in double quotes.",
                                columns, cells=found.group(3)))
    return Problem(label, None, None,
                   _("The file could not be read as CSV: a double quote may be missing its "
                     "partner. Save it again from your spreadsheet as CSV UTF-8."))


def _read_xlsx(data: bytes, label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    def not_xlsx() -> Problem:
        return Problem(label, None, None,
                       _("The file could not be read as an Excel workbook. Save it again "
                         "as .xlsx, or as CSV UTF-8."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return None, [not_xlsx()]
    if unpacked > MAX_UNPACKED_BYTES:
        return None, [Problem(label, None, None,
                              _("The workbook is too big to import (over 50 MB unpacked). "
                                "Remove other sheets and pictures, or save it as CSV "
                                "UTF-8."))]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it ignores
            raw = pd.read_excel(io.BytesIO(data), sheet_name=0, header=None, dtype=str,
                                keep_default_na=False, engine="openpyxl")
    except Exception:  # a damaged workbook fails in many different ways inside openpyxl
        return None, [not_xlsx()]
    raw.index = range(1, len(raw) + 1)  # blank rows at the top are kept: row 1 is row 1
    return raw, []


def _empty(label: str) -> Problem:
    return Problem(label, None, None,
                   _("The file is empty. The first row must name the columns."))


def _with_headings(raw: pd.DataFrame, label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    raw = raw.apply(_unescaped)
    # Column by column: a row-wise apply costs a Python call per row (issue 17).
    filled = (raw.apply(lambda column: column.str.strip()) != "").any(axis=1)
    if not filled.any():
        return None, [_empty(label)]
    heading_row = int(filled.idxmax())  # blank rows above the headings are allowed
    written = [str(cell).strip() for cell in raw.loc[heading_row]]
    headings = [heading_key(cell) for cell in written]
    body = raw.loc[filled & (raw.index > heading_row)]
    body.columns = range(len(headings))
    keep, problems = _usable_columns(headings, written, body, label, heading_row)
    table = body[keep].copy()
    table.columns = [headings[i] for i in keep]
    if len(keep) == 1 and ";" in headings[keep[0]]:
        problems.append(Problem(label, heading_row, None,
                                _("The columns are separated by semicolons. Save the file "
                                  "as CSV UTF-8, which separates them with commas.")))
    return (None if problems else table), problems


def _unescaped(column: pd.Series) -> pd.Series:
    """:func:`unescape_cell` on every cell of a column: only cells holding an apostrophe
    can change, so only those are looked at one by one."""
    column = column.astype(str)
    quoted = column.str.contains("'", regex=False)
    if quoted.any():
        column = column.copy()
        column[quoted] = column[quoted].map(unescape_cell)
    return column


def _usable_columns(headings: list[str], written: list[str], body: pd.DataFrame, label: str,
                    heading_row: int) -> tuple[list[int], list[Problem]]:
    keep: list[int] = []
    problems: list[Problem] = []
    first_seen: dict[str, int] = {}
    for i, heading in enumerate(headings):
        if not heading:
            # An empty trailing column is what spreadsheets often save; data without
            # a heading would be silently lost, so that is a problem.
            if body[i].str.strip().any():
                problems.append(Problem(label, heading_row, None,
                                        _("Column %(number)s has data but no heading. "
                                          "Give it a heading or delete it.", number=i + 1)))
            continue
        if heading in first_seen:
            problems.append(Problem(label, heading_row, heading, _two_columns(
                heading, first_seen[heading], i, written[first_seen[heading]], written[i])))
            continue
        first_seen[heading] = i
        keep.append(i)
    return keep, problems


def _two_columns(heading: str, first: int, second: int, first_written: str,
                 second_written: str) -> str:
    """Two columns (0-based ``first`` and ``second``) with the same heading: and, when
    they look different as written, why they are the same column."""
    if first_written == second_written:
        return _("There are two columns called %(heading)s (columns %(first)s and "
                 "%(second)s). Keep one of them.",
                 heading=heading, first=first + 1, second=second + 1)
    shown = ["".join(f"<U+{ord(c):04X}>" if c != " " and (c.isspace() or not c.isprintable())
                     else c for c in written) for written in (first_written, second_written)]
    return _('There are two columns called %(heading)s (columns %(first)s and %(second)s). '
             'Their headings "%(first_heading)s" and "%(second_heading)s" differ only in '
             "capitals, spaces or invisible characters, so they name the same column. Keep "
             "one of them.", heading=heading, first=first + 1, second=second + 1,
             first_heading=shown[0], second_heading=shown[1])
