"""Which sheets count (DESIGN.md §3), decided once in SQL (panel.scoring.models) and used
by every figure: only submitted sheets; the initial sheet for initial figures; the latest
submitted revision, else the initial sheet, for final figures; never a member who
stepped out. Checked on the worked example imported from a bundle, with sheets added
the way the database would hold them."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.moderation import services as meeting_services
from panel.moderation.services import latest_sheet
from panel.rounds import services as rounds
from panel.rounds.models import Application, Criterion, PanelMember, Phase
from panel.scoring.figures import RANKING, REPORT, round_figures
from panel.scoring.models import CriterionScore, ScoreSheet
from tests.builders import rounds as round_builders
from tests.builders.sheets import revision, sheet


def _member(email: str) -> PanelMember:
    return db.session.scalar(sa.select(PanelMember).join(PanelMember.user)
                             .where(sa.text(f"users.email = '{email}'")))


def _application(reference: str) -> Application:
    return db.session.scalar(sa.select(Application).where(Application.reference == reference))


def _sheet(email: str, reference: str, revision: int, status: str, q: int | None,
           n: int | None) -> ScoreSheet:
    """A sheet written straight into the database, for states the services never make
    (a draft revision, a revision over a draft initial sheet): the rule holds for them
    too."""
    member, application = _member(email), _application(reference)
    criteria = {c.key: c.id for c in db.session.scalars(
        sa.select(Criterion).where(Criterion.round_id == application.round_id))}
    sheet = ScoreSheet(member_id=member.id, application_id=application.id,
                       stage="initial" if revision == 0 else "revised", revision=revision,
                       status=status, comment="", reason="")
    sheet.scores = [CriterionScore(criterion_id=criteria["q"], value=q),
                    CriterionScore(criterion_id=criteria["n"], value=n)]
    db.session.add(sheet)
    db.session.commit()
    return sheet


def _scores(round_, stage: str = "final") -> dict[str, float | None]:
    found = round_figures(round_, RANKING)
    table = (found.final if stage == "final" else found.initial).table
    return {ref: (None if score != score else score) for ref, score in table["score"].items()}


def _sheets_counted(round_, reference: str) -> dict[str, int]:
    return round_figures(round_, RANKING).final.sheets.loc[reference].to_dict()


def test_the_worked_example_counts_the_revision_finally_and_the_initial_sheet_initially(
        worked_round):
    # Lived One revised A3 from q4 n4 (75) to q5 n– (100): academics 75 on A3.
    assert _scores(worked_round)["A3"] == (75 + 100) / 2
    assert _scores(worked_round, "initial")["A3"] == (75 + 75) / 2
    lived = _member("lived1@panel.example")
    assert latest_sheet(lived.id, _application("A3").id).revision == 1


def test_a_draft_sheet_counts_nowhere(worked_round):
    # A second lived-experience panellist saves 100 on A1 but never sends it.
    lived2 = round_builders.member(worked_round, "lived2@panel.example", "lived_experience")
    rounds.assign_everyone(None, worked_round, system="tests")
    rounds.change_phase(None, worked_round, Phase.SCORING, system="tests")
    sheet(lived2, "A1", submit=False, q=5, n=5)
    assert _scores(worked_round)["A1"] == (87.5 + 0) / 2
    assert _scores(worked_round, "initial")["A1"] == (87.5 + 0) / 2
    assert _sheets_counted(worked_round, "A1") == {"academic": 2, "lived_experience": 1}


def test_a_draft_revision_does_not_replace_the_final_sheet(worked_round):
    _sheet("lived1@panel.example", "A3", 2, "draft", 1, 1)
    assert _scores(worked_round)["A3"] == (75 + 100) / 2
    lived = _member("lived1@panel.example")
    assert latest_sheet(lived.id, _application("A3").id).revision == 1


def test_the_latest_of_several_revisions_is_final(worked_round):
    # In the meeting Lived One revises A3 again, to q1 n1: 0 points.
    worked_round.phase = Phase.MODERATION
    db.session.commit()
    chair = _member("aca1@panel.example").user
    meeting = meeting_services.start_meeting(chair, worked_round)
    meeting_services.open_item(chair, meeting, "A3")
    db.session.commit()
    assert revision(_member("lived1@panel.example"), meeting, q=1, n=1).revision == 2
    assert _scores(worked_round)["A3"] == (75 + 0) / 2
    assert _scores(worked_round, "initial")["A3"] == (75 + 75) / 2
    assert _sheets_counted(worked_round, "A3") == {"academic": 1, "lived_experience": 1}


def test_a_revision_over_a_draft_initial_sheet_counts_only_finally(worked_round):
    # Academic Two has no sheet on A2: a draft initial sheet, then a submitted revision.
    _sheet("aca2@panel.example", "A2", 0, "draft", 1, 1)
    _sheet("aca2@panel.example", "A2", 1, "submitted", 5, 5)
    # Academics on A2: 50 and 100 finally (75), 50 alone initially; lived experience 100.
    assert _scores(worked_round)["A2"] == (75 + 100) / 2
    assert _scores(worked_round, "initial")["A2"] == (50 + 100) / 2


@pytest.mark.parametrize("stage", ["final", "initial"])
def test_a_stepped_out_member_s_sheets_count_in_no_figure(worked_round, stage):
    lived, a3 = _member("lived1@panel.example"), _application("A3")
    db.session.add(Conflict(member=lived, application=a3, kind="local", level="step_out",
                            source="declared", status="pending"))
    db.session.commit()
    # Only Academic One's 75 counts on A3, in the final and the initial figures alike.
    assert _scores(worked_round, stage)["A3"] == 75
    found = round_figures(worked_round, REPORT)
    assert found.without["academic"].table.at["A3", "score"] != found.without[
        "academic"].table.at["A3", "score"]  # nothing left without the academics: NaN
    assert latest_sheet(lived.id, a3.id).revision == 1  # the sheet stays on record
