"""The demo round scored through the real services (some passes, a declared connection,
a draft, an unscored criterion), its meeting run (revisions toward the other group,
fund, do not fund, no consensus, keep) and the round decided: the community-voice story
with every kind of figure in it."""
from __future__ import annotations

import pytest

from panel.accounts.services import find_user
from panel.extensions import db
from panel.moderation import services as meeting_services
from panel.reports.report import round_report
from panel.rounds import services as round_services
from panel.scoring import queries as scoring_queries
from panel.scoring import services as scoring_services
from tests.builders import people

DEMO_SLUG = "community-assets-2026"


ACADEMICS = ("prof.okafor@panel.example", "dr.lindqvist@panel.example",
             "dr.mensah@panel.example", "dr.haddad@panel.example")


LIVED = ("amira@panel.example", "dave@panel.example", "kerry@panel.example",
         "sunita@panel.example")


CHAIR = "chair@panel.example"


OFFICER = "officer@fairpanel.example"


FUND_RATIONALE = "CANARY-FUND: the panel heard strong local support in the room"


DO_NOT_FUND_RATIONALE = "CANARY-DONOTFUND: already funded by another programme"


NO_CONSENSUS_RATIONALE = "CANARY-SPLIT: the panel could not agree"


# The officer's reason for deciding over budget is published in the summary: no canary.
OVER_BUDGET_REASON = "The trust agreed to cover the extra project from its reserve"


PASSES = {("dave@panel.example", "CA-005")}


CONNECTED = {("kerry@panel.example", "CA-009")}


LEFT_IN_DRAFT = {("sunita@panel.example", "CA-022")}


UNABLE_ON_VALUE = "dr.haddad@panel.example"  # "I don't feel able to score" value, every 5th


COMMENT = ("amira@panel.example", "CA-001", "CANARY-COMMENT: my nan would love this garden")


def _view(email: str, n: int) -> int:
    """Where a group stands on application n (0-based): academics and lived-experience
    members see each project differently, so the groups disagree."""
    lean = 0 if email in ACADEMICS or n % 3 else 3
    return 1 + (n * 7 + 3 + lean) % 5


def _clamp(value: int) -> int:
    return max(1, min(5, value))


def _scores(email: str, n: int, view: int | None = None) -> dict[str, str]:
    """A member's four criterion scores: their group's view, a little of their own, and
    each group leaning on the criterion it cares about more."""
    view = _view(email, n) if view is None else view
    members = ACADEMICS + LIVED
    jitter = (n + 2 * members.index(email)) % 3 - 1
    lived = email in LIVED
    scores = {"benefit": _clamp(view + jitter),
              "community": _clamp(view + jitter + (1 if lived else -1)),
              "delivery": _clamp(view + (0 if lived else 1)),
              "value": _clamp(view - jitter)}
    found = {key: str(value) for key, value in scores.items()}
    if email == UNABLE_ON_VALUE and n % 5 == 0:
        found["value"] = scoring_services.UNABLE
    return found


def score_demo_round(round_) -> None:
    """Every panellist answers the connection question and scores every application
    through the real services; a few pass, declare a connection or leave a draft."""
    for email in ACADEMICS + LIVED:
        user = find_user(email)
        member = scoring_queries.member_of(user, round_)
        for n, application in enumerate(sorted(round_.applications, key=lambda a: a.reference)):
            reference = application.reference
            assignment = scoring_queries.assignment_for(member, reference)
            if (email, reference) in PASSES:
                scoring_services.pass_on(user, assignment)
            elif (email, reference) in CONNECTED:
                scoring_services.declare_connection(user, assignment, "local",
                                                    "CANARY-NOTE: my neighbour runs it")
            else:
                scoring_services.answer_no_connection(user, assignment)
                comment = COMMENT[2] if (email, reference) == COMMENT[:2] else None
                sheet = scoring_services.save_sheet(user, assignment, 0, comment=comment,
                                                    scores=_scores(email, n))
                if (email, reference) not in LEFT_IN_DRAFT:
                    scoring_services.submit_sheet(user, assignment, sheet.version)
    db.session.commit()


def run_demo_meeting(round_) -> None:
    """The chair takes every item. On the first six, two academics move their scores
    halfway toward the lived-experience view and Amira moves hers toward the academics'
    on two of them. The first unfunded item the panel reaches is funded anyway, the
    first funded one is not, the third item has no consensus, the rest are kept."""
    officer, chair = find_user(OFFICER), find_user(CHAIR)
    round_services.change_phase(officer, round_, "moderation")
    meeting = meeting_services.start_meeting(chair, round_)
    db.session.commit()
    order = {a.id: n for n, a in enumerate(sorted(round_.applications,
                                                  key=lambda a: a.reference))}
    fund_used = do_not_fund_used = False
    for position in range(len(meeting.items)):
        item = next(i for i in meeting.items
                    if i.application_id == meeting.current_application_id)
        reference, n = item.application.reference, order[item.application_id]
        if position < 6:
            movers = [(e, _view(e, n) + (_view(LIVED[0], n) - _view(e, n)) // 2)
                      for e in ACADEMICS[:2]]
            if position in (1, 3):
                movers.append((LIVED[0], _view(LIVED[0], n)
                               + (_view(ACADEMICS[0], n) - _view(LIVED[0], n)) // 2))
            for email, view in movers:
                _revise(round_, meeting, email, n, view)
        funded = next(a for a in round_report(round_)["applications"]
                      if a["reference"] == reference)["funded"]
        if not fund_used and not funded:
            outcome, rationale, fund_used = "fund", FUND_RATIONALE, True
        elif not do_not_fund_used and funded:
            outcome, rationale, do_not_fund_used = "do_not_fund", DO_NOT_FUND_RATIONALE, True
        elif position == 2:
            outcome, rationale = "no_consensus", NO_CONSENSUS_RATIONALE
        else:
            outcome, rationale = "keep", ""
        meeting_services.record_outcome(chair, meeting, outcome, rationale)
        meeting_services.next_item(chair, meeting)
        db.session.commit()
    # Funding the first unfunded item takes the funded set £15,550 over the budget, so
    # deciding needs the officer's reason (docs/rules.md, "Deciding over budget").
    round_services.change_phase(officer, round_, "decided", over_budget_reason=OVER_BUDGET_REASON)
    db.session.commit()


def _revise(round_, meeting, email: str, n: int, view: int) -> None:
    user = find_user(email)
    member = scoring_queries.member_of(user, round_)
    sheet = meeting_services.revisable_sheet(member, meeting)
    new = _scores(email, n, view)
    if sheet is None or meeting_services.sheet_values(sheet, round_) == new:
        return
    meeting_services.revise_sheet(user, member, meeting, sheet.revision, new,
                                  "I heard the other members' view")


def scripted_demo_round():
    """The demo round scored, moderated and decided, as the issue's done-when asks."""
    round_ = people.demo_round()
    score_demo_round(round_)
    run_demo_meeting(round_)
    return round_


@pytest.fixture
def demo_decided(app):
    return scripted_demo_round()
