"""Which imported columns of applications panellists may see (DESIGN.md §4, issue 20).

An extra column of applications.csv (anything beyond the seven standard columns) may
say who applied: a phone number, a postcode, a lead contact. So a column the round has
not seen before is identifying — hidden from panellists and the chair — until the
officer marks it safe to show under Blind review. The round keeps the list in
``Round.identifying_columns``; a column that is in it is hidden, one that is not has
been shown to the officer and left visible. :func:`panel.scoring.blind.visible_extra`
reads that list; this module is what adds to it."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from panel.extensions import db
from panel.rounds.models import Application, Round

# The standard columns as panellists see them, and the ones they never see.
SHOWN_STANDARD = ("reference", "title", "lay_summary", "requested_amount")


@dataclass(frozen=True)
class ColumnVisibility:
    """What an import would mean for panellists, column by column."""

    shown: list[str]  # extra columns already marked safe to show
    hidden: list[str]  # extra columns the round already marks identifying
    new: list[str]  # extra columns the round has not seen: hidden until marked safe


def visibility(round_: Round, columns: Iterable[str]) -> ColumnVisibility:
    """How the extra ``columns`` of a file about to be imported will be treated."""
    columns = list(dict.fromkeys(columns))
    identifying = set(round_.identifying_columns or [])
    new = new_columns(round_, columns)
    return ColumnVisibility(
        shown=[c for c in columns if c not in identifying and c not in new],
        hidden=[c for c in columns if c in identifying],
        new=new)


def new_columns(round_: Round, columns: Iterable[str]) -> list[str]:
    """The ``columns`` the round has neither marked identifying nor seen on an
    application already (and so not yet shown to the officer to decide)."""
    identifying = set(round_.identifying_columns or [])
    candidates = [c for c in dict.fromkeys(columns) if c not in identifying]
    if not candidates:
        return []
    seen: set[str] = set()
    for extra in db.session.scalars(select(Application.extra)
                                    .where(Application.round_id == round_.id)):
        seen.update(extra or {})
    return [c for c in candidates if c not in seen]


def hide_new_columns(round_: Round, columns: Iterable[str], *,
                     shown: Iterable[str] = ()) -> list[str]:
    """Mark every new column among ``columns`` identifying, except those in ``shown``
    (a bundle's ``shown_columns``). Call it before the applications are added; the
    caller's import event records what it returns."""
    keep_shown = set(shown)
    hidden = [c for c in new_columns(round_, columns) if c not in keep_shown]
    if hidden:
        round_.identifying_columns = [*(round_.identifying_columns or []), *hidden]
    return hidden
