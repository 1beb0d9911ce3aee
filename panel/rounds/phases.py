"""What is incomplete before a round moves to its next phase (DESIGN.md §2).

Most items are warnings: the officer sees them on the confirmation page and may still
move on. A few make the move impossible (``blocking``): a round cannot open scoring with
no criteria, no applications or no panellists. One needs the officer's acknowledgement
with a reason (``over_budget``): deciding a round whose funded set, after the chair's
decisions, costs more than the budget.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import exists, func, select

from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.moderation.models import Decision, Lottery
from panel.rounds import progress
from panel.rounds.models import (
    PHASES,
    Application,
    Assignment,
    Criterion,
    MemberRole,
    PanelMember,
    Phase,
    Round,
)
from panel.scoring.models import ScoreSheet, is_initial_sheet, member_takes_part

if TYPE_CHECKING:
    from panel.reports.budget import OverBudget

# The only ways back (DESIGN.md §2); each needs a reason.
BACK_STEPS = {(Phase.SCORING, Phase.DRAFT), (Phase.MODERATION, Phase.SCORING)}
DETAILS_SHOWN = 50
# The funded set after the chair's decisions is measured by the round's figures
# (panel.scoring.figures), a domain above this one, so the reports domain registers the
# measure with the app (panel.reports.blueprint) and this module asks for it by name.
OVER_BUDGET = "fairpanel.over_budget"


@dataclass
class Item:
    """One incomplete thing, with the names behind it (at most ``DETAILS_SHOWN``)."""

    text: str
    details: list[str] = field(default_factory=list)


@dataclass
class Checklist:
    to_phase: str
    blocking: list[Item] = field(default_factory=list)
    warnings: list[Item] = field(default_factory=list)
    # Before deciding: the funded set against the budget when it is over (the officer
    # must acknowledge it with a reason), else None.
    over_budget: OverBudget | None = None


def next_phase(round_: Round) -> str | None:
    here = PHASES.index(round_.phase)
    return PHASES[here + 1] if here + 1 < len(PHASES) else None


def previous_phase(round_: Round) -> str | None:
    """The phase a round may step back to, if any."""
    return next((there for here, there in BACK_STEPS if here == round_.phase), None)


def back_refusal(round_: Round, to_phase: str) -> str | None:
    """Why ``round_`` cannot step back to ``to_phase`` now, or None when it can."""
    if (round_.phase, to_phase) not in BACK_STEPS:
        return _("A round cannot move back from %(here)s to %(there)s.", here=round_.phase,
                 there=to_phase)
    if to_phase == Phase.DRAFT and _count(
            ScoreSheet, ScoreSheet.status == "submitted",
            ScoreSheet.application_id.in_(_application_ids(round_))):
        return _("Scores have been submitted, so the round cannot go back to draft.")
    return None


def checklist(round_: Round, to_phase: str) -> Checklist:
    """What is incomplete before ``round_`` moves forward to ``to_phase``."""
    checks = {Phase.SCORING: _before_scoring, Phase.MODERATION: _before_moderation,
              Phase.DECIDED: _before_decided}
    found = Checklist(to_phase)
    if to_phase in checks:
        checks[to_phase](round_, found)
    return found


def _before_scoring(round_: Round, found: Checklist) -> None:
    panel = progress.panellists(round_)
    if not _count(Criterion, Criterion.round_id == round_.id):
        found.blocking.append(Item(_("There are no criteria. Add at least one to the rubric.")))
    if not _count(Application, Application.round_id == round_.id):
        found.blocking.append(Item(_("There are no applications. Import them first.")))
    if not panel:
        found.blocking.append(Item(_("There are no panellists. Import the panel first.")))
    if round_.budget <= 0:
        found.warnings.append(Item(_("The budget is £0, so no application can be funded.")))
    for group in round_.groups:
        if not any(p.group == group.key for p in panel):
            found.warnings.append(Item(_("The %(group)s group has no panellists.",
                                         group=group.label)))
    unreviewed = _unreviewed(round_)
    _add(found, ngettext("%(count)s application has no reviewer:",
                         "%(count)s applications have no reviewer:", len(unreviewed),
                         count=f"{len(unreviewed):,}"), unreviewed)
    busy = progress.busy_member_ids(round_)
    idle = [p.name for p in panel if p.id not in busy]
    _add(found, ngettext("%(count)s panellist has nothing to review:",
                         "%(count)s panellists have nothing to review:", len(idle),
                         count=f"{len(idle):,}"), idle)
    pending = _count(Conflict, Conflict.status == "pending",
                     Conflict.application_id.in_(_application_ids(round_)))
    if pending:
        found.warnings.append(Item(ngettext(
            "%(num)d possible conflict of interest is waiting for review.",
            "%(num)d possible conflicts of interest are waiting for review.", pending)))


def _before_moderation(round_: Round, found: Checklist) -> None:
    late = [_("%(name)s: %(outstanding)s of %(all)s not submitted", name=row.panellist.name,
              outstanding=row.progress.outstanding,
              all=row.progress.outstanding + row.progress.submitted)
            for row in progress.outstanding(round_)]
    _add(found, ngettext("%(count)s panellist has not submitted every sheet:",
                         "%(count)s panellists have not submitted every sheet:", len(late),
                         count=f"{len(late):,}"), late)
    counted = exists().where(ScoreSheet.application_id == Application.id, is_initial_sheet(),
                             member_takes_part())
    unsent = _references(round_, ~counted)
    _add(found, ngettext("%(count)s application has no submitted sheet:",
                         "%(count)s applications have no submitted sheet:", len(unsent),
                         count=f"{len(unsent):,}"), unsent)


def _before_decided(round_: Round, found: Checklist) -> None:
    decided = exists().where(Decision.application_id == Application.id)
    undecided = _references(round_, ~decided)
    _add(found, ngettext("%(count)s application has no recorded outcome:",
                         "%(count)s applications have no recorded outcome:", len(undecided),
                         count=f"{len(undecided):,}"), undecided)
    if round_.funding_rule == "lottery" and not _drawn(round_):
        found.warnings.append(Item(_(
            "The funding rule is lottery, but no lots have been drawn, so the provisional "
            "line stands: it funds in rank order, skipping what does not fit (as 'fill').")))
    found.over_budget = over_budget(round_)


def _drawn(round_: Round) -> bool:
    lottery = db.session.scalar(select(Lottery).where(Lottery.round_id == round_.id))
    return lottery is not None and lottery.drawn


def over_budget(round_: Round) -> OverBudget | None:
    """The funded set of ``round_`` after the chair's decisions against its budget when
    it is over, else None."""
    return current_app.extensions[OVER_BUDGET](round_)


def _add(found: Checklist, heading: str, names: list[str]) -> None:
    """A warning headed ``heading`` (its count of ``names`` already in it, from
    ngettext) listing the first of ``names``."""
    if names:
        details = names[:DETAILS_SHOWN]
        if len(names) > DETAILS_SHOWN:
            details.append(_("and %(more)s more", more=f"{len(names) - DETAILS_SHOWN:,}"))
        found.warnings.append(Item(heading, details))


def _unreviewed(round_: Round) -> list[str]:
    reviewed = exists().where(Assignment.application_id == Application.id,
                              Assignment.member_id == PanelMember.id,
                              PanelMember.role == MemberRole.PANELLIST)
    return _references(round_, ~reviewed)


def _references(round_: Round, condition) -> list[str]:
    return list(db.session.scalars(
        select(Application.reference).where(Application.round_id == round_.id, condition)
        .order_by(Application.reference)))


def _application_ids(round_: Round):
    return select(Application.id).where(Application.round_id == round_.id)


def _count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0
