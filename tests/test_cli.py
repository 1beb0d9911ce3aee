"""The real ``flask`` command, as an operator or auditor runs it from the project root."""
from __future__ import annotations

import sqlalchemy as sa

from panel.extensions import db
from tests.builders.trail import DROP_TRIGGERS
from tests.support.commands import flask


def test_audit_verify_passes_on_the_demo_and_names_the_tampered_event(app, database_url):
    seeded = flask(database_url, "demo", "seed")
    assert seeded.returncode == 0, seeded.stderr
    whole = flask(database_url, "audit", "verify")
    assert whole.returncode == 0, whole.stderr
    assert whole.stdout.startswith("Audit chain intact: ")

    # Someone with database access drops the trigger and quietly lowers an amount.
    for statement in DROP_TRIGGERS[db.engine.dialect.name]:
        db.session.execute(sa.text(statement))
    target = db.session.execute(sa.text(
        "SELECT id FROM audit_events WHERE action = 'application.added' ORDER BY id LIMIT 1 OFFSET 4"
    )).scalar_one()
    db.session.execute(sa.text("UPDATE audit_events SET object_id = 'CA-999' WHERE id = :id"),
                       {"id": target})
    db.session.commit()

    broken = flask(database_url, "audit", "verify")
    assert broken.returncode == 1
    assert f"Audit chain broken at event {target} (application.added)" in broken.stderr
    # Each round has its own chain (trail format 4): the events counted intact are every
    # other chain's, and those of the broken chain before the altered one.
    total, after = db.session.execute(sa.text(
        "SELECT (SELECT count(*) FROM audit_events), (SELECT count(*) FROM audit_events e, "
        "audit_events t WHERE t.id = :id AND e.chain = t.chain AND e.seq >= t.seq)"),
        {"id": target}).one()
    assert f"{total - after} events are intact: those before it in its chain, and those " \
           "of the chains that do not break." in broken.stderr


def test_demo_seed_from_the_command_line_is_idempotent(app, database_url):
    assert flask(database_url, "demo", "seed").returncode == 0
    events = db.session.scalar(sa.text("SELECT count(*) FROM audit_events"))
    second = flask(database_url, "demo", "seed")
    assert second.returncode == 0 and "nothing changed" in second.stdout
    assert db.session.scalar(sa.text("SELECT count(*) FROM audit_events")) == events
