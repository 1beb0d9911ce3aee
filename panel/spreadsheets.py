"""Text cells that a spreadsheet could run as a formula (CSV injection), escaped the one
way every download uses: report CSVs and workbooks, the public summary's CSV, bundles,
the conflicts CSV and the audit trail's CSV."""
from __future__ import annotations

from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(text: str) -> str:
    """Protect a text cell from running as a spreadsheet formula: it starts with ' instead.

    A cell that already starts with apostrophes before a formula character gets one
    more, so that :func:`unescape_cell` gives back exactly the original text."""
    if text.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """Undo :func:`escape_cell` (bundles read back what they wrote): drop one apostrophe
    before a formula character."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def escaped(value: Any) -> Any:
    """:func:`escape_cell` for text; anything else (numbers, None) as it is."""
    return escape_cell(value) if isinstance(value, str) else value


def escape_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Every text cell of ``table`` escaped, for a CSV or a workbook."""
    return table.apply(lambda column: column.map(escaped) if column.dtype == object
                       or pd.api.types.is_string_dtype(column) else column)
