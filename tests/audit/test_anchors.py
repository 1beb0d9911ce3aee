"""Anchoring and publishing (issue 7): deciding a round records the head of the audit
chain; `flask audit verify` checks the trail against every anchor, so even a trail
rewritten end to end with every hash recomputed is caught; publishing e-mails the panel."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from panel.audit.anchors import chain_heads, check_anchors, round_anchor
from panel.audit.models import AuditAnchor, AuditEvent
from panel.auditor.queries import verify_chain
from panel.extensions import db
from panel.rounds import services as rounds
from panel.rounds.queries import round_by_slug
from tests.builders import people
from tests.builders.meetings import CHAIR, SLUG
from tests.builders.trail import drop_triggers, forge
from tests.support.web import submit


def decided(round_):
    rounds.change_phase(None, round_, "decided", system="tests")
    db.session.commit()
    return round_anchor(round_)


def test_deciding_a_round_anchors_the_chain_after_the_phase_change(meeting_round):  # noqa: F811
    """Trail format 4: the anchor is an event of the round's own chain, written right
    after the phase change, that lists the head of every other chain at that moment."""
    other_heads = {k: v for k, v in chain_heads().items() if k != meeting_round.id}
    anchor = decided(meeting_round)
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())
                                .limit(2)).all()
    latest, phase_change = events
    assert phase_change.action == "round.phase_changed"
    assert latest.action == "audit.anchored" and latest.public
    assert (anchor.event_id, anchor.event_hash) == (latest.id, latest.hash)
    assert (latest.chain, latest.seq) == (meeting_round.id, phase_change.seq + 1)
    assert latest.prev_hash == phase_change.hash
    assert set(other_heads) == {0}  # the site chain: the panel's accounts
    assert latest.after == {"heads": {"site": list(other_heads[0])}}
    # Anchored once: moving on to published takes no second anchor.
    rounds.change_phase(None, meeting_round, "published", system="tests")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(AuditAnchor.id))) == 1


def test_verify_reports_each_anchor_and_passes_on_an_intact_trail(meeting_round, runner):  # noqa: F811
    anchor = decided(meeting_round)
    # Later events of any chain leave the anchor as it was.
    people.panellist("later@example.org", "Later Person")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert (f"Anchor of {SLUG} holds: event {anchor.event_id}, {anchor.event_hash}"
            in result.output)


def _chain_events(chain: int) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.chain == chain)
                              .order_by(AuditEvent.seq)).all()


def test_a_trail_rewritten_with_every_hash_recomputed_fails_its_anchor(meeting_round, runner):  # noqa: F811
    anchor = decided(meeting_round)
    drop_triggers()
    # A forger changes an early event of the round, then recomputes every hash after it
    # in the round's chain: the chain alone looks intact again, but the anchored
    # position now has another hash.
    forge(_chain_events(meeting_round.id)[4], actor="system: forger")
    report = verify_chain()
    assert report.ok  # the chain on its own cannot tell
    [check] = check_anchors(report)
    assert not check.ok and f"event {anchor.event_id} now has hash" in check.problem
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "Audit chain intact" in result.output
    assert f"Anchor of {SLUG} broken: event {anchor.event_id} now has hash" in result.output


def test_another_chain_rewritten_before_the_anchor_fails_it(meeting_round, runner):  # noqa: F811
    """The site chain (the panel's accounts) is not linked to the round's, but the anchor
    lists its head: rewriting it before the anchor, hashes and all, is caught."""
    anchor = decided(meeting_round)
    listed_seq, listed_hash = db.session.get(AuditEvent, anchor.event_id).after["heads"]["site"]
    drop_triggers()
    forge(_chain_events(0)[1], actor="system: forger")
    report = verify_chain()
    assert report.ok
    [check] = check_anchors(report)
    now = _chain_events(0)[listed_seq - 1].hash
    assert not check.ok and check.problem == (
        f"position {listed_seq} of the site chain now has hash {now}, not the "
        f"{listed_hash} the anchor vouched for")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"Anchor of {SLUG} broken: position" in result.output


def test_an_event_removed_from_the_end_of_another_chain_fails_the_anchor(meeting_round):  # noqa: F811
    """Removing the last events of a chain leaves it whole on its own; the anchor that
    listed its head notices."""
    anchor = decided(meeting_round)
    listed_seq, _ = db.session.get(AuditEvent, anchor.event_id).after["heads"]["site"]
    drop_triggers()
    db.session.execute(sa.text("DELETE FROM audit_events WHERE chain = 0 AND seq = :seq"),
                       {"seq": listed_seq})
    db.session.commit()
    report = verify_chain()
    assert report.ok
    [check] = check_anchors(report)
    assert not check.ok
    assert check.problem == f"position {listed_seq} of the site chain is missing from the trail"


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
