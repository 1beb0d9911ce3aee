"""The demo: the round to score (issue 2, item 7) and the decided, published round that
shows the whole story."""
from __future__ import annotations

import html

import sqlalchemy as sa

from panel.audit.anchors import round_anchor
from panel.conflicts.queries import pending_count
from panel.demo import story
from panel.demo.seed import STAFF, demo_spec
from panel.extensions import db
from panel.models import Application, AuditEvent, PanelMember, User
from panel.reports.report import round_report
from panel.rounds.models import IDENTIFYING_FIELDS
from panel.rounds.queries import round_by_slug
from panel.scoring.models import ScoreSheet
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


def test_seeding_makes_a_round_to_score_and_a_published_round_and_twice_changes_nothing(
        app, runner):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert (f"Demo round created: {demo_spec()['title']} (scoring)" in first.output
            and f"Demo round created: {story.DECIDED_TITLE} (scored, met, decided and "
                "published)." in first.output and "Seeded in " in first.output)
    to_score, decided = round_by_slug(demo_spec()["slug"]), round_by_slug(story.DECIDED_SLUG)
    assert (to_score.phase, decided.phase) == ("scoring", "published")
    assert _panel(to_score) == _panel(decided) and len(_panel(decided)) == 9
    counts = _row_counts()
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert _row_counts() == counts
    assert counts["applications"] == 44 and counts["panel_members"] == 18


def _panel(round_) -> set[tuple[str, str, str | None]]:
    return {(m.user.email, m.role, m.group.key if m.group else None) for m in round_.members}


def test_the_published_round_was_scored_met_and_decided_through_the_services(app, runner):
    runner.invoke(args=["demo", "seed"])
    decided = round_by_slug(story.DECIDED_SLUG)
    actions = db.session.scalars(sa.select(AuditEvent.action)
                                 .where(AuditEvent.round_id == decided.id)).all()
    for action in ("sheet.submitted", "assignment.passed", "conflict.declared",
                   "conflict.level_changed", "conflict.confirmed", "meeting.started",
                   "sheet.revised", "decision.recorded", "audit.anchored"):
        assert action in actions, action
    revised = db.session.scalars(sa.select(ScoreSheet).where(ScoreSheet.revision > 0)).all()
    assert revised and all(sheet.reason.strip() for sheet in revised)
    assert round_anchor(decided) is not None
    assert pending_count(decided) == 0
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_lived_experience_changed_what_the_published_round_funds(app, runner, client,
                                                                 mailbox):
    runner.invoke(args=["demo", "seed"])
    decided = round_by_slug(story.DECIDED_SLUG)
    report = round_report(decided)
    because = report["groups"]["lived_experience"]["funded_because"]
    assert because, "lived experience brought no project above the funding line"
    overrides = report["overrides"]
    assert {o["decision"] for o in overrides} >= {"fund", "do_not_fund"}
    assert all(o["rationale"].strip() and o["funded"] != o["final_funded"] for o in overrides)
    assert all(a["rationale"] for a in report["applications"])
    funded = sum(a["requested_amount"] for a in report["applications"] if a["final_funded"])
    assert funded <= report["round"]["budget"] and report["warnings"] == []
    people.sign_in_by_link(client, mailbox, story.LIVED[0])
    page = html.unescape(client.get(f"/rounds/{story.DECIDED_SLUG}/report").get_data(True))
    titles = {a["reference"]: a["title"] for a in report["applications"]}
    assert all(titles[ref] in page for ref in because)
    summary = client.get(f"/rounds/{story.DECIDED_SLUG}/report/summary")
    assert summary.status_code == 200


def test_demo_is_on_the_audit_trail_and_verifies(app, runner):
    people.demo_round()
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert actions.count("application.added") == db.session.scalar(
        sa.select(sa.func.count()).select_from(Application))
    assert actions.count("member.added") == db.session.scalar(
        sa.select(sa.func.count()).select_from(PanelMember))
    assert "round.phase_changed" in actions
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_demo_sign_ins_list_both_rounds_and_their_people(app, client, runner):
    runner.invoke(args=["demo", "seed"])
    printed = runner.invoke(args=["demo", "sign-ins"]).output
    password = app.config["DEMO_STAFF_PASSWORD"]
    assert f"password: {password}" in printed
    for staff in STAFF:
        assert staff.email in printed
        fresh = app.test_client()
        response = people.sign_in_staff(fresh, staff.email, password)
        assert response.status_code == 302, staff.email
    assert f"{demo_spec()['title']}: scoring" in printed
    assert f"{story.DECIDED_TITLE}: published" in printed
    assert f"/rounds/{story.DECIDED_SLUG}/report" in printed
    for email in story.ACADEMICS + story.LIVED + (story.CHAIR,):
        assert email in printed


def test_demo_refuses_to_run_where_switched_off(app, runner):
    app.config["DEMO_ALLOWED"] = False
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code != 0 and "switched off" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0
