"""The demo's story: a round scored, met and decided through the real services, so a
newcomer sees the whole community-voice report without scoring 176 sheets by hand.

``flask demo seed`` tells it on a second round ("Community assets 2025 (decided)") and
publishes it; the tests tell the same story on the round to score (tests/builders/demo.py)
with marked words to look for on pages. Nothing here commits: the command or the test
that calls it owns the transaction."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from panel.accounts.services import find_user
from panel.conflicts import services as conflict_services
from panel.conflicts.models import Conflict
from panel.demo import seed
from panel.extensions import db
from panel.moderation import services as meeting_services
from panel.reports.report import round_report
from panel.rounds import services as round_services
from panel.rounds.models import Application, Phase, Round
from panel.rounds.queries import round_by_slug
from panel.scoring import queries as scoring_queries
from panel.scoring import services as scoring_services

ACADEMICS = ("prof.okafor@panel.example", "dr.lindqvist@panel.example",
             "dr.mensah@panel.example", "dr.haddad@panel.example")
LIVED = ("amira@panel.example", "dave@panel.example", "kerry@panel.example",
         "sunita@panel.example")
CHAIR = "chair@panel.example"
OFFICER = "officer@fairpanel.example"

PASSES = {("dave@panel.example", "CA-005")}
CONNECTED = {("kerry@panel.example", "CA-009")}
LEFT_IN_DRAFT = {("sunita@panel.example", "CA-022")}
UNABLE_ON_VALUE = "dr.haddad@panel.example"  # "I don't feel able to score" value, every 5th
COMMENTED = ("amira@panel.example", "CA-001")

DECIDED_SLUG = "community-assets-2025-decided"
DECIDED_TITLE = "Community assets 2025 (decided)"
DECIDED_DESCRIPTION = (
    "Last year's round, already scored, discussed at the panel meeting, decided and "
    "published. Read its report to see how the lived-experience panellists changed which "
    "projects were funded.")


@dataclass(frozen=True)
class Script:
    """The words people write along the way. The tests use marked words, so that a page
    can be searched for them; the demo uses words a real panel would write."""

    comment: str  # the commenting panellist's comment (COMMENTED)
    connection_note: str
    # the chair's rationale for each outcome, named as the outcome is
    fund: str
    do_not_fund: str
    no_consensus: str
    keep: str
    over_budget: str  # why the chair went back to a funded item to bring the total in
    toward_lived: tuple[str, ...]  # academics' reasons for a revision, taken in turn
    toward_academic: tuple[str, ...]  # and lived-experience members'


DEMO_SCRIPT = Script(
    comment="My nan would love this garden. There is nowhere green to sit on our estate.",
    connection_note="My neighbour runs it and I sometimes help on open days.",
    fund=("Below the line on scores, but the panel heard how few places like this are left "
          "in the area, and the lived-experience members were sure local people would use "
          "it."),
    do_not_fund=("The officer told the panel this project already has money from another "
                 "programme for the same work, so the panel chose not to fund it twice."),
    no_consensus=("The panel could not agree whether the plan reaches the people who need "
                  "it most. The score-based result stands."),
    keep="The panel agreed with where the scores put it.",
    over_budget=("With the project funded anyway, the panel's choices came to more than the "
                 "budget. The panel looked again at the lowest-ranked funded project and "
                 "chose not to fund it this round."),
    toward_lived=(
        "Hearing from people who live there, I underrated how much local people lead this.",
        "The lived-experience members explained why the cost is fair for what it does.",
        "I had not thought about how hard it is to get to the venue without a car.",
    ),
    toward_academic=(
        "The academics showed me the plan has a gap in who will run it after year one.",
        "I see now the evidence for this kind of project is thin.",
    ),
)


def view(email: str, n: int) -> int:
    """Where a group stands on application n (0-based): academics and lived-experience
    members see each project differently, so the groups disagree."""
    lean = 0 if email in ACADEMICS or n % 3 else 3
    return 1 + (n * 7 + 3 + lean) % 5


def _clamp(value: int) -> int:
    return max(1, min(5, value))


def scores(email: str, n: int, view_: int | None = None) -> dict[str, str]:
    """A member's four criterion scores: their group's view, a little of their own, and
    each group leaning on the criterion it cares about more."""
    view_ = view(email, n) if view_ is None else view_
    jitter = (n + 2 * (ACADEMICS + LIVED).index(email)) % 3 - 1
    lived = email in LIVED
    found = {"benefit": _clamp(view_ + jitter),
             "community": _clamp(view_ + jitter + (1 if lived else -1)),
             "delivery": _clamp(view_ + (0 if lived else 1)),
             "value": _clamp(view_ - jitter)}
    answers = {key: str(value) for key, value in found.items()}
    if email == UNABLE_ON_VALUE and n % 5 == 0:
        answers["value"] = scoring_services.UNABLE
    return answers


def _in_order(round_: Round) -> list:
    return sorted(round_.applications, key=lambda a: a.reference)


def score_round(round_: Round, script: Script) -> None:
    """Every panellist answers the connection question and scores every application
    through the real services; a few pass, declare a connection or leave a draft."""
    for email in ACADEMICS + LIVED:
        user = find_user(email)
        member = scoring_queries.member_of(user, round_)
        for n, application in enumerate(_in_order(round_)):
            reference = application.reference
            assignment = scoring_queries.assignment_for(member, reference)
            if (email, reference) in PASSES:
                scoring_services.pass_on(user, assignment)
            elif (email, reference) in CONNECTED:
                scoring_services.declare_connection(user, assignment, "local",
                                                    script.connection_note)
            else:
                scoring_services.answer_no_connection(user, assignment)
                comment = script.comment if (email, reference) == COMMENTED else None
                sheet = scoring_services.save_sheet(user, assignment, 0, comment=comment,
                                                    scores=scores(email, n))
                if (email, reference) not in LEFT_IN_DRAFT:
                    scoring_services.submit_sheet(user, assignment, sheet.version)


def review_conflicts(round_: Round) -> None:
    """The officer reviews every connection before the meeting. A declared one is
    confirmed: the panellist stays out of that application. One suggested by name
    matching is confirmed at the level ``declared``: the panellist knows the
    organisation, the chair is shown it, and they stay on it (DESIGN.md §5)."""
    officer = find_user(OFFICER)
    pending = db.session.scalars(
        select(Conflict).join(Application, Conflict.application_id == Application.id)
        .where(Application.round_id == round_.id, Conflict.status == "pending")
        .order_by(Conflict.id)).all()
    for conflict in pending:
        if conflict.source == "suggested":  # choosing the level settles it too
            conflict_services.change_level(officer, conflict, "declared")
        else:
            conflict_services.confirm(officer, conflict)


def hold_meeting(round_: Round, script: Script, *, within_budget: bool = True,
                 over_budget_reason: str = "") -> None:
    """Moderation, the meeting and the decision. The chair takes every item. On the first
    six, two academics move their scores halfway toward the lived-experience view and
    Amira moves hers toward the academics' on two of them. The first unfunded item the
    panel reaches is funded anyway, the first funded one is not, the third item has no
    consensus, the rest are kept. ``within_budget``: when that leaves the funded total
    over budget, the chair returns to the lowest-ranked funded items kept and does not
    fund them until it fits (without it the report warns, as a test needs, and deciding
    needs the officer's ``over_budget_reason``). Then the round is decided."""
    officer, chair = find_user(OFFICER), find_user(CHAIR)
    round_services.change_phase(officer, round_, Phase.MODERATION)
    meeting = meeting_services.start_meeting(chair, round_)
    order = {a.id: n for n, a in enumerate(_in_order(round_))}
    revisions, funded, used = 0, {}, set()
    for position in range(len(meeting.items)):
        item = next(i for i in meeting.items
                    if i.application_id == meeting.current_application_id)
        n = order[item.application_id]
        moved = 0
        for email, moved_to in _movers(position, n):
            reasons = script.toward_academic if email in LIVED else script.toward_lived
            moved += _revise(round_, meeting, email, n, moved_to,
                             reasons[(revisions + moved) % len(reasons)])
        revisions += moved
        if moved or not funded:  # only a revised score moves the funding line
            funded = {a["reference"]: a["funded"] for a in round_report(round_)["applications"]}
        outcome = _outcome(position, funded[item.application.reference], used)
        meeting_services.record_outcome(chair, meeting, outcome, getattr(script, outcome))
        meeting_services.next_item(chair, meeting)
    if within_budget:
        _bring_within_budget(round_, meeting, chair, script.over_budget)
    round_services.change_phase(officer, round_, Phase.DECIDED,
                                over_budget_reason=over_budget_reason)


def _movers(position: int, n: int) -> list[tuple[str, int]]:
    """Who revises on the item at ``position`` (application n) and to which view."""
    if position >= 6:
        return []
    toward_lived = view(LIVED[0], n)
    movers = [(e, view(e, n) + (toward_lived - view(e, n)) // 2) for e in ACADEMICS[:2]]
    if position in (1, 3):
        movers.append((LIVED[0], toward_lived + (view(ACADEMICS[0], n) - toward_lived) // 2))
    return movers


def _outcome(position: int, funded: bool, used: set[str]) -> str:
    """The first unfunded item is funded anyway and the first funded one is not; the
    third item has no consensus; the rest are kept."""
    override = "do_not_fund" if funded else "fund"
    if override not in used:
        used.add(override)
        return override
    return "no_consensus" if position == 2 else "keep"


def _bring_within_budget(round_: Round, meeting, chair, rationale: str) -> None:
    """Not fund the lowest-ranked funded items the panel kept, one at a time, until what
    the panel funds fits the budget."""
    while True:
        report = round_report(round_)
        applications = report["applications"]
        total = sum(a["requested_amount"] for a in applications if a["final_funded"])
        if total <= report["round"]["budget"]:
            return
        lowest = next(a for a in reversed(applications)
                      if a["final_funded"] and a["decision"] in (None, "keep")
                      and a["rank"] is not None)
        meeting_services.open_item(chair, meeting, lowest["reference"])
        meeting_services.record_outcome(chair, meeting, "do_not_fund", rationale)
        meeting_services.next_item(chair, meeting)


def _revise(round_: Round, meeting, email: str, n: int, moved_to: int, reason: str) -> int:
    """Revise ``email``'s sheet to ``moved_to``; 1 when it changed, 0 when already there."""
    user = find_user(email)
    member = scoring_queries.member_of(user, round_)
    sheet = meeting_services.revisable_sheet(member, meeting)
    new = scores(email, n, moved_to)
    if sheet is None or meeting_services.sheet_values(sheet, round_) == new:
        return 0
    meeting_services.revise_sheet(user, member, meeting, sheet.revision, new, reason)
    return 1


def seed_decided_round() -> Round | None:
    """The second demo round, told from start to publication: the demo's applications
    and panel, scored, met, decided and published. None when it is already there.
    Needs the demo's people (:func:`panel.demo.seed.seed` first)."""
    if round_by_slug(DECIDED_SLUG) is not None:
        return None
    spec = seed.demo_spec() | {"slug": DECIDED_SLUG, "title": DECIDED_TITLE,
                               "description": DECIDED_DESCRIPTION}
    round_ = seed.build_round(spec)
    score_round(round_, DEMO_SCRIPT)
    review_conflicts(round_)
    hold_meeting(round_, DEMO_SCRIPT)
    round_services.change_phase(find_user(OFFICER), round_, Phase.PUBLISHED)
    return round_
