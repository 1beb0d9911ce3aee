"""The spread of scores on one item as a server-drawn SVG: one lettered dot per counting
sheet on a 0–100 line, dots that would overlap stacked upwards, and a thin line back to
where a revised score started. No JavaScript and nothing from elsewhere; a table beside
it gives screen readers the same numbers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from panel.moderation.presenters import Mark

WIDTH = 640
LEFT, RIGHT = 24, 616
ROW = 36
RADIUS = 15
AXIS_SPACE = 40


@dataclass(frozen=True)
class Dot:
    letter: str
    x: float
    y: float
    group: int  # index of the group's colour; -1 when group labels are hidden
    start_x: float | None  # where a revised score started


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    axis_y: float
    dots: list[Dot]
    ticks: list[tuple[float, int]]  # (x, label)


def x_of(score: float) -> float:
    return LEFT + (RIGHT - LEFT) * max(0.0, min(100.0, score)) / 100


def spread_chart(marks: list[Mark], group_order: list[str]) -> Chart:
    """Dots placed left to right by score; each goes on the lowest row where it does not
    touch a dot already placed."""
    rows: list[list[float]] = []
    placed = []
    for mark in sorted(marks, key=lambda m: (m.score, m.letter)):
        x = x_of(mark.score)
        row = next((n for n, xs in enumerate(rows)
                    if all(abs(x - other) >= 2 * RADIUS + 2 for other in xs)), len(rows))
        if row == len(rows):
            rows.append([])
        rows[row].append(x)
        placed.append((mark, x, row))
    height = AXIS_SPACE + max(len(rows), 1) * ROW + 8
    axis_y = height - AXIS_SPACE + 8
    dots = [Dot(letter=mark.letter, x=x, y=axis_y - 8 - RADIUS - row * ROW,
                group=group_order.index(mark.group) if mark.group in group_order else -1,
                start_x=x_of(mark.initial) if mark.moved else None)
            for mark, x, row in placed]
    ticks = [(x_of(value), value) for value in range(0, 101, 25)]
    return Chart(WIDTH, height, axis_y, dots, ticks)
