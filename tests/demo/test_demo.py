"""The demo round (issue 2, item 7)."""
from __future__ import annotations

import sqlalchemy as sa

from panel.demo.seed import STAFF
from panel.extensions import db
from panel.models import Application, AuditEvent, PanelMember, User
from panel.rounds.models import IDENTIFYING_FIELDS
from tests.builders import people


def _row_counts() -> dict[str, int]:
    return {name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for name, table in db.metadata.tables.items()}


def test_demo_round_is_a_believable_mixed_panel(app):
    round_ = people.demo_round()
    assert round_.title == "Community assets and health inequalities 2026"
    assert round_.phase == "scoring"
    assert len(round_.applications) >= 20
    assert all(len(a.lay_summary.split()) >= 25 for a in round_.applications)
    groups = {m.group.key for m in round_.members if m.role == "panellist"}
    assert groups == {"academic", "lived_experience"}
    assert sum(m.role == "chair" for m in round_.members) == 1
    roles = {role for user in db.session.scalars(sa.select(User)) for role in user.role_names}
    assert {"officer", "auditor", "admin"} <= roles
    assert [c.key for c in round_.criteria] == ["benefit", "community", "delivery", "value"]
    assert round_.identifying_columns == ["lead_contact_phone"]


def test_lay_summaries_never_name_the_applicant(app):
    """Panels score blind: the summary they read must not identify who applied."""
    round_ = people.demo_round()
    for application in round_.applications:
        summary = application.lay_summary.lower()
        identifying = [getattr(application, f) for f in IDENTIFYING_FIELDS]
        identifying += [application.extra[c] for c in round_.identifying_columns]
        for value in identifying:
            assert value and value.lower() not in summary, (application.reference, value)


def test_every_panellist_reviews_every_application(app):
    round_ = people.demo_round()
    panellists = [m for m in round_.members if m.role == "panellist"]
    assert all(len(m.assignments) == len(round_.applications) for m in panellists)
    chair = next(m for m in round_.members if m.role == "chair")
    assert chair.assignments == []


def test_seeding_twice_changes_nothing(app, runner):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0 and "Demo round created." in first.output
    counts = _row_counts()
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert _row_counts() == counts
    assert counts["applications"] == 22 and counts["panel_members"] == 9


def test_demo_is_on_the_audit_trail_and_verifies(app, runner):
    people.demo_round()
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert actions.count("application.added") == db.session.scalar(
        sa.select(sa.func.count()).select_from(Application))
    assert actions.count("member.added") == db.session.scalar(
        sa.select(sa.func.count()).select_from(PanelMember))
    assert "round.phase_changed" in actions
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_demo_staff_sign_in_with_the_printed_password(app, client, runner):
    runner.invoke(args=["demo", "seed"])
    printed = runner.invoke(args=["demo", "sign-ins"]).output
    password = app.config["DEMO_STAFF_PASSWORD"]
    assert f"password: {password}" in printed
    for staff in STAFF:
        assert staff.email in printed
        fresh = app.test_client()
        response = people.sign_in_staff(fresh, staff.email, password)
        assert response.status_code == 302, staff.email
    assert "amira@panel.example" in printed


def test_demo_refuses_to_run_where_switched_off(app, runner):
    app.config["DEMO_ALLOWED"] = False
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code != 0 and "switched off" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0
