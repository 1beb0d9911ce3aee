"""The verification kit (panel/audit/kit.py): a .zip with a standalone checker that an
independent auditor runs without FairPanel. Downloaded over HTTP from a decided and
published round, unzipped, and run with the bare interpreter in isolated mode from its
own folder: it holds on the real export, and names the event when a value is edited or a
row removed."""
from __future__ import annotations

import ast
import io
import json
import sys
import zipfile
from pathlib import Path

import pytest

from panel.accounts.services import find_user
from panel.audit.anchors import round_anchor
from panel.extensions import db
from panel.rounds import services as round_services
from tests.builders import people
from tests.builders.demo import (
    DEMO_SLUG,
    DO_NOT_FUND_RATIONALE,
    FUND_RATIONALE,
    NO_CONSENSUS_RATIONALE,
    OFFICER,
    personal_details,
)
from tests.support.commands import kit_rows, run_verifier, write_kit_rows

KIT = f"/rounds/{DEMO_SLUG}/report/verification-kit.zip"
AUDITOR = "auditor@fairpanel.example"


@pytest.fixture
def kit(demo_decided, client, tmp_path) -> Path:
    round_services.change_phase(find_user(OFFICER), demo_decided, "published")
    db.session.commit()
    people.sign_in_staff(client, AUDITOR)
    response = client.get(KIT)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{DEMO_SLUG}-verification-kit.zip"')
    folder = tmp_path / "kit"
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(folder)
    return folder




def test_the_kit_holds_on_a_real_export(kit, demo_decided):
    anchor = round_anchor(demo_decided)
    assert sorted(p.name for p in kit.iterdir()) == [
        "README.txt", "anchors.csv", "trail.csv", "verify_trail.py"]
    result = run_verifier(kit)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"The trail holds: {anchor.event_id} events, ")
    assert f"anchor of {DEMO_SLUG} at event {anchor.event_id} ({anchor.event_hash}) matches" \
        in result.stdout


def test_the_trail_runs_from_the_first_event_to_the_anchor(kit, demo_decided):
    rows = kit_rows(kit)
    assert [int(r["id"]) for r in rows] == list(range(1, round_anchor(demo_decided).event_id + 1))


def test_an_edited_value_is_caught_and_named(kit):
    rows = kit_rows(kit)
    target = next(r for r in rows if r["action"] == "decision.recorded")
    target["after"] = target["after"].replace('"fund"', '"do_not_fund"', 1) \
        if '"fund"' in target["after"] else target["after"].replace("}", ',"x":1}', 1)
    write_kit_rows(kit, rows)
    result = run_verifier(kit)
    assert result.returncode == 1
    assert f"event {target['id']} (decision.recorded)" in result.stdout
    assert "altered" in result.stdout


def test_an_edit_with_its_hash_recomputed_breaks_the_next_event(kit):
    import hashlib
    sys.path.insert(0, str(kit))
    try:
        from verify_trail import canonical_json, digest_of, hashed_of, payload_of
    finally:
        sys.path.remove(str(kit))
    rows = kit_rows(kit)
    target = rows[10]
    target["action"] = "nothing.happened"
    # Everything of the row recomputed: its digest and its hash.
    target["digest"] = digest_of(target["salt"], payload_of(target))
    target["hash"] = hashlib.sha256(
        (target["prev_hash"] + canonical_json(hashed_of(target)[0])).encode()).hexdigest()
    write_kit_rows(kit, rows)
    result = run_verifier(kit)
    assert result.returncode == 1
    assert f"event {rows[11]['id']} " in result.stdout
    assert "previous hash" in result.stdout


@pytest.mark.parametrize("which", ["middle", "last"])
def test_a_removed_row_is_caught(kit, which):
    rows = kit_rows(kit)
    removed = rows.pop(len(rows) // 2 if which == "middle" else -1)
    write_kit_rows(kit, rows)
    result = run_verifier(kit)
    assert result.returncode == 1
    if which == "middle":  # format 4: the checker names the place in its chain
        chain = f"round {removed['round_id']}" if removed["round_id"] else "site"
        assert f"expected position {removed['seq']} of the {chain} chain here" in result.stdout
    else:  # the anchor itself
        assert f"event {removed['id']}" in result.stdout


def test_the_checker_uses_the_standard_library_only():
    from panel.audit import verify_trail
    tree = ast.parse(Path(verify_trail.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}


def test_the_kit_is_for_auditors_and_only_once_decided(demo_decided, client, mailbox):
    round_services.change_phase(find_user(OFFICER), demo_decided, "published")
    db.session.commit()
    assert client.get(KIT).status_code == 302  # not signed in: the sign-in page
    people.sign_in_staff(client, OFFICER)
    assert client.get(KIT).status_code == 403


def test_the_summary_offers_the_kit_to_auditors(demo_decided, client):
    people.sign_in_staff(client, AUDITOR)
    html = client.get(f"/rounds/{DEMO_SLUG}/report/summary").get_data(as_text=True)
    assert "Download the auditor's verification kit" in html


def test_the_kit_of_a_round_written_in_format_4_holds_no_personal_data(kit):
    """DESIGN.md §7: the hashed part of an event names people by a pseudonymous id. Every
    event of this trail is of format 4 (docs/trail.md), so no file of the kit holds an
    e-mail address, a panellist's or applicant's name, an identifying field, a comment,
    a connection note or a rationale; the trail still holds."""
    texts = {path.name: path.read_text(encoding="utf-8") for path in kit.iterdir()}
    assert {r["v"] for r in kit_rows(kit)} == {"4"}
    for name, text in texts.items():
        # The checker itself is FairPanel's code (its "@" starts a spreadsheet formula).
        assert "@" not in text or name == "verify_trail.py", name
        for secret in [*personal_details(), FUND_RATIONALE, DO_NOT_FUND_RATIONALE,
                       NO_CONSENSUS_RATIONALE]:
            assert secret not in text, (name, secret)
    assert {r["actor"] for r in kit_rows(kit) if not r["actor"].startswith("system: ")} == {
        "person"}
    assert run_verifier(kit).returncode == 0


def test_an_edited_commitment_in_the_kit_is_caught_and_named(kit):
    rows = kit_rows(kit)
    target = next(r for r in rows if r["action"] == "conflict.declared")
    sealed = json.loads(target["after"])["details"]["sealed"]
    target["after"] = target["after"].replace(sealed, "0" * 64)
    write_kit_rows(kit, rows)
    result = run_verifier(kit)
    assert result.returncode == 1
    assert f"event {target['id']} (conflict.declared)" in result.stdout
    assert "altered" in result.stdout
