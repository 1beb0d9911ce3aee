"""How FairPanel writes and reads spreadsheet cells and headings: the one place.

Text cells that a spreadsheet could run as a formula (CSV injection) are escaped the one
way every download uses (report CSVs and workbooks, the public summary's CSV, bundles,
the conflicts CSV, the audit trail's CSV and the verification kit), and every CSV is
written by :class:`CsvWriter`, which quotes any cell holding a line break. Headings of
every table FairPanel reads are compared by :func:`heading_key`.
"""
from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import IO, Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start reading a cell: the start of the text, and just after a
# line break (a reader that ends rows at a bare CR starts a new row there, issue 22).
_ESCAPE = re.compile(r"(?:^|(?<=[\r\n]))(?='*[=+\-@\t\r])")
_UNESCAPE = re.compile(r"(?:^|(?<=[\r\n]))'(?='*[=+\-@\t\r])")


def escape_cell(text: str) -> str:
    """Protect a text cell from running as a spreadsheet formula: the text, and every
    line after a line break, that starts with a formula character (after any
    apostrophes) gets one apostrophe in front, so :func:`unescape_cell` gives back
    exactly the original text (docs/bundles.md, "Cells that look like formulas")."""
    return _ESCAPE.sub("'", text)


def unescape_cell(text: str) -> str:
    """Undo :func:`escape_cell` (bundles read back what they wrote): drop one apostrophe
    before a formula character at the start of the text and after each line break."""
    return _UNESCAPE.sub("", text)


def escaped(value: Any) -> Any:
    """:func:`escape_cell` for text; anything else (numbers, None) as it is."""
    return escape_cell(value) if isinstance(value, str) else value


def escape_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Every text cell of ``table`` escaped, for a workbook."""
    return table.apply(lambda column: column.map(escaped) if column.dtype == object
                       or pd.api.types.is_string_dtype(column) else column)


class CsvWriter:
    """Rows of a CSV (UTF-8, commas, rows ending in LF), every text cell passed through
    :func:`escape_cell` — callers hand over the text as it is — and every cell that
    holds a CR or LF in double quotes, so no reader can end a row inside a cell.
    ``quote_text`` puts every text cell in double quotes (the bundles' style)."""

    def __init__(self, out: IO[str], *, quote_text: bool = False) -> None:
        self._out = out
        self._line = io.StringIO()
        # csv quotes a cell holding any character of the line ending, so with CR LF it
        # quotes both; each row's own CR LF is then turned into the LF FairPanel writes.
        self._writer = csv.writer(self._line, lineterminator="\r\n",
                                  quoting=csv.QUOTE_NONNUMERIC if quote_text
                                  else csv.QUOTE_MINIMAL)

    def writerow(self, cells: Iterable[Any]) -> None:
        self._writer.writerow([_cell(value) for value in cells])
        line = self._line.getvalue()
        self._line.seek(0)
        self._line.truncate()
        self._out.write(line[:-2] + "\n")

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV written by :class:`CsvWriter`."""
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def frame_csv(table: pd.DataFrame) -> str:
    """A DataFrame as CSV (headings, then one line a row; empty for a missing value)."""
    return csv_text([str(c) for c in table.columns], table.itertuples(index=False, name=None))


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return escape_cell(value)
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return float(value)  # csv writes repr(): numpy's would read "np.float64(1.5)"
    return value


# Headings ---------------------------------------------------------------------------------

# A run of spaces, with any underscores beside them; underscores alone are kept as they
# are, so a criterion key like "a__b" is still its own heading.
_SPACES = re.compile(r"[ _]* [ _]*")


def heading_key(text: str) -> str:
    """The name a table heading stands for, whatever look-alike spelling it came in:
    Unicode NFKC, invisible format characters (zero-width space, soft hyphen, byte-order
    mark…) dropped, every kind of space read as a space, case folded, and each run of
    spaces (with any underscores beside them) one underscore. "Contact Email", "contact\u00a0email" and
    "contact_email\u200b" are all ``contact_email`` (issue 22)."""
    return _heading_key(str(text))


@lru_cache(maxsize=4096)  # the same few dozen headings, asked for on every blind page
def _heading_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if character.isspace() else character for character in text
                   if unicodedata.category(character) != "Cf")
    return _SPACES.sub("_", text.strip().casefold())
