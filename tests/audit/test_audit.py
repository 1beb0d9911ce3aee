"""The decision trail (DESIGN.md §7): chained, append-only, verifiable."""
from __future__ import annotations

import hashlib
import json

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from panel.audit.chain import canonical_json
from panel.audit.models import GENESIS_HASH, AuditEvent
from panel.audit.services import record
from panel.auditor.queries import verify_chain
from panel.extensions import db
from tests.builders import people
from tests.builders.trail import drop_triggers


def _events():
    return db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()


def test_each_event_hashes_the_previous_hash_and_its_canonical_json(app):
    """Format 4: the actor is "person" (who: actor_id), "v": 4 and the event's place in
    its chain ("seq") are in the event, and the chain hashes an envelope of its place,
    round and SHA-256(salt + the event's canonical JSON). Events of no round form the
    site chain, which starts from the all-zero hash."""
    user = people.staff("officer@example.org", "officer")
    record("round.note", actor=user, target=user, after={"amount": 1200, "note": "café"})
    db.session.commit()

    first, second = _events()[-2:]
    assert (first.chain, first.seq, second.chain, second.seq) == (0, 1, 0, 2)
    payload = {
        "seq": 2, "occurred_at": second.occurred_at.isoformat(timespec="microseconds") + "Z",
        "actor_id": user.id, "actor": "person", "action": "round.note",
        "object_type": "users", "object_id": str(user.id), "round_id": None,
        "before": None, "after": {"amount": 1200, "note": "café"}, "v": 4,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_json(payload) == text
    assert len(second.salt) == 32 and second.salt != first.salt
    digest = hashlib.sha256((second.salt + text).encode()).hexdigest()
    envelope = '{"digest":"' + digest + '","public":false,"round_id":null,"seq":2,"v":4}'
    assert second.prev_hash == first.hash
    assert second.hash == hashlib.sha256((first.hash + envelope).encode()).hexdigest()
    assert first.prev_hash == GENESIS_HASH


def test_event_is_written_in_the_same_transaction_as_the_change(app):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    people.panellist("kept@example.org")
    from panel.accounts import services

    services.create_account(None, email="lost@example.org", name="Lost", system="tests")
    db.session.rollback()
    after = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    assert after == before + 1  # the rolled-back account took its event with it
    assert services.find_user("lost@example.org") is None
    assert verify_chain().ok


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET action = 'nothing.happened' WHERE id = 1",
    "DELETE FROM audit_events WHERE id = 1",
])
def test_database_refuses_to_change_or_remove_an_event(app, statement):
    people.panellist()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(sa.text(statement))
        db.session.commit()
    db.session.rollback()
    assert _events()[0].action == "user.created"


@pytest.mark.postgres_only
def test_postgresql_refuses_truncate(app):
    people.panellist()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(sa.text("TRUNCATE audit_events CASCADE"))
    db.session.rollback()


def test_verify_names_an_event_altered_after_the_trigger_was_dropped(app, runner):
    for n in range(5):
        people.panellist(f"p{n}@example.org", f"Panellist {n}")
    assert verify_chain().ok
    drop_triggers()
    db.session.execute(sa.text(
        "UPDATE audit_events SET actor = 'someone-else@example.org' WHERE id = 3"))
    db.session.commit()

    report = verify_chain()
    assert not report.ok and report.bad_event_id == 3 and report.events == 2
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "broken at event 3" in result.output and "altered" in result.output


def test_verify_names_the_event_after_a_removed_one(app, runner):
    for n in range(4):
        people.panellist(f"p{n}@example.org", f"Panellist {n}")
    drop_triggers()
    db.session.execute(sa.text("DELETE FROM audit_events WHERE id = 2"))
    db.session.commit()

    report = verify_chain()
    assert (report.ok, report.bad_event_id) == (False, 3)
    assert "missing" in report.problem
    assert runner.invoke(args=["audit", "verify"]).exit_code == 1


def test_verify_detects_a_rewritten_event_with_a_recomputed_hash(app):
    """Rewriting an event and its own hash still breaks the link to the next event."""
    for n in range(3):
        people.panellist(f"p{n}@example.org", f"Panellist {n}")
    drop_triggers()
    event = db.session.get(AuditEvent, 2)
    event.actor = "forger@example.org"
    from panel.audit.chain import event_hash

    event.hash = event_hash(event.prev_hash, event.canonical())
    db.session.commit()
    report = verify_chain()
    assert (report.ok, report.bad_event_id) == (False, 3)


def test_verify_passes_on_an_intact_chain(app, runner):
    people.demo_round()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    count = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    assert f"Audit chain intact: {count} events" in result.output


def test_auditor_sees_where_the_chain_breaks_in_the_browser_page(app, client):
    people.staff("auditor@example.org", "auditor", name="Hannah Price")
    for n in range(3):
        people.panellist(f"p{n}@example.org", f"Panellist {n}")
    people.sign_in_staff(client, "auditor@example.org")
    assert "The decision trail is whole" in client.get("/audit/verify").get_data(as_text=True)

    drop_triggers()
    db.session.execute(sa.text("UPDATE audit_events SET action = 'user.deleted' WHERE id = 3"))
    db.session.commit()
    page = client.get("/audit/verify").get_data(as_text=True)
    assert "The decision trail has been changed" in page
    assert "The chain breaks at event 3 (user.deleted)." in page
    assert "Its contents do not match its hash; it was altered." in page
