"""The community-voice report's charts as geometry: lines, bars and labels computed here,
drawn as SVG by templates/reports/_charts.html. No JavaScript and nothing from elsewhere;
each chart on the page is described by a sentence and followed by a table with the same
numbers.

Sizes are SVG user units. A chart is drawn at the width of its column through its
viewBox, so it fits any screen; at least ``MIN_WIDTH`` units wide with ``FONT``-unit
text, its words stay at 14 CSS pixels or more on a 320-pixel phone (290 pixels of
column). Text widths are estimated generously (``CHAR`` units a character), since the
server cannot measure them.

Bars are drawn on a fixed, labelled axis in the figure's own unit (0 to 100 for scores,
0 to the scale's range for criterion points), never scaled to fit the largest bar: a
tenth of a point looks like a tenth of a point. Slope charts name each application by
its title, cut at ``SHORT`` characters (the full title is the text's tooltip and is in
the table below the chart)."""
from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

FONT = 18
CHAR = 0.62 * FONT
BOLD = 1.1  # bold text is this much wider
MIN_WIDTH = 360
PAD = 6
ROW = 30  # one application on a slope chart
FUNDING_ROW = 40  # the gap where a slope chart's funding line is drawn
HEAD_LINE = 24
MIDDLE = 100  # the least room between a slope chart's two columns of labels
BAR = 22
BAR_ROW = 34
ALL_UP_TO = 30  # rounds with more applications show only those near the funding line
NEAR_LINE = 10
FUNDING_LINE = _l("Funding line")  # in the reader's language: str() it where it is measured
SHORT = 24  # characters of a title on a slope chart: at 600 px its words stay 14 px
BAR_WIDTH = MIN_WIDTH  # a bar chart's width: its words stay 14 px on a 320 px phone


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    anchor: str = "start"  # SVG text-anchor: start | middle | end
    strong: bool = False
    full: str = ""  # the whole text, when ``text`` is cut short: the tooltip


@dataclass(frozen=True)
class Segment:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class SlopeRow:
    """One application in two rankings: on the left (say, with every group) and on the
    right (without one group, or after the meeting)."""

    reference: str
    left_rank: int | None
    right_rank: int | None
    left_funded: bool
    right_funded: bool
    title: str = ""  # the application's title: its label on the chart, cut short

    @property
    def kind(self) -> str:
        """left_only / right_only: funded in that ranking only; same: no change."""
        if self.left_funded and not self.right_funded:
            return "left_only"
        if self.right_funded and not self.left_funded:
            return "right_only"
        return "same"


@dataclass(frozen=True)
class SlopeLine:
    reference: str
    line: Segment
    kind: str


@dataclass(frozen=True)
class SlopeChart:
    width: float
    height: float
    texts: list[Text]
    lines: list[SlopeLine]
    funding_lines: list[Segment]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    negative: bool


@dataclass(frozen=True)
class BarChart:
    width: float
    height: float
    texts: list[Text]
    bars: list[Bar]
    axis: list[Segment]


def text_width(text: str) -> float:
    return len(text) * CHAR


def short(title: str, size: int = SHORT) -> str:
    """``title`` cut at a word to at most ``size`` characters, with an ellipsis."""
    if len(title) <= size:
        return title
    cut = title[:size - 1].rsplit(" ", 1)[0] if " " in title[:size - 1] else title[:size - 1]
    return cut.rstrip(" ,;:–-") + "\u2026"


# Which applications a slope chart shows ------------------------------------------------------

def shown_rows(rows: list[SlopeRow]) -> list[SlopeRow]:
    """Every row of a round of up to ``ALL_UP_TO`` applications. In a larger round only
    the ranked applications funded in either ranking, or within ``NEAR_LINE`` places of
    either funding line; the order is kept."""
    if len(rows) <= ALL_UP_TO:
        return list(rows)
    left_line = max((r.left_rank for r in rows if r.left_funded and r.left_rank), default=0)
    right_line = max((r.right_rank for r in rows if r.right_funded and r.right_rank), default=0)

    def near(value: int | None, line: int) -> bool:
        return value is not None and line - NEAR_LINE < value <= line + NEAR_LINE

    return [r for r in rows if r.left_rank is not None and (
        r.left_funded or r.right_funded or near(r.left_rank, left_line)
        or near(r.right_rank, right_line))]


# Slope chart -----------------------------------------------------------------------------------

def slope_chart(rows: Iterable[SlopeRow], left_heading: tuple[str, str],
                right_heading: tuple[str, str]) -> SlopeChart:
    """Each ranked application twice: ``title rank`` on the left, ``rank title`` on the
    right (the title cut short, the reference when there is none; in that ranking's
    order; no rank: last, as "no score"), joined by a line. Each side leaves a gap after its last funded application for its funding
    line. Headings are two lines each."""
    rows = [r for r in rows if r.left_rank is not None]
    left_order = sorted(rows, key=lambda r: r.left_rank)
    right_order = sorted(rows, key=lambda r: (r.right_rank is None, r.right_rank or 0,
                                              r.reference))
    names = {r.reference: short(r.title or r.reference) for r in rows}
    full = {r.reference: r.title if names[r.reference] != r.title else "" for r in rows}
    left_labels = {r.reference: f"{names[r.reference]} {r.left_rank}" for r in rows}
    no_score, funding_line = _("no score"), str(FUNDING_LINE)
    right_labels = {r.reference: f"{r.right_rank if r.right_rank is not None else no_score}"
                                 f" {names[r.reference]}" for r in rows}
    left_w = max([text_width(t) for t in left_labels.values()] + [text_width(funding_line)])
    right_w = max([text_width(t) for t in right_labels.values()] + [text_width(funding_line)])
    headings = max(map(text_width, left_heading)) + max(map(text_width, right_heading))
    width = round(max(MIN_WIDTH, left_w + MIDDLE + right_w, headings + 3 * PAD))
    right_x = width - right_w
    top = 2 * HEAD_LINE + 16
    texts = [Text(0, HEAD_LINE * (n + 1), line, "start", True)
             for n, line in enumerate(left_heading)]
    texts += [Text(width, HEAD_LINE * (n + 1), line, "end", True)
              for n, line in enumerate(right_heading)]
    left_y, left_rule = _places(left_order, [r.left_funded for r in left_order], top)
    right_y, right_rule = _places(right_order, [r.right_funded for r in right_order], top)
    lines, rules = [], []
    for r in rows:
        strong = r.kind != "same"
        texts.append(Text(left_w, _baseline(left_y[r.reference]), left_labels[r.reference],
                          "end", strong, full[r.reference]))
        texts.append(Text(right_x, _baseline(right_y[r.reference]), right_labels[r.reference],
                          "start", strong, full[r.reference]))
        lines.append(SlopeLine(r.reference, Segment(left_w + PAD, left_y[r.reference],
                                                    right_x - PAD, right_y[r.reference]),
                               r.kind))
    if left_rule is not None:
        texts.append(Text(left_w, left_rule - 12, funding_line, "end", True))
        rules.append(Segment(0, left_rule, left_w + PAD, left_rule))
    if right_rule is not None:
        texts.append(Text(right_x, right_rule - 12, funding_line, "start", True))
        rules.append(Segment(right_x - PAD, right_rule, width, right_rule))
    gap = FUNDING_ROW if left_rule is not None or right_rule is not None else 0
    height = top + len(rows) * ROW + gap + 8
    return SlopeChart(width, height, texts, lines, rules)


def _places(order: list[SlopeRow], funded: list[bool], top: float
            ) -> tuple[dict[str, float], float | None]:
    """The middle of each row, and where the funding line goes (None: nothing funded)."""
    last = max((n for n, f in enumerate(funded) if f), default=None)
    middles = {}
    for n, row in enumerate(order):
        below = FUNDING_ROW if last is not None and n > last else 0
        middles[row.reference] = top + n * ROW + below + ROW / 2
    rule = None if last is None else top + (last + 1) * ROW + FUNDING_ROW - 8
    return middles, rule


def _baseline(middle: float) -> float:
    return round(middle + FONT * 0.35, 1)


# Bar charts on a fixed axis -----------------------------------------------------------------

def diverging_bars(items: Iterable[tuple[str, float | None, str]], left_caption: str,
                   right_caption: str, limit: float = 100) -> BarChart:
    """One bar per item (label, value, value as shown) from a zero line in the middle,
    on a fixed axis from ``limit`` on the left through 0 to ``limit`` on the right: right
    for positive, left for negative. The captions say what each side means."""
    return _bars(list(items), limit, (left_caption, right_caption))


def bars_from_zero(items: Iterable[tuple[str, float | None, str]], limit: float) -> BarChart:
    """One bar per item (label, value, value as shown) from 0 on the left, on a fixed
    axis from 0 to ``limit`` (values are sizes: never negative)."""
    return _bars(list(items), limit, None)


def _bars(items: list[tuple[str, float | None, str]], limit: float,
          captions: tuple[str, str] | None) -> BarChart:
    """Each item's label and shown value above its bar, wrapped; the axis's ends and zero
    labelled below the bars."""
    width, texts, y = BAR_WIDTH, [], 0.0
    label_chars = int((width - 2 * PAD) / CHAR)
    if captions:
        half_chars = int((width / 2 - 2 * PAD) / CHAR)
        left_lines, right_lines = (textwrap.wrap(c, half_chars) for c in captions)
        texts += [Text(width / 2 - PAD, HEAD_LINE * (n + 1), line, "end", True)
                  for n, line in enumerate(left_lines)]
        texts += [Text(width / 2 + PAD, HEAD_LINE * (n + 1), line, "start", True)
                  for n, line in enumerate(right_lines)]
        y = HEAD_LINE * max(len(left_lines), len(right_lines), 1) + 8
    zero = width / 2 if captions else PAD
    reach = width / 2 - PAD if captions else width - 2 * PAD  # the bar of ``limit``
    bars, axis = [], []
    for label, value, shown in items:
        for line in textwrap.wrap(f"{label}: {shown}", label_chars) or [""]:
            y += HEAD_LINE
            texts.append(Text(PAD, y, line))
        y += 8
        if value:
            length = reach * min(abs(value), limit) / limit
            negative = value < 0
            bars.append(Bar(round(zero - length if negative else zero, 1), y, round(length, 1),
                            BAR, negative))
        axis.append(Segment(zero, y - 4, zero, y + BAR + 4))  # the zero line, under the text
        y += BAR_ROW
    axis.append(Segment(PAD if captions else zero, y, width - PAD, y))
    axis.append(Segment(zero, y - 4, zero, y + 8))
    ends = [(PAD, "start"), (width - PAD, "end")] if captions else [(width - PAD, "end")]
    for x, _anchor in ends:
        axis.append(Segment(x, y, x, y + 8))
    y += 8 + HEAD_LINE
    texts += [Text(x, y, _number(limit), anchor) for x, anchor in ends]
    texts.append(Text(zero, y, "0", "middle" if captions else "start"))
    return BarChart(width, y + 8, texts, bars, axis)


def _number(value: float) -> str:
    return f"{value:g}"
