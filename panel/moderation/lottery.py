"""The draw near the funding line under the rule ``lottery`` (DESIGN.md §3a).

1. The officer **prepares the draw** (:func:`prepare_draw`): the server makes a 32-byte
   secret ``r`` and records ``lottery.committed`` with ``sha256(r)``, the grey zone
   (:func:`panel.scoring.grey_zone.grey_zone`) in ascending order and the budget left
   for it, ``B'``. ``r`` stays in ``lotteries.secret``, read by :func:`draw` alone.
2. The chair **draws** in the meeting (:func:`draw`) with a public input ``p`` typed in
   the room: ``lottery.drawn`` records ``r`` (hex), ``p`` and the draw order; from then on
   the round's figures fund the grey zone in that order (panel/scoring/rules_lottery.py).
3. Anyone **re-runs** it from the trail (:func:`verify`; ``flask round verify-draw``).

Services check, write, flush and record; the caller commits. A refusal is a
:class:`LotteryError` whose message says what to do, and changes nothing.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from decimal import Decimal

import pandas as pd
from flask_babel import gettext as _
from sqlalchemy import select, update

from panel.accounts.models import User
from panel.audit.models import AuditEvent
from panel.audit.services import record
from panel.extensions import db, utcnow
from panel.moderation.models import Lottery
from panel.rounds.models import Phase, Round
from panel.scoring import rules_lottery
from panel.scoring.figures import figures, load
from panel.scoring.grey_zone import grey_zone
from panel.scoring.rules import _pence_of as _pence

PUBLIC_INPUT_MAX = 500
LOTTERY = "lottery"


class LotteryError(ValueError):
    """A rule of the draw was broken; nothing was changed."""


def lottery_of(round_: Round) -> Lottery | None:
    return db.session.scalar(select(Lottery).where(Lottery.round_id == round_.id))


# What the draw would take now ------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    reference: str
    title: str
    rank: int | None
    amount: Decimal


@dataclass
class Plan:
    """The grey zone and the money as they stand, before any draw: what the officer's
    commitment would hold."""

    grey_zone: list[Candidate]
    above: list[Candidate]  # funded by the provisional line, not in the grey zone
    budget: Decimal
    budget_left: Decimal  # B'
    problems: list[str] = field(default_factory=list)  # why it cannot be prepared now
    model_missing: bool = False  # the grey zone is not known: the rank model has not run

    @property
    def references(self) -> list[str]:
        return [candidate.reference for candidate in self.grey_zone]


class _Provisional:
    """The round's figures before any draw: the provisional line, ranks and amounts."""

    def __init__(self, round_: Round) -> None:
        found = figures(replace(load(round_), drawn=None))
        self.table = found.final.table
        self.apps = found.applications.set_index("reference")
        self.amounts = {str(ref): _pence(amount)
                        for ref, amount in self.apps["requested_amount"].items()}
        self.line = rules_lottery.provisional_line(self.table)

    def candidate(self, reference: str) -> Candidate:
        rank = self.table.at[reference, "rank"] if reference in self.table.index else None
        return Candidate(reference, str(self.apps.at[reference, "title"]),
                         None if rank is None or pd.isna(rank) else int(rank),
                         Decimal(self.amounts[reference]) / 100)


def plan(round_: Round) -> Plan:
    """The grey zone, the applications above it and ``B'`` from the round's figures now,
    with the reasons (if any) the draw cannot be prepared."""
    now = _Provisional(round_)
    known = grey_zone(round_)
    zone = [reference for reference in known or [] if reference in now.amounts]
    above, left = rules_lottery.budget_left(now.line, zone, now.amounts, _pence(round_.budget))
    result = Plan([now.candidate(ref) for ref in zone], [now.candidate(ref) for ref in above],
                  Decimal(round_.budget), Decimal(left) / 100)
    result.model_missing = known is None
    result.problems = _preparing_refusals(round_, result)
    return result


def _preparing_refusals(round_: Round, found: Plan) -> list[str]:
    problems = _rule_and_phase(round_, "prepared")
    lottery = lottery_of(round_)
    if lottery is not None and lottery.drawn:
        problems.append("The draw has already been made, so it cannot be prepared again.")
    if found.model_missing and round_.rank_model == "off":
        found.model_missing = False  # working it out would not help: no button
        problems.append("The round's setting for how sure the ranking is is off, so the "
                        "grey zone cannot be known. Turn it on or back to automatic on the "
                        "round's set-up page (or with flask round rank-model SLUG --set "
                        "on), then work it out and prepare the draw.")
    elif found.model_missing:
        problems.append("FairPanel has not yet worked out how sure the ranking is for the "
                        "scores as they are now, so the grey zone is not known. Work it "
                        "out first (below), then prepare the draw.")
    elif not found.grey_zone:
        problems.append("There is nothing to draw: no application is in the grey zone, so "
                        "the lottery funds in rank order, as the rule 'fill' does.")
    return problems


def _rule_and_phase(round_: Round, done: str) -> list[str]:
    problems = []
    if round_.funding_rule != LOTTERY:
        problems.append(f"This round's funding rule is '{round_.funding_rule}', not "
                        f"'lottery', so there is no draw. An officer can choose the rule "
                        f"on the round's funding page while it is in draft.")
    if round_.phase != Phase.MODERATION:
        problems.append(f"The draw can only be {done} while the round is in moderation; "
                        f"it is in {round_.phase}.")
    return problems


# 1. The commitment ------------------------------------------------------------------------

def prepare_draw(actor: User, round_: Round) -> Lottery:
    """Commit to a new secret over the grey zone as it stands (a second preparation
    before the draw replaces the first: a new secret, a new commitment)."""
    found = plan(round_)
    if found.problems:
        raise LotteryError(found.problems[0])
    secret = secrets.token_bytes(rules_lottery.SECRET_BYTES)
    commitment = rules_lottery.commitment(secret)
    event = record("lottery.committed", actor=actor, target=round_, after={
        "commitment": commitment, "grey_zone": found.references,
        "budget_left": found.budget_left})
    # Looked up once the trail's lock is held, so a second click waits for the first
    # preparation and replaces it, instead of adding a second row.
    lottery = lottery_of(round_) or Lottery(round_id=round_.id)
    lottery.secret, lottery.commitment = secret.hex(), commitment
    lottery.grey_zone, lottery.budget_left = found.references, found.budget_left
    lottery.committed_event_id, lottery.committed_by_id = event.id, actor.id
    lottery.committed_at = utcnow()
    db.session.add(lottery)
    db.session.flush()
    return lottery


# 2. The draw ------------------------------------------------------------------------------

def drawing_refusals(round_: Round) -> list[str]:
    """Why the chair cannot draw now (empty: they can)."""
    problems = _rule_and_phase(round_, "made")
    lottery = lottery_of(round_)
    if lottery is None:
        problems.append("The draw has not been prepared yet: a programme officer prepares "
                        "it first (Prepare the draw), then the chair draws.")
    elif lottery.drawn:
        problems.append("The draw has already been made. It is made once; the order "
                        "below is the one that counts.")
    return problems


def draw(actor: User, round_: Round, public_input: str) -> Lottery:
    """Draw the grey zone's order with the public input ``p`` typed in the room."""
    problems = drawing_refusals(round_)
    if problems:
        raise LotteryError(problems[0])
    if not public_input.strip():
        raise LotteryError("Type the public input: any words or numbers the room "
                           "chooses, for example numbers called out by panellists.")
    if len(public_input) > PUBLIC_INPUT_MAX:
        raise LotteryError(f"The public input is {len(public_input)} characters long; "
                           f"keep it to {PUBLIC_INPUT_MAX}.")
    lottery = lottery_of(round_)
    committed = db.session.get(AuditEvent, lottery.committed_event_id)
    drawn = rules_lottery.draw(bytes.fromhex(lottery.secret), public_input, committed.hash,
                               lottery.grey_zone)
    order = [reference for reference, _ in drawn]
    event = record("lottery.drawn", actor=actor, target=round_, after={
        "secret": lottery.secret, "public_input": public_input,
        "committed_event": committed.id, "order": order})
    # Only if nobody drew meanwhile (two screens at once): else this whole change,
    # the event included, is rolled back.
    done = db.session.execute(
        update(Lottery).where(Lottery.id == lottery.id, Lottery.drawn_event_id.is_(None),
                              Lottery.committed_event_id == committed.id)
        .values(public_input=public_input, order=order, drawn_event_id=event.id,
                drawn_by_id=actor.id, drawn_at=utcnow()))
    if done.rowcount != 1:
        raise LotteryError("The draw has just been made on another screen. Reload the page "
                           "to see it.")
    db.session.refresh(lottery)
    return lottery


# What the chair's page shows ------------------------------------------------------------

@dataclass(frozen=True)
class DrawnRow:
    candidate: Candidate
    key: str
    funded: bool


@dataclass
class Result:
    """A round's draw as the chair's page shows it: nothing before it is prepared; the
    committed grey zone and ``B'``; once drawn, the order with each key and whether the
    application fits."""

    lottery: Lottery | None
    grey_zone: list[Candidate] = field(default_factory=list)
    rows: list[DrawnRow] = field(default_factory=list)


def result(round_: Round) -> Result:
    lottery = lottery_of(round_)
    if lottery is None:
        return Result(None)
    now = _Provisional(round_)
    known = [reference for reference in lottery.grey_zone if reference in now.amounts]
    shown = Result(lottery, [now.candidate(reference) for reference in known])
    if lottery.drawn:
        committed = db.session.get(AuditEvent, lottery.committed_event_id)
        drawn = rules_lottery.draw(bytes.fromhex(lottery.secret), lottery.public_input,
                                   committed.hash, known)
        funded = set(rules_lottery.funding(now.line, known, [r for r, _ in drawn],
                                           now.amounts, _pence(round_.budget)).funded)
        shown.rows = [DrawnRow(now.candidate(reference), key, reference in funded)
                      for reference, key in drawn]
    return shown


# 3. Re-running it from the trail -----------------------------------------------------------

@dataclass
class Verification:
    """The draw re-run from the trail alone."""

    ok: bool
    lines: list[str]  # what was checked, in words
    order: list[tuple[str, str]] = field(default_factory=list)  # (reference, key)


def verify(round_: Round) -> Verification:
    """Re-run the round's draw from its ``lottery.drawn`` event and the
    ``lottery.committed`` event it names: sha256(r) = commitment, and the order."""
    drawn = db.session.scalar(select(AuditEvent).where(
        AuditEvent.round_id == round_.id, AuditEvent.action == "lottery.drawn")
        .order_by(AuditEvent.id.desc()).limit(1))
    if drawn is None:
        return Verification(False, [_("The trail holds no draw for this round.")])
    after = drawn.after or {}
    committed = db.session.get(AuditEvent, after.get("committed_event"))
    if committed is None or committed.action != "lottery.committed" \
            or committed.round_id != round_.id:
        problem = _("The draw (event %(event)s) names no commitment of this round.",
                    event=drawn.id)
        return Verification(False, [problem])
    return check(committed.id, committed.hash, committed.after or {}, drawn.id, after)


def check(committed_id: int, committed_hash: str, commitment: dict, drawn_id: int,
          drawn: dict) -> Verification:
    """The pure check, from the two events' recorded values."""
    secret = bytes.fromhex(drawn["secret"])
    # What `flask round verify-draw` prints, in words (the command line's messages).
    lines = [_("Commitment: event %(event)s, hash %(hash)s.", event=committed_id,
               hash=committed_hash),
             _("Draw: event %(event)s, public input %(input)s.", event=drawn_id,
               input=repr(drawn["public_input"]))]
    ok = rules_lottery.commitment(secret) == commitment["commitment"]
    lines.append(_("sha256(secret) matches the commitment.") if ok else
                 _("sha256(secret) does NOT match the commitment."))
    order = rules_lottery.draw(secret, drawn["public_input"], committed_hash,
                               commitment["grey_zone"])
    rerun = [reference for reference, _key in order]
    same = rerun == drawn["order"]
    lines.append(_("The re-run order matches the recorded order.") if same else
                 _("The re-run order %(rerun)s does NOT match the recorded order "
                   "%(recorded)s.", rerun=rerun, recorded=drawn["order"]))
    return Verification(ok and same, lines, order)
