"""Reading a downloaded CSV the way a careless spreadsheet would (issue 22): rows end at a
bare CR as well as at LF, quotes are not understood. No cell it sees may start a formula."""
from __future__ import annotations

import csv
import io
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def naive_cells(text: str) -> list[str]:
    """Every cell a reader sees that splits rows at CR, LF or CR LF and cells at commas,
    taking a double quote that opens a cell as a quote."""
    return [cell.removeprefix('"')
            for line in _LINE_BREAK.split(text) for cell in line.split(",")]


def formula_cells(text: str) -> list[str]:
    """Cells that would run as a formula, read naively or by Python's csv module (each
    line of a multi-line cell counted as a cell); numbers such as -0.5 are numbers."""
    parsed = [line for row in csv.reader(io.StringIO(text, newline=""))
              for cell in row for line in _LINE_BREAK.split(cell)]
    return [cell for cell in naive_cells(text) + parsed
            if cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell)]


def csv_rows(text: str) -> list[dict[str, str]]:
    """The rows as Python's csv module reads them (CR and LF kept inside cells)."""
    return list(csv.DictReader(io.StringIO(text, newline="")))
