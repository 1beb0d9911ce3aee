"""Anchoring and publishing (issue 7): deciding a round records the head of the audit
chain; `flask audit verify` checks the trail against every anchor, so even a trail
rewritten end to end with every hash recomputed is caught; publishing e-mails the panel."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from panel.audit.anchors import check_anchors, round_anchor
from panel.audit.chain import event_hash
from panel.audit.models import AuditAnchor, AuditEvent
from panel.auditor.queries import verify_chain
from panel.extensions import db
from panel.rounds import services as rounds
from panel.rounds.queries import round_by_slug
from tests.builders.meetings import CHAIR, SLUG
from tests.builders.trail import drop_triggers
from tests.support.web import submit


def decided(round_):
    rounds.change_phase(None, round_, "decided", system="tests")
    db.session.commit()
    return round_anchor(round_)


def test_deciding_a_round_anchors_the_chain_after_the_phase_change(meeting_round):  # noqa: F811
    anchor = decided(meeting_round)
    events = db.session.execute(sa.select(AuditEvent.id, AuditEvent.action, AuditEvent.hash)
                                .order_by(AuditEvent.id.desc()).limit(2)).all()
    latest, phase_change = events
    assert phase_change.action == "round.phase_changed"
    assert (anchor.event_id, anchor.event_hash) == (phase_change.id, phase_change.hash)
    assert latest.action == "audit.anchored"
    # Anchored once: moving on to published takes no second anchor.
    rounds.change_phase(None, meeting_round, "published", system="tests")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(AuditAnchor.id))) == 1


def test_verify_reports_each_anchor_and_passes_on_an_intact_trail(meeting_round, runner):  # noqa: F811
    anchor = decided(meeting_round)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert (f"Anchor of {SLUG} holds: event {anchor.event_id}, {anchor.event_hash}"
            in result.output)


def test_a_trail_rewritten_with_every_hash_recomputed_fails_its_anchor(meeting_round, runner):  # noqa: F811
    anchor = decided(meeting_round)
    drop_triggers()
    # A forger changes an early event, then recomputes every hash after it: the chain
    # alone looks intact again, but the anchored position now has another hash.
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    events[4].actor = "forger@example.org"
    previous = events[3].hash
    for event in events[4:]:
        event.prev_hash = previous
        event.hash = previous = event_hash(previous, event.canonical())
    db.session.commit()
    report = verify_chain()
    assert report.ok  # the chain on its own cannot tell
    [check] = check_anchors(report)
    assert not check.ok and f"event {anchor.event_id} now has hash" in check.problem
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "Audit chain intact" in result.output
    assert f"Anchor of {SLUG} broken: event {anchor.event_id} now has hash" in result.output


def test_an_anchor_beyond_a_broken_event_is_not_vouched_for(meeting_round, runner):  # noqa: F811
    decided(meeting_round)
    drop_triggers()
    db.session.execute(sa.text("UPDATE audit_events SET actor = 'x@example.org' WHERE id = 2"))
    db.session.commit()
    [check] = check_anchors(verify_chain())
    assert not check.ok and "the chain is broken at event 2" in check.problem
    assert runner.invoke(args=["audit", "verify"]).exit_code == 1


def test_the_report_carries_the_anchor_once_decided(meeting_round, runner):  # noqa: F811
    import json

    before = json.loads(runner.invoke(args=["round", "report", SLUG, "--format", "json"]).output)
    assert before["anchor"] is None
    anchor = decided(meeting_round)
    after = json.loads(runner.invoke(args=["round", "report", SLUG, "--format", "json"]).output)
    assert after["anchor"]["event_id"] == anchor.event_id
    assert after["anchor"]["event_hash"] == anchor.event_hash


@pytest.mark.parametrize("statement", [
    "UPDATE audit_anchors SET event_hash = 'x'", "DELETE FROM audit_anchors"])
def test_the_database_refuses_to_change_an_anchor(meeting_round, statement):  # noqa: F811
    decided(meeting_round)
    with pytest.raises(DatabaseError):
        db.session.execute(sa.text(statement))
        db.session.flush()
    db.session.rollback()


def test_publishing_e_mails_the_whole_panel_a_link_to_the_report(meeting_round, officer,  # noqa: F811
                                                                  mailbox):
    decided(meeting_round)
    response = submit(officer, f"/rounds/{SLUG}/phase/next", {"from_phase": "decided"},
                      follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "is now in the published phase" in html
    assert "We emailed 4 people on the panel to say the results are published." in html
    assert round_by_slug(SLUG).phase == "published"
    for email in ("aca1@panel.example", "aca2@panel.example", "lived1@panel.example", CHAIR):
        # The panel's page in plain words first, then the full report.
        link = mailbox.last_link(email, f"/rounds/{SLUG}/")
        assert link == f"/rounds/{SLUG}/report/for-panel"
        body = mailbox.body(mailbox.to(email)[-1])
        assert re.search(rf"https?://\S+/rounds/{SLUG}/report\s", body)
