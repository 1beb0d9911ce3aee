"""How sure the ranking is, as people see it (DESIGN.md §3a): each application's expected
rank with its 50 % and 90 % intervals, as a small interval plot (SVG geometry here, drawn
by templates/reports/_interval_plot.html), a table with the same numbers and a sentence,
marking the funding line and the grey zone. The ranking page, the chair's draw screen
and the report read it through :func:`rank_intervals`.

The kept model result lives with the reports (panel/reports/rank_model_jobs.py, which
the meeting may not import): it is read through a *source* registered at start-up under
:data:`SOURCE`, ``source(round_, found) -> (kept result or None, whether the model is on)``.

A round can hold 20,000 applications: above ``ALL_UP_TO`` the plot shows only the region
around the funding line — the grey zone and ``NEAR`` applications either side of it in
expected-rank order, at most ``MOST`` rows nearest the line — and says so.

Sizes are SVG user units, as in the report's charts (panel/reports/voice_charts.py,
which this layer may not import): ``WIDTH`` units with ``FONT``-unit text keeps the
words at 14 CSS pixels or more on a 320-pixel phone."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from panel.rounds.models import RANK_MODEL_FROM, Round

SOURCE = "fairpanel.rank_model_kept"
Source = Callable[..., tuple[dict[str, Any] | None, bool]]

ALL_UP_TO = 30  # rounds with more applications show the region around the funding line
NEAR = 5  # applications shown either side of the grey zone in a large round
MOST = 40  # the most rows a plot draws
WIDTH = 360
ROW = 30
TOP = 56  # room for the axis title and the funding line's label
FUNDING_LINE = _l("Funding line")  # in the reader's language: str() it where it is measured
TICK_EVERY_UP_TO = 10  # an axis over at most this many ranks (plus one) labels each
FONT = 18
CHAR = 0.62 * FONT
PAD = 6


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline
    text: str
    anchor: str = "start"  # SVG text-anchor
    strong: bool = False
    full: str = ""  # a tooltip (none here; the report's chart macro reads it)


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


def text_width(text: str) -> float:
    return len(text) * CHAR


@dataclass(frozen=True)
class IntervalRow:
    """One application: its expected rank and intervals (whole ranks, ``(low, high)``)."""

    reference: str
    title: str
    expected_rank: float
    interval_50: tuple[int, int]
    interval_90: tuple[int, int]
    grey_zone: bool


@dataclass(frozen=True)
class IntervalChart:
    width: float
    height: float
    texts: list[Label]
    bands: list[tuple[float, float, float, float]]  # x, y, width, height: the grey zone
    wide: list[Line]  # 90 % intervals
    narrow: list[Line]  # 50 % intervals
    dots: list[tuple[float, float]]  # expected ranks
    funding: Line | None
    axis: list[Line]


@dataclass
class RankIntervals:
    """The rows shown, in expected-rank order, with what covers the whole round."""

    rows: list[IntervalRow]
    ranked: int  # applications with an expected rank
    line: int  # L: how many the score-based funding line funds
    grey_zone: int  # applications in the grey zone, over the whole round
    counts: tuple[int, int] = (0, 0)  # clearly above the line, clearly below it
    chart: IntervalChart = field(init=False)

    def __post_init__(self) -> None:
        self.chart = interval_chart(self.rows, self.line)

    @property
    def windowed(self) -> bool:
        return len(self.rows) < self.ranked

    @property
    def sentence(self) -> str:
        return summary(self.grey_zone, self.line)

    @property
    def clear_above(self) -> int:
        return self.counts[0]

    @property
    def clear_below(self) -> int:
        return self.counts[1]

    @property
    def in_words(self) -> str:
        """The report's second sentence: how many are clearly on each side."""
        return sides(self.ranked, self.counts[0], self.counts[1], self.grey_zone)

    @property
    def one(self) -> str:
        """The chair's sentence for a one-row plot (:func:`for_application`)."""
        row = self.rows[0]

        def ranks(low: int, high: int) -> str:
            if low == high:
                return _("rank %(rank)s", rank=f"{low:,}")
            return _("between ranks %(low)s and %(high)s", low=f"{low:,}", high=f"{high:,}")

        line = f"{self.line:,}"
        if row.grey_zone:
            where = _("Too close to call: its 90 %% interval reaches across the funding line "
                      "(after rank %(line)s).", line=line)
        elif row.interval_90[1] <= self.line:
            where = _("Clearly above the funding line (after rank %(line)s).", line=line)
        else:
            where = _("Clearly below the funding line (after rank %(line)s).", line=line)
        return _("Expected rank %(expected)s of %(ranked)s: as likely as not %(likely)s, "
                 "very likely %(very_likely)s. %(where)s",
                 expected=f"{row.expected_rank:.1f}", ranked=f"{self.ranked:,}",
                 likely=ranks(*row.interval_50), very_likely=ranks(*row.interval_90),
                 where=where)

    @property
    def window(self) -> str:
        """What part of the round the plot shows ("" when it shows it all)."""
        if not self.windowed or not self.rows:
            return ""
        return ngettext(
            "The plot shows the %(count)s application nearest the funding line (expected "
            "ranks %(first)s to %(last)s) of the %(ranked)s ranked; the ranking table has "
            "them all.",
            "The plot shows the %(count)s applications nearest the funding line (expected "
            "ranks %(first)s to %(last)s) of the %(ranked)s ranked; the ranking table has "
            "them all.",
            len(self.rows), count=f"{len(self.rows):,}",
            first=f"{self.rows[0].expected_rank:.1f}", last=f"{self.rows[-1].expected_rank:.1f}",
            ranked=f"{self.ranked:,}")


@dataclass(frozen=True)
class NotWorkedOut:
    """Why there is no plot: the model is off for the round, or not yet worked out for
    its scores now (``can_work_out``: a button would help)."""

    reason: str
    can_work_out: bool


# Words ---------------------------------------------------------------------------------------

def summary(grey: int, line: int) -> str:
    """The plot's sentence: how many are too close to call at the funding line."""
    if line == 0:
        return _("The scores fund no application, so there is no funding line to be "
                 "sure about.")
    if grey == 0:
        return _("Every application's 90 %% interval stays on one side of the funding line "
                 "(after rank %(line)s): the panel's scores are clear about which are "
                 "funded.", line=f"{line:,}")
    return ngettext(
        "This application is too close to call: its 90 %% interval reaches across the "
        "funding line (after rank %(line)s), so the panel's scores cannot tell whether it "
        "belongs above or below it.",
        "These %(count)s applications are too close to call: their 90 %% intervals reach "
        "across the funding line (after rank %(line)s), so the panel's scores cannot tell "
        "whether they belong above or below it.",
        grey, count=f"{grey:,}", line=f"{line:,}")


def sides(ranked: int, above: int, below: int, grey: int) -> str:
    """How many of the ranked applications are clearly funded, clearly not, and too
    close to call, in one sentence."""
    if above:
        clear_above = ngettext("%(count)s is clearly above the funding line",
                               "%(count)s are clearly above the funding line", above,
                               count=f"{above:,}")
    elif ranked == 1:
        clear_above = _("none is clearly above the funding line")
    else:
        clear_above = _("none are clearly above the funding line")
    clear_below = (_("%(count)s clearly below it", count=f"{below:,}") if below
                   else _("none clearly below it"))
    if ranked == 1:
        if grey:
            return _("Of the one application with a score, %(above)s, %(below)s and "
                     "%(grey)s too close to call.", above=clear_above, below=clear_below,
                     grey=f"{grey:,}")
        return _("Of the one application with a score, %(above)s and %(below)s.",
                 above=clear_above, below=clear_below)
    if grey:
        return _("Of the %(ranked)s applications with a score, %(above)s, %(below)s and "
                 "%(grey)s too close to call.", ranked=f"{ranked:,}", above=clear_above,
                 below=clear_below, grey=f"{grey:,}")
    return _("Of the %(ranked)s applications with a score, %(above)s and %(below)s.",
             ranked=f"{ranked:,}", above=clear_above, below=clear_below)


def not_worked_out(round_: Round, applications: int, on: bool) -> NotWorkedOut:
    if round_.rank_model == "off":
        return NotWorkedOut(_("This round's setting for how sure the ranking is is off, so "
                              "no expected ranks are worked out. An officer can turn it on "
                              "on the round's set-up page."), False)
    if not on:
        return NotWorkedOut(ngettext(
            "This round has %(count)s application: how sure the ranking is is worked out "
            "automatically from %(from)s. An officer can turn it on on the round's set-up "
            "page.",
            "This round has %(count)s applications: how sure the ranking is is worked out "
            "automatically from %(from)s. An officer can turn it on on the round's set-up "
            "page.",
            applications, count=f"{applications:,}", **{"from": RANK_MODEL_FROM}), False)
    return NotWorkedOut(_("FairPanel has not yet worked out how sure the ranking is for the "
                          "scores as they are now."), True)


# From the kept result ------------------------------------------------------------------------

def rank_intervals(round_: Round, titles: Mapping[str, str], found=None
                   ) -> RankIntervals | NotWorkedOut:
    """The plot's rows for ``round_`` as it is now (``titles`` by reference; ``found``:
    its figures, if the caller has them), or why there are none."""
    source: Source | None = current_app.extensions.get(SOURCE)
    kept, on = source(round_, found) if source is not None else (None, False)
    if kept is None:
        return not_worked_out(round_, len(titles), on)
    return from_result(kept, titles)


def for_application(round_: Round, reference: str, title: str, found=None
                    ) -> RankIntervals | None:
    """The one application ``reference`` as a one-row plot, for the chair's screen while
    it is discussed; None while the model is off or not worked out (the ranking page and
    the draw screen say why)."""
    source: Source | None = current_app.extensions.get(SOURCE)
    kept, _ = source(round_, found) if source is not None else (None, False)
    if kept is None:
        return None
    columns = kept["applications"]
    try:
        at = [str(r) for r in columns["reference"]].index(reference)
    except ValueError:
        return None
    if columns["expected_rank"][at] is None:
        return None
    grey = [bool(g) for g in columns["grey_zone"]]
    row = IntervalRow(reference, title, float(columns["expected_rank"][at]),
                      tuple(columns["rank_interval_50"][at]),
                      tuple(columns["rank_interval_90"][at]), grey[at])
    ranked = sum(1 for er in columns["expected_rank"] if er is not None)
    return RankIntervals([row], ranked, int(kept["line"]), sum(grey))


def use_source(app: Flask, source: Source | None) -> None:
    """Read the kept model result through ``source`` from now on."""
    if source is None:
        app.extensions.pop(SOURCE, None)
    else:
        app.extensions[SOURCE] = source


def from_result(result: dict[str, Any], titles: Mapping[str, str]) -> RankIntervals:
    """The plot of a kept model result. A round can hold 20,000 applications: the order,
    the counts and the window are worked out over arrays, and rows are made only for the
    applications shown."""
    columns = result["applications"]
    line = int(result["line"])
    scored = [n for n, er in enumerate(columns["expected_rank"]) if er is not None]
    refs = np.array([str(columns["reference"][n]) for n in scored], dtype=object)
    ranks = np.array([columns["expected_rank"][n] for n in scored], dtype=float)
    order = np.lexsort((refs, ranks))  # by expected rank, then reference
    grey = np.array([bool(columns["grey_zone"][n]) for n in scored], dtype=bool)[order]
    low = np.array([columns["rank_interval_90"][n][0] for n in scored], dtype=int)[order]
    high = np.array([columns["rank_interval_90"][n][1] for n in scored], dtype=int)[order]
    first, last = window(ranks[order], grey, line)
    rows = []
    for n in order[first:last]:
        at = scored[n]
        rows.append(IntervalRow(
            str(columns["reference"][at]), titles.get(str(columns["reference"][at]), ""),
            float(columns["expected_rank"][at]), tuple(columns["rank_interval_50"][at]),
            tuple(columns["rank_interval_90"][at]), bool(columns["grey_zone"][at])))
    above = int(((~grey) & (high <= line)).sum())
    below = int(((~grey) & (low > line)).sum())
    return RankIntervals(rows, len(scored), line, int(grey.sum()), (above, below))


def window(ranks: np.ndarray, grey: np.ndarray, line: int) -> tuple[int, int]:
    """Which rows (in expected-rank order) the plot shows, as ``[first, last)``: every
    row of a round of up to ``ALL_UP_TO``; else the grey zone and ``NEAR`` rows either
    side of it (of the line, when it is empty), at most ``MOST`` nearest the line."""
    count = len(ranks)
    if count <= ALL_UP_TO:
        return 0, count
    zone = np.flatnonzero(grey)
    # The line falls between the rows with expected rank ≤ L + 0.5 and the rest.
    at = int((ranks <= line + 0.5).sum())
    first, last = (int(zone[0]), int(zone[-1]) + 1) if len(zone) else (at, at)
    first, last = max(0, first - NEAR), min(count, last + NEAR)
    if last - first > MOST:
        first = min(max(first, at - MOST // 2), last - MOST)
        last = first + MOST
    return first, last


# Geometry -------------------------------------------------------------------------------------

def interval_chart(rows: list[IntervalRow], line: int) -> IntervalChart:
    """One row per application: its reference, a thin line for the 90 % interval, a
    thick bar for the 50 %, a dot at the expected rank; grey-zone rows on a shaded band;
    the funding line dashed at rank ``line`` + 0.5; a rank axis (1 = best, on the left)
    labelled at each rank when it is short, else at its ends."""
    label_w = max([text_width(r.reference) for r in rows] + [text_width(_("Rank"))]) * 1.1
    left, right = round(label_w + 2 * PAD, 1), WIDTH - 2 * PAD
    low = min([r.interval_90[0] for r in rows] + ([line] if line else []), default=1)
    high = max([r.interval_90[1] for r in rows] + ([line + 1] if line else []), default=1)

    def x(rank: float) -> float:
        return round(left + (rank - low + 0.5) / (high - low + 1) * (right - left), 1)

    texts = [Label(PAD, FONT + 2, _("Expected rank (1 = best)"), "start", True)]
    bands, wide, narrow, dots = [], [], [], []
    for n, row in enumerate(rows):
        top = TOP + n * ROW
        middle = top + ROW / 2
        if row.grey_zone:
            bands.append((0.0, float(top), float(WIDTH), float(ROW)))
        texts.append(Label(left - PAD, round(middle + FONT * 0.35, 1), row.reference, "end",
                          row.grey_zone))
        wide.append(Line(x(row.interval_90[0] - 0.4), middle, x(row.interval_90[1] + 0.4),
                            middle))
        narrow.append(Line(x(row.interval_50[0] - 0.4), middle,
                              x(row.interval_50[1] + 0.4), middle))
        dots.append((x(row.expected_rank), middle))
    bottom = TOP + len(rows) * ROW
    funding = None
    if line and rows:
        at = x(line + 0.5)
        funding = Line(at, TOP - 8, at, bottom + 4)
        anchor = "end" if at > WIDTH / 2 else "start"
        texts.append(Label(at + (-PAD if anchor == "end" else PAD), TOP - 12, str(FUNDING_LINE),
                          anchor, True))
    axis = [Line(left, bottom + 4, right, bottom + 4)]
    # Every rank on a short axis; the ends only on a long one (their labels would meet).
    ticks = range(low, high + 1) if high - low <= TICK_EVERY_UP_TO else sorted({low, high})
    for rank in ticks:
        label = f"{rank:,}"
        axis.append(Line(x(rank), bottom + 4, x(rank), bottom + 12))
        end = min(WIDTH - PAD, x(rank) + text_width(label) / 2)  # never past the edge
        texts.append(Label(end, bottom + 14 + FONT, label, "end"))
    return IntervalChart(WIDTH, bottom + 20 + FONT, texts, bands, wide, narrow, dots,
                         funding, axis)

