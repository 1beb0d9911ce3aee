"""One rule for when a conflict takes a member off an application (DESIGN.md §5), the
same for the ranking, the panellist's pages and assignment."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.reports import report
from panel.rounds import progress
from panel.rounds.models import Application, PanelMember
from panel.scoring import queries as scoring_queries


def _lived_one_on_a1():
    member = db.session.scalar(sa.select(PanelMember).join(PanelMember.user)
                               .where(sa.text("users.email = 'lived1@panel.example'")))
    application = db.session.scalar(sa.select(Application).where(Application.reference == "A1"))
    return member, application


def _a1_score(worked_round):
    result = report.round_report(worked_round)
    return next(a["score"] for a in result["applications"] if a["reference"] == "A1")


@pytest.mark.parametrize("source,status,steps_out", [
    ("declared", "pending", True),     # the member's own word counts at once
    ("officer", "pending", True),
    ("suggested", "pending", False),   # a hidden match counts only once confirmed
    ("suggested", "confirmed", True),
    ("declared", "dismissed", False),
])
def test_who_is_stepped_out(worked_round, source, status, steps_out):  # noqa: F811
    member, application = _lived_one_on_a1()
    assert _a1_score(worked_round) == 43.75  # (87.5 + 0) / 2, DESIGN.md §3
    db.session.add(Conflict(member=member, application=application, kind="local",
                            level="step_out", source=source, status=status))
    db.session.commit()
    # Without Lived One's 0 on A1 only the academics count: (100 + 75) / 2 = 87.5.
    assert _a1_score(worked_round) == (87.5 if steps_out else 43.75)
    assert scoring_queries.is_stepped_out(member.id, application.id) is steps_out
    assert ((member.id, application.id) in progress.step_out_pairs(worked_round)) is steps_out


def test_a_declared_level_conflict_changes_no_figure(worked_round):  # noqa: F811
    member, application = _lived_one_on_a1()
    db.session.add(Conflict(member=member, application=application, kind="local",
                            level="declared", source="declared", status="confirmed"))
    db.session.commit()
    assert _a1_score(worked_round) == 43.75
    assert not scoring_queries.is_stepped_out(member.id, application.id)
