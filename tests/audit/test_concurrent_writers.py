"""Writers of the decision trail at once (issue 16, "several machines"; issue 22 item 5).

Each round's events form their own chain, and events of no round the site's (trail
format 4, docs/trail.md). On PostgreSQL a writer locks only the chains it appends to,
so a long transaction in one round does not hold up a write in another, while two
writers of one chain append one after the other. On SQLite (one writer at a time) the
writer takes the write lock before it reads a chain's head, so a command and web
requests writing at once never collide: no request fails, and the trail verifies."""
from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from panel.audit.models import AuditEvent
from panel.audit.services import record
from panel.auditor.queries import verify_chain
from panel.extensions import db
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.builders.bundles import demo_bundle
from tests.support.commands import flask_started

OFFICER, AUDITOR = "officer@example.org", "auditor@example.org"
EXTRA_PANELLISTS = 150


def _bigger_bundle(tmp_path):
    """The demo bundle with 150 more panellists: an import that writes a few hundred
    events in the site chain (their accounts) and in the new round's chain."""
    folder = demo_bundle(tmp_path)
    with open(folder / "panellists.csv", "a", encoding="utf-8") as file:
        file.writelines(f'"extra{n:03}@panel.example","Extra Panellist {n}",'
                        '"lived_experience","panellist",""\n'
                        for n in range(EXTRA_PANELLISTS))
    return folder


def test_a_command_and_web_requests_write_the_trail_at_once(app, database_url, tmp_path,
                                                            runner):
    """`flask round import` in its own process while, through the web, an officer signs
    in again and again and an auditor downloads the trail again and again. Each sign-in
    and each download is an event of the site chain, like the accounts the import makes;
    a download's event is the first thing its transaction writes, the case that collided
    (issue 22 item 5). Every request works, and the trail verifies."""
    people.staff(OFFICER, "officer")
    people.staff(AUDITOR, "auditor")
    auditor = app.test_client()
    people.sign_in_staff(auditor, AUDITOR)
    bundle = _bigger_bundle(tmp_path)
    command = flask_started(database_url, "round", "import", str(bundle))
    sign_ins, downloads, during = [], [], 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        running = command.poll() is None
        sign_ins.append(people.sign_in_staff(app.test_client(), OFFICER).status_code)
        downloads.append(auditor.get("/audit/trail.csv", buffered=True).status_code)
        during += running
        if not running and len(sign_ins) >= 3:
            break
    _, err = command.communicate(timeout=120)
    assert command.returncode == 0, err
    assert during >= 1  # at least one round of requests while the command was writing
    assert set(sign_ins) == {302}, sign_ins  # signed in each time: no 500
    assert set(downloads) == {200}, downloads

    def count(action):
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == action))

    assert count("user.signed_in") == len(sign_ins) + 1  # and the auditor's
    assert count("audit.exported") == len(downloads)
    report = verify_chain()
    assert report.ok, report.problem
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    # The import wrote every panellist's account into the site chain, one after another
    # with the sign-ins: positions 1, 2, 3… with no gap and no repeat.
    seqs = db.session.scalars(sa.select(AuditEvent.seq).where(AuditEvent.chain == 0)
                              .order_by(AuditEvent.seq)).all()
    assert seqs == list(range(1, len(seqs) + 1))
    assert len(seqs) >= EXTRA_PANELLISTS + len(sign_ins) + len(downloads)


def test_concurrent_writers_of_one_chain_append_one_after_another(app):
    """Eight writers, fifteen events each, all in the site chain, on either database."""
    writers, events_each = 8, 15
    barrier = threading.Barrier(writers)
    errors = []

    def write(n):
        try:
            with app.app_context():
                barrier.wait()
                for i in range(events_each):
                    record("test.concurrent", system=f"writer {n}", after={"writer": n, "i": i})
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (a thread's failure must fail the test)
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    report = verify_chain()
    assert report.ok, report.problem
    assert report.events == writers * events_each
    seqs = db.session.scalars(sa.select(AuditEvent.seq).order_by(AuditEvent.id)).all()
    assert seqs == list(range(1, writers * events_each + 1))


class Holder(threading.Thread):
    """Writes one event of ``round_id``'s chain and keeps its transaction open (holding
    the chain) until told to commit."""

    def __init__(self, app, round_id: int):
        super().__init__(daemon=True)
        self.app, self.round_id = app, round_id
        self.holding, self.release = threading.Event(), threading.Event()
        self.error: BaseException | None = None

    def run(self):
        try:
            with self.app.app_context():
                record("test.held", system="tests", round_id=self.round_id)
                self.holding.set()
                self.release.wait(timeout=60)
                db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (reported by the test)
            self.error = error
            self.holding.set()


class Writer(threading.Thread):
    """Writes one event of ``round_id``'s chain and commits; says when it is done."""

    def __init__(self, app, round_id: int):
        super().__init__(daemon=True)
        self.app, self.round_id = app, round_id
        self.done = threading.Event()
        self.error: BaseException | None = None

    def run(self):
        try:
            with self.app.app_context():
                record("test.written", system="tests", round_id=self.round_id)
                db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (reported by the test)
            self.error = error
        self.done.set()


@pytest.mark.postgres_only
def test_a_transaction_in_one_round_does_not_hold_up_another(app):
    a_id = round_builders.draft_round().id
    b_id = round_builders.draft_round(slug="other-round", title="Other round").id
    a_events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.chain == a_id))
    db.session.remove()
    holder = Holder(app, a_id)
    holder.start()
    assert holder.holding.wait(timeout=30) and holder.error is None, holder.error
    try:
        # Round B's chain is free: its writer commits at once, round A still held.
        other = Writer(app, b_id)
        other.start()
        assert other.done.wait(timeout=10), "a write to round B waited for round A"
        assert other.error is None, other.error
        # The site chain too (a sign-in, an account).
        site = Writer(app, None)
        site.start()
        assert site.done.wait(timeout=10) and site.error is None, site.error
        # A second writer of round A waits for the first to commit.
        same = Writer(app, a_id)
        same.start()
        assert not same.done.wait(timeout=1.5), "two writers of round A did not wait"
    finally:
        holder.release.set()
    holder.join(timeout=30)
    assert same.done.wait(timeout=30) and same.error is None, same.error
    assert holder.error is None, holder.error
    held, written = db.session.execute(
        sa.select(AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash)
        .where(AuditEvent.chain == a_id).order_by(AuditEvent.seq.desc()).limit(2)
    ).all()[::-1]
    assert (held.seq, written.seq) == (a_events + 1, a_events + 2)
    assert written.prev_hash == held.hash
    assert db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.chain == a_id).order_by(AuditEvent.seq.desc()).limit(2)).all() == [
        "test.written", "test.held"]
    assert verify_chain().ok
