"""The grey zone of a round (DESIGN.md §3a): the applications whose 90 % rank interval
contains the provisional funding line, ``L + 0.5``. The draw (panel/moderation/lottery.py)
takes it from :func:`grey_zone` alone.

The model of the scores (expected ranks and their intervals) is built elsewhere. Until it
is wired in, the grey zone comes from a *source* registered with the app under
:data:`SOURCE`: a function ``source(round_) -> references``. With none registered, the
stand-in is **no grey zone**: nothing is drawn and the rule ``lottery`` funds exactly as
``fill`` does. To wire the model in, register a source that reads the round's stored
model result and returns the references whose ``rank_90_low ≤ L < rank_90_high``, with
``L`` from :func:`provisional_line_size` (or replace the body of :func:`grey_zone`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from flask import Flask, current_app

from panel.rounds.models import Round
from panel.scoring.figures import figures, load

SOURCE = "fairpanel.grey_zone"

Source = Callable[[Round], Iterable[str] | None]


def grey_zone(round_: Round) -> list[str] | None:
    """The grey zone's references, ascending as text (empty: no grey zone), or None when
    it is not known yet: the source has no model result for the round's scores now."""
    source: Source | None = current_app.extensions.get(SOURCE)
    if source is None:
        return []  # the stand-in: no model result, no grey zone
    found = source(round_)
    if found is None:
        return None
    return sorted({str(reference) for reference in found})


def use_source(app: Flask, source: Source | None) -> None:
    """Take the grey zone from ``source`` from now on (None: back to the stand-in)."""
    if source is None:
        app.extensions.pop(SOURCE, None)
    else:
        app.extensions[SOURCE] = source



def provisional_line_size(round_: Round) -> int:
    """``L``: how many applications the score-based line funds before any draw (under
    the rule ``lottery`` it is walked as ``fill``)."""
    return int(figures(replace(load(round_), drawn=None)).final.table["funded"].sum())
