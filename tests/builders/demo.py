"""The demo round scored through the real services (some passes, a declared connection,
a draft, an unscored criterion), its meeting run (revisions toward the other group,
fund, do not fund, no consensus, keep) and the round decided: the community-voice story
with every kind of figure in it. The story itself is panel/demo/story.py (``flask demo
seed`` tells it on the decided demo round); here it is told with marked words that a
test can look for on a page."""
from __future__ import annotations

import pandas as pd
import pytest

from panel.demo import story
from panel.demo.seed import BUNDLE
from panel.extensions import db
from panel.rounds.queries import round_by_slug
from tests.builders import people
from tests.support.databases import restore_or_build

DEMO_SLUG = "community-assets-2026"
ACADEMICS, LIVED, CHAIR, OFFICER = story.ACADEMICS, story.LIVED, story.CHAIR, story.OFFICER
FUND_RATIONALE = "CANARY-FUND: the panel heard strong local support in the room"
DO_NOT_FUND_RATIONALE = "CANARY-DONOTFUND: already funded by another programme"
NO_CONSENSUS_RATIONALE = "CANARY-SPLIT: the panel could not agree"
COMMENT = (*story.COMMENTED, "CANARY-COMMENT: my nan would love this garden")
# The officer's reason for deciding over budget is published in the summary: no canary.
OVER_BUDGET_REASON = "The trust agreed to cover the extra project from its reserve"

CANARIES = story.Script(
    comment=COMMENT[2],
    connection_note="CANARY-NOTE: my neighbour runs it",
    fund=FUND_RATIONALE,
    do_not_fund=DO_NOT_FUND_RATIONALE,
    no_consensus=NO_CONSENSUS_RATIONALE,
    keep="",
    over_budget="",  # this round is left over budget: the report's warning is tested
    toward_lived=("I heard the other members' view",),
    toward_academic=("I heard the other members' view",),
)


def score_demo_round(round_) -> None:
    story.score_round(round_, CANARIES)
    db.session.commit()


def run_demo_meeting(round_) -> None:
    story.hold_meeting(round_, CANARIES, within_budget=False,
                       over_budget_reason=OVER_BUDGET_REASON)
    db.session.commit()


def scripted_demo_round():
    """The demo round scored, moderated and decided, as the issue's done-when asks."""
    round_ = people.demo_round()
    score_demo_round(round_)
    run_demo_meeting(round_)
    return round_


@pytest.fixture
def demo_decided(app, databases, database_url, mailbox):
    """The scripted demo round, built once per test process and copied for each test
    after (tests/support/databases.py); what building it e-mailed is cleared either way."""
    restore_or_build(databases, database_url, "demo_decided", scripted_demo_round)
    mailbox.clear()
    return round_by_slug(DEMO_SLUG)


def personal_details() -> list[str]:
    """Names and e-mails of the panel, identifying fields of the applications, a comment
    and a connection note: none may be in the summary; none but the reasons in the report."""
    panel = pd.read_csv(BUNDLE / "panellists.csv", dtype=str, keep_default_na=False)
    applications = pd.read_csv(BUNDLE / "applications.csv", dtype=str, keep_default_na=False)
    found = list(panel["name"]) + list(panel["email"])
    for column in ("applicant_name", "organisation", "contact_email", "lead_contact_phone"):
        found += list(applications[column])
    return found + [COMMENT[2], "CANARY-NOTE"]
