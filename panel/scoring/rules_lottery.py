"""The draw near the funding line (DESIGN.md §3a) as pure functions: no Flask, no
database, standard library and pandas only, so that tests work it out by hand and
anyone can re-run it (panel/audit/verify_trail.py does the same in the standard library).

The commitment and the draw, with ``r`` the 32-byte secret, ``p`` the public input typed
in the room and ``h`` the hash of the ``lottery.committed`` event (64 hex characters)::

    commitment = sha256(r)                                   (hex)
    seed       = sha256(r ‖ utf8(p) ‖ utf8(h))               (the 32 bytes of the digest)
    key(a)     = sha256(seed ‖ utf8(reference of a))         (hex)
    draw order = the grey zone by ascending key

The funding under the rule ``lottery``: the provisional line is the score-based line
walked as ``fill``; applications it funds that are not in the grey zone are funded; the
budget left, ``B' = budget − Σ their amounts``, goes to the grey zone in draw order, each
funded while it fits and skipped when it does not (as ``fill``). Amounts in whole pence.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from panel.scoring.rules import Ranking, _pence, _pence_of

SECRET_BYTES = 32


def commitment(secret: bytes) -> str:
    """sha256(r), hex: what the officer's commitment publishes of the secret."""
    return hashlib.sha256(secret).hexdigest()


def seed(secret: bytes, public_input: str, committed_hash: str) -> bytes:
    """sha256(r ‖ utf8(p) ‖ utf8(hash of the lottery.committed event)), as bytes."""
    return hashlib.sha256(secret + public_input.encode("utf-8")
                          + committed_hash.encode("utf-8")).digest()


def key(seed_: bytes, reference: str) -> str:
    """An application's key in the draw: sha256(seed ‖ utf8(reference)), hex."""
    return hashlib.sha256(seed_ + reference.encode("utf-8")).hexdigest()


def draw(secret: bytes, public_input: str, committed_hash: str,
         grey_zone: Iterable[str]) -> list[tuple[str, str]]:
    """The grey zone in draw order: (reference, key) by ascending key."""
    seed_ = seed(secret, public_input, committed_hash)
    return sorted(((reference, key(seed_, reference)) for reference in grey_zone),
                  key=lambda drawn: drawn[1])


@dataclass(frozen=True)
class Funding:
    """The lottery's result: every funded reference, and the money at each step."""

    funded: list[str]  # above the grey zone, then the grey zone's funded ones in draw order
    above: list[str]  # funded by the provisional line and not in the grey zone
    budget_left: int  # B', in pence
    drawn_funded: list[str]  # the grey zone's applications the draw funded, in draw order
    skipped: list[str]  # the grey zone's applications that did not fit, in draw order


def budget_left(provisional: Iterable[str], grey_zone: Iterable[str],
                amounts: Mapping[str, int], budget: int) -> tuple[list[str], int]:
    """The applications above the grey zone (funded by the provisional line, not in the
    grey zone) and B' = budget − Σ their amounts (pence)."""
    zone = set(grey_zone)
    above = [reference for reference in provisional if reference not in zone]
    return above, budget - sum(amounts[reference] for reference in above)


def funding(provisional: Sequence[str], grey_zone: Iterable[str], order: Sequence[str],
            amounts: Mapping[str, int], budget: int) -> Funding:
    """Above the grey zone funded; then the grey zone in ``order`` while it fits,
    skipping one that does not fit."""
    above, left = budget_left(provisional, grey_zone, amounts, budget)
    total, funded, skipped = 0, [], []
    for reference in order:
        if total + amounts[reference] <= left:
            funded.append(reference)
            total += amounts[reference]
        else:
            skipped.append(reference)
    return Funding([*above, *funded], above, left, funded, skipped)


def provisional_line(table: pd.DataFrame) -> list[str]:
    """The references the score-based line funds (a ranking's ``table``), in rank order."""
    ranked = table.dropna(subset=["rank"]).sort_values("rank")
    return [str(reference) for reference in ranked.index[ranked["funded"].to_numpy(dtype=bool)]]


@dataclass(frozen=True)
class Drawn:
    """What the figures need of a round's draw: the committed grey zone, and its draw
    order (the ``lottery.drawn`` event's)."""

    grey_zone: list[str]
    order: list[str]


def applied(final: Ranking, applications: pd.DataFrame, budget, drawn: Drawn) -> Ranking:
    """``final`` (funded by the provisional line) with ``funded`` and ``running_total``
    as the drawn lottery funds them."""
    references = final.table.index
    amounts = _pence(applications["requested_amount"]).set_axis(references)
    result = funding(provisional_line(final.table), drawn.grey_zone, drawn.order,
                     {str(k): int(v) for k, v in amounts.items()}, _pence_of(budget))
    table = final.table.copy()
    table["funded"] = references.isin(result.funded)
    ranked = table["rank"].dropna().sort_values().index
    asked = amounts.reindex(ranked).to_numpy(dtype=np.int64)
    running = np.cumsum(np.where(table.loc[ranked, "funded"].to_numpy(dtype=bool), asked, 0))
    table["running_total"] = np.nan
    table.loc[ranked, "running_total"] = running / 100
    return Ranking(table, final.group_scores, final.sheets)
