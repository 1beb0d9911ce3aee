"""Reading pages as a person would: tables by their cells."""
from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd


class Cells(HTMLParser):
    """The text of every row of the ranking table, cell by cell."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def ranking_table(html: str) -> pd.DataFrame:
    table = html[html.index('<table class="fp-table" id="ranking">'):]
    parser = Cells()
    parser.feed(table[:table.index("</table>")])
    header, *rows = parser.rows
    return pd.DataFrame([row + [""] * (len(header) - len(row)) for row in rows], columns=header)
