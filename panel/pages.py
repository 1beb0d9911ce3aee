"""Long lists shown a page at a time: one :class:`Page` for every paged table (the
dashboard, assignments, conflicts, the ranking, the agenda, the audit trail), drawn by
``templates/macros/pagination.html``."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Sequence


@dataclass
class Page:
    """One page of a long list; ``number`` counts from 1."""

    items: list
    number: int
    pages: int
    total: int

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and those near this one; None
        stands for a gap."""
        shown = sorted({1, self.pages, *range(max(self.number - around, 1),
                                              min(self.number + around, self.pages) + 1)})
        found: list[int | None] = []
        for number in shown:
            if found and number - found[-1] > 1:
                found.append(None)
            found.append(number)
        return found


def page_bounds(total: int, asked: int, per_page: int) -> tuple[int, int]:
    """(page number, number of pages) for page ``asked`` of ``total`` items: always a
    page that exists, the first for nonsense, the last when asked past the end."""
    pages = max(ceil(total / per_page), 1)
    return min(max(asked, 1), pages), pages


def page_of(items: Sequence, asked: int, per_page: int) -> Page:
    """Page ``asked`` of a list already in memory."""
    number, pages = page_bounds(len(items), asked, per_page)
    return Page(list(items[(number - 1) * per_page:number * per_page]), number, pages,
                len(items))
