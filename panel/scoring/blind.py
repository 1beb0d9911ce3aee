"""What a panel member may see of an application (DESIGN.md §4).

This is the one place that builds it: every page, JSON answer and export for panel
members goes through :func:`blind_view` or :func:`summary_view`, so the identifying
fields (applicant name, organisation, contact e-mail and any column the round marks
identifying) can never reach them by accident.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from panel.rounds.models import IDENTIFYING_FIELDS, Application
from panel.spreadsheets import heading_key


@dataclass(frozen=True)
class BlindSummary:
    """Enough to answer "Do you have any connection to this project?"."""

    reference: str
    title: str
    lay_summary: str
    # The round's Welsh content, "" when there is none (issue 21): round content like the
    # English, never identifying (panel.rounds.content chooses which a reader sees).
    title_cy: str
    lay_summary_cy: str


@dataclass(frozen=True)
class BlindApplication(BlindSummary):
    requested_amount: Decimal
    # (label, value) of the imported columns the round does not mark identifying.
    details: tuple[tuple[str, str], ...] = ()


def summary_view(application: Application) -> BlindSummary:
    return BlindSummary(application.reference, application.title, application.lay_summary,
                        application.title_cy or "", application.lay_summary_cy or "")


def blind_view(application: Application) -> BlindApplication:
    """The application as a panel member may read it in full."""
    return BlindApplication(
        reference=application.reference,
        title=application.title,
        lay_summary=application.lay_summary,
        title_cy=application.title_cy or "",
        lay_summary_cy=application.lay_summary_cy or "",
        requested_amount=application.requested_amount,
        details=tuple((_label(key), str(value)) for key, value in visible_extra(application)),
    )


def visible_extra(application: Application) -> list[tuple[str, object]]:
    """Imported columns that identify no one; compared by :func:`heading_key`, so a column
    spelt "Lead Contact Phone", or "contact_email" with a zero-width space inside, is as
    hidden as "lead_contact_phone" or "contact_email"."""
    hidden = {heading_key(c)
              for c in (*IDENTIFYING_FIELDS, *(application.round.identifying_columns or ()))}
    return [(key, value) for key, value in (application.extra or {}).items()
            if heading_key(key) not in hidden and value not in (None, "")]


def _label(column: str) -> str:
    return str(column).strip().replace("_", " ").capitalize()
