"""A round whose funded set costs more than its budget (DESIGN.md §3, "warns when
overrides exceed the budget"): the figures the phase check, the report and the public
summary show, and the programme officer's recorded reason.

The funded set is the figures pipeline's (:mod:`panel.scoring.figures`): ``final_funded``
after the chair's decisions, the same set the ranking page's budget warning is made
from. Amounts are summed as exact decimals, as :func:`panel.scoring.rules.decide` sums
them in pence, so a set that exactly fills the budget is never "over" by a rounding."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _

from panel.reports.voice_text import money
from panel.rounds.models import Round
from panel.scoring.figures import RANKING, Figures, round_figures


@dataclass(frozen=True)
class OverBudget:
    """What the funded set costs, the budget, by how much it is over, and the officer's
    reason (None until the round is decided with an acknowledgement)."""

    funded: Decimal
    budget: Decimal
    over: Decimal
    reason: str | None = None
    acknowledged_at: datetime | None = None

    @property
    def sentence(self) -> str:
        """What the report and the public summary say."""
        return _("This round funded %(funded)s, %(over)s over its %(budget)s budget.",
                 funded=money(self.funded), over=money(self.over), budget=money(self.budget))

    @property
    def check_text(self) -> str:
        """The phase check's line: what the officer acknowledges before deciding."""
        return _("The funded set is %(funded)s, over the %(budget)s budget by %(over)s.",
                 funded=money(self.funded), budget=money(self.budget), over=money(self.over))


def over_budget(round_: Round, found: Figures) -> OverBudget | None:
    """The funded set of ``found`` (the figures of ``round_``) against the round's budget,
    or None when it is within the budget."""
    amounts = found.applications.set_index("reference")["requested_amount"]
    funded_refs = found.decisions.index[found.decisions["final_funded"]]
    funded = sum((Decimal(str(amounts[ref])) for ref in funded_refs), Decimal(0))
    budget = Decimal(str(found.budget))
    if funded <= budget:
        return None
    return OverBudget(funded, budget, funded - budget, round_.over_budget_reason,
                      round_.over_budget_acknowledged_at)


def round_over_budget(round_: Round) -> OverBudget | None:
    """:func:`over_budget` of ``round_`` as it is in the database now."""
    return over_budget(round_, round_figures(round_, RANKING))


def notice(round_: Round) -> OverBudget | None:
    """What the report and the public summary say about the budget: only once the round
    is decided (before that, the report's warnings already say the set is over budget,
    and it can still change)."""
    return round_over_budget(round_) if round_.meeting_over else None
