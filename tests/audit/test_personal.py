"""The trail's format 2 (DESIGN.md §7, docs/trail.md): the hashed part of an event names
people by id only; personal values are sealed out of the hash into audit_personal, a
salted commitment in their place. Erasing a value leaves the chain whole; events written
before the switch (format 1) hash exactly as they did, and both verify as one chain."""
from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
import sqlalchemy as sa

from panel.audit.anchors import chain_heads
from panel.audit.chain import canonical_json
from panel.audit.kit import Scope, trail_csv
from panel.audit.models import AuditEvent, AuditPersonal
from panel.audit.personal import (
    ALTERED,
    ERASED,
    PERSONAL_KEYS,
    commitment,
    is_personal,
    opened,
)
from panel.audit.services import record
from panel.audit.verify_trail import Broken, check_trail
from panel.auditor.queries import verify_chain
from panel.auditor.trail import TrailFilters, csv_chunks, trail_page
from panel.extensions import db
from tests.builders import people
from tests.builders.trail import drop_triggers, write_format_1_event, writing_format

ADA, OFFICER = "ada@example.org", "officer@example.org"


def _personal(event_id: int) -> dict[str, AuditPersonal]:
    rows = db.session.scalars(sa.select(AuditPersonal).where(AuditPersonal.event_id == event_id))
    return {row.path: row for row in rows}


def _kit_rows() -> list[dict]:
    """The whole trail as a kit's trail.csv: the legacy chain and every chain to its head."""
    last = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    heads = chain_heads()
    legacy = heads.pop(None, None)
    scope = Scope(1, last, legacy[0] if legacy else None,
                  {chain: position for chain, (position, _) in heads.items()})
    return list(csv.DictReader(io.StringIO("".join(trail_csv(scope)))))


# Which values are personal ------------------------------------------------------------------

def test_the_personal_keys_are_written_down_in_one_place():
    assert sorted(PERSONAL_KEYS) == sorted([
        "email", "name", "user", "member", "assisted_for", "emails", "reviewers", "added",
        "removed", "kept", "person", "affiliations", "applicant_name", "organisation",
        "contact_email", "lay_summary", "comment", "details", "reason", "review_reason",
        "rationale", "over_budget_reason", "help_contact",
        # Welsh content (issue 21): a lay summary in Welsh may name someone too.
        "lay_summary_cy",
        # Paying panellists for their time (docs/payments.md).
        "minutes", "measured_minutes", "note", "pay", "declined"])


@pytest.mark.parametrize(("key", "action", "extra", "personal"), [
    ("email", "user.created", (), True),
    ("name", "user.created", (), True),             # a person's name
    ("name", "criterion.added", (), False),         # a criterion's name
    ("member", "conflict.declared", (), True),
    ("rationale", "decision.recorded", (), True),
    ("lead_contact_phone", "application.added", ("lead_contact_phone",), True),
    ("lead_contact_phone", "application.added", (), False),
    ("title", "application.added", (), False),
    ("outcome", "decision.recorded", (), False),
])
def test_a_key_is_personal_by_the_list(key, action, extra, personal):
    assert is_personal(key, action, extra) is personal


def test_a_commitment_is_sha256_of_the_salt_then_the_canonical_value():
    # Worked once by hand: sha256("00" * 16 + '"ada@example.org"').
    assert commitment("00" * 16, '"ada@example.org"') == (
        "565adb549d90d2e72a1cc4c31ef12513b341b1f29aab70127791f901e24852f2")


# How an event is written --------------------------------------------------------------------

def test_personal_values_are_sealed_and_the_hash_holds_only_their_commitments(app):
    officer = people.staff(OFFICER, "officer")
    event = record("conflict.added", actor=officer, target=officer, after={
        "member": ADA, "kind": "local", "details": "Café on the corner", "emails": [ADA, "b@x.org"],
        "filters": {"person": "ada", "round": "r1"}, "comment": "", "reason": None})
    db.session.commit()
    stored = _personal(event.id)
    assert sorted(stored) == ['["after","details"]', '["after","emails"]',
                              '["after","filters","person"]', '["after","member"]']
    member = stored['["after","member"]']
    assert member.value == '"ada@example.org"' and len(member.salt) == 32
    assert stored['["after","emails"]'].value == '["ada@example.org","b@x.org"]'  # one value
    assert stored['["after","details"]'].value == '"Café on the corner"'

    def seal(path):
        row = stored[path]
        return {"sealed": hashlib.sha256((row.salt + row.value).encode()).hexdigest()}

    # Empty values have nothing to hide: they stay as they are.
    assert event.after == {
        "member": seal('["after","member"]'), "kind": "local",
        "details": seal('["after","details"]'), "emails": seal('["after","emails"]'),
        "filters": {"person": seal('["after","filters","person"]'), "round": "r1"},
        "comment": "", "reason": None}
    canonical = canonical_json(event.content())
    assert '"actor":"person"' in canonical and f'"actor_id":{officer.id}' in canonical
    assert '"v":4' in canonical
    for secret in ("@", "Café", '"ada"'):  # (a commitment is hex: "ada" may be in one)
        assert secret not in canonical
    assert verify_chain().ok


def test_readers_get_the_values_back(app):
    officer = people.staff(OFFICER, "officer")
    event = record("conflict.added", actor=officer, target=officer,
                   after={"member": ADA, "kind": "local"})
    system = record("user.created", system="tests", after={"email": ADA, "name": "Ada"})
    db.session.commit()
    assert opened(event).who == OFFICER
    assert opened(event).after == {"member": ADA, "kind": "local"}
    assert (opened(system).who, opened(system).after) == ("system: tests",
                                                          {"email": ADA, "name": "Ada"})


# Erasing, and what the database lets through -----------------------------------------------

def test_erasing_a_value_leaves_the_chain_whole_and_reads_erased(app, runner, client):
    officer = people.staff(OFFICER, "officer")
    people.staff("auditor@example.org", "auditor", name="Hannah Price")
    event = record("conflict.added", actor=officer, target=officer,
                   after={"member": ADA, "details": "ERASE-ME note", "kind": "local"})
    db.session.commit()
    # No trigger guards audit_personal: erasing is deleting the rows.
    db.session.execute(sa.delete(AuditPersonal).where(AuditPersonal.event_id == event.id,
                                                      AuditPersonal.path == '["after","details"]'))
    db.session.commit()

    assert verify_chain().ok
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert opened(event).after == {"member": ADA, "details": ERASED, "kind": "local"}
    people.sign_in_staff(client, "auditor@example.org")
    page = client.get("/audit/trail").get_data(as_text=True)
    assert "<dt>details</dt>\n  <dd>erased</dd>" in page
    assert "ERASE-ME" not in page
    exported = "".join(csv_chunks(TrailFilters(), event.id))
    row = next(r for r in csv.reader(io.StringIO(exported)) if r[0] == str(event.id))
    assert (row[2], json.loads(row[8])) == (OFFICER, {"member": ADA, "details": ERASED,
                                                      "kind": "local"})
    assert "ERASE-ME" not in exported


def test_a_value_changed_in_the_personal_table_no_longer_matches_its_seal(app):
    officer = people.staff(OFFICER, "officer")
    event = record("decision.recorded", actor=officer, target=officer,
                   after={"outcome": "fund", "rationale": "Reaches people"})
    db.session.commit()
    db.session.execute(sa.update(AuditPersonal).where(AuditPersonal.event_id == event.id)
                       .values(value='"Nobody wanted it"'))
    db.session.commit()
    assert opened(event).after == {"outcome": "fund", "rationale": ALTERED}
    assert verify_chain().ok  # the chain never held the value: only its commitment


# Both formats in one chain ----------------------------------------------------------------

@pytest.fixture
def mixed(app):
    """Two events written as FairPanel wrote them before personal values were sealed
    (format 1), one as it wrote them before events were digested (format 2), one as it
    wrote them before each round had its own chain (format 3), all in the legacy chain,
    then one as it writes them now (format 4, the site chain)."""
    with writing_format(3):
        officer_row = people.staff(OFFICER, "officer")  # its own events are format 3…
    before = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    old_1 = write_format_1_event("conflict.added", actor=officer_row, object_type="users",
                                 object_id=str(officer_row.id),
                                 after={"member": ADA, "details": "Old note"})
    old_2 = write_format_1_event("user.signed_in", actor=officer_row, object_type="users",
                                 object_id=str(officer_row.id), after={"method": "password"})
    with writing_format(2):
        new_1 = record("conflict.added", actor=officer_row, target=officer_row,
                       after={"member": ADA, "details": "New note"})
    with writing_format(3):
        new_2 = record("user.signed_in", actor=officer_row, target=officer_row,
                       after={"method": "password"})
    db.session.commit()
    newest = record("conflict.added", actor=officer_row, target=officer_row,
                    after={"member": ADA, "details": "Newest note"})
    db.session.commit()
    assert [old_1.id, old_2.id, new_1.id, new_2.id, newest.id] == [
        before + 1, before + 2, before + 3, before + 4, before + 5]
    assert [e.format for e in (old_1, old_2, new_1, new_2, newest)] == [1, 1, 2, 3, 4]
    assert (newest.chain, newest.seq) == (0, 1)
    return old_1, old_2, new_1, new_2, newest


def test_a_format_1_event_hashes_the_same_text_as_before_the_switch(mixed):
    old, _, new, _, _ = mixed
    assert old.format == 1 and new.format == 2
    # Hand-written: the canonical JSON of format 1, keys sorted, no "v".
    expected = (
        '{"action":"conflict.added","actor":"officer@example.org",'
        f'"actor_id":{old.actor_id},"after":{{"details":"Old note","member":"ada@example.org"}},'
        f'"before":null,"id":{old.id},"object_id":"{old.object_id}","object_type":"users",'
        f'"occurred_at":"{old.occurred_at.isoformat(timespec="microseconds")}Z",'
        '"round_id":null}')
    assert canonical_json(old.canonical()) == expected
    assert old.hash == hashlib.sha256((old.prev_hash + expected).encode()).hexdigest()
    assert opened(old).who == OFFICER and opened(old).after["member"] == ADA


def test_both_formats_verify_as_one_chain_here_and_in_the_kit(mixed, runner):
    assert verify_chain().ok
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    rows = _kit_rows()
    checked = check_trail(rows)
    assert checked.hashes[mixed[-1].id] == mixed[-1].hash
    by_id = {int(r["id"]): r for r in rows}
    old, _, new, _, newest = mixed
    assert by_id[old.id]["v"] == "" and "ada@example.org" in by_id[old.id]["after"]
    assert by_id[new.id]["v"] == "2" and by_id[new.id]["actor"] == "person"
    assert "New note" not in by_id[new.id]["after"] and "@" not in by_id[new.id]["after"]
    assert by_id[new.id]["salt"] == by_id[new.id]["digest"] == ""
    assert by_id[mixed[3].id]["v"] == "3" and by_id[mixed[3].id]["seq"] == ""
    assert by_id[newest.id]["v"] == "4" and len(by_id[newest.id]["salt"]) == 32
    assert by_id[newest.id]["seq"] == "1"
    assert by_id[newest.id]["digest"] == newest.digest()
    assert "Newest note" not in by_id[newest.id]["after"]


@pytest.mark.parametrize("which", ["format 1 value", "format 2 commitment", "format 2 marker",
                                   "format 3 value", "format 4 value", "format 4 salt",
                                   "format 4 position"])
def test_an_edit_breaks_the_chain_at_that_event(mixed, which):
    old, _, new, digested, newest = mixed
    drop_triggers()
    if which == "format 1 value":
        bad, statement, values = old.id, "UPDATE audit_events SET after = :v WHERE id = :id", {
            "v": json.dumps({"member": "someone@example.org", "details": "Old note"})}
    elif which == "format 2 commitment":
        sealed = dict(new.after)
        sealed["details"] = {"sealed": "0" * 64}
        bad, statement, values = new.id, "UPDATE audit_events SET after = :v WHERE id = :id", {
            "v": json.dumps(sealed)}
    elif which == "format 2 marker":
        bad, statement, values = new.id, "UPDATE audit_events SET format = 1 WHERE id = :id", {}
    elif which == "format 3 value":
        bad, statement, values = digested.id, "UPDATE audit_events SET action = :v WHERE id = :id", {
            "v": "nothing.happened"}
    elif which == "format 4 value":
        bad, statement, values = newest.id, "UPDATE audit_events SET action = :v WHERE id = :id", {
            "v": "nothing.happened"}
    elif which == "format 4 position":
        bad, statement, values = newest.id, "UPDATE audit_events SET seq = 2 WHERE id = :id", {}
    else:
        bad, statement, values = newest.id, "UPDATE audit_events SET salt = :v WHERE id = :id", {
            "v": "0" * 32}
    db.session.execute(sa.text(statement), {**values, "id": bad})
    db.session.commit()
    db.session.expire_all()
    report = verify_chain()
    assert (report.ok, report.bad_event_id) == (False, bad)
    assert ("missing" if which == "format 4 position" else "altered") in report.problem
    with pytest.raises(Broken, match=f"event {bad} "):
        check_trail(_kit_rows())


def test_search_by_email_finds_a_person_in_both_formats(mixed):
    old, old_2, new, new_2, _ = mixed
    found = {e.id for e in trail_page(TrailFilters(person="officer@"), 1, 100).items}
    assert {old.id, old_2.id, new.id, new_2.id} <= found
    # "person" is the hashed actor of every format-2 event: it is not anyone's e-mail.
    assert trail_page(TrailFilters(person="person"), 1, 100).total == 0
    shown = {e.id: e for e in trail_page(TrailFilters(), 1, 100).items}
    assert (shown[new.id].actor, shown[old.id].actor) == (OFFICER, OFFICER)
    assert shown[new.id].after == {"member": ADA, "details": "New note"}
