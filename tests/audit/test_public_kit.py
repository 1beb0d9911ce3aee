"""The public checking kit (panel/audit/kit.py, build_public_kit): once a round is
published anyone may download it from the summary, without signing in. It shows in full
the round's records behind the published result (rubric, phases, decisions) and seals
every other record to its envelope (trail format 3, docs/trail.md); the standalone
checker still proves the chain from the round's first record to the anchor, and catches
an edited decision, an edited sealed record, and a public record hidden as sealed."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from panel.accounts.services import find_user
from panel.audit.anchors import round_anchor
from panel.audit.kit import public_kit_problem
from panel.audit.models import PUBLIC_ACTIONS, AuditEvent
from panel.demo.seed import BUNDLE
from panel.extensions import db
from panel.rounds import services as round_services
from tests.builders.demo import (
    DEMO_SLUG,
    DO_NOT_FUND_RATIONALE,
    FUND_RATIONALE,
    OFFICER,
    personal_details,
)
from tests.builders.trail import OFFICER as TRAIL_OFFICER
from tests.builders.trail import (
    SLUG,
    build_audited_round,
    drop_triggers,
    forge,
    writing_format,
)
from tests.support.commands import kit_rows, run_verifier, write_kit_rows

KIT = f"/rounds/{DEMO_SLUG}/report/summary/checking-kit.zip"


@pytest.fixture
def published(demo_decided):
    round_services.change_phase(find_user(OFFICER), demo_decided, "published")
    db.session.commit()
    return demo_decided


@pytest.fixture
def kit(published, client, tmp_path) -> Path:
    response = client.get(KIT)  # nobody signed in
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{DEMO_SLUG}-checking-kit.zip"')
    folder = tmp_path / "kit"
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(folder)
    return folder




def _round_events(round_) -> list[AuditEvent]:
    anchor = round_anchor(round_)
    return db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.round_id == round_.id, AuditEvent.id <= anchor.event_id)
        .order_by(AuditEvent.id)).all()


def test_anyone_can_check_the_published_trail(kit, published):
    anchor = round_anchor(published)
    events = _round_events(published)
    public = [e for e in events if e.action in PUBLIC_ACTIONS]
    assert {e.action for e in public} >= {"round.created", "round.phase_changed",
                                          "decision.recorded"}
    result = run_verifier(kit)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = kit_rows(kit)
    assert result.stdout.startswith(
        f"The trail holds: {len(rows)} events from event {events[0].id} ")
    assert (f"anchor of {DEMO_SLUG} at event {anchor.event_id} ({anchor.event_hash}) matches "
            f"({len(events)} events of the round: {len(public)} shown in full, "
            f"{len(events) - len(public)} sealed)") in result.stdout
    # Trail format 4: the round's own chain, from its first event to the anchor, and
    # nothing of other rounds or accounts.
    assert [int(r["id"]) for r in rows] == [e.id for e in events]
    assert [int(r["seq"]) for r in rows] == list(range(1, len(events) + 1))


def test_only_the_records_behind_the_result_are_shown(kit, published):
    rows = kit_rows(kit)
    shown = [r for r in rows if r["salt"]]
    assert shown and all(r["action"] in PUBLIC_ACTIONS and r["round_id"] == str(published.id)
                         for r in shown)
    for row in rows:
        if not row["salt"]:  # sealed: only its place in the chain
            assert [row[c] for c in ("occurred_at", "actor_id", "actor", "action",
                                     "object_type", "object_id", "before", "after")] == [""] * 8
            assert len(row["digest"]) == 64
    created = json.loads(next(r["after"] for r in shown if r["action"] == "round.created"))
    assert created["criteria"] and created["budget"]  # the rubric and the money
    decisions = [json.loads(r["after"]) for r in shown if r["action"] == "decision.recorded"]
    assert decisions and all(set(d) == {"application", "outcome", "rationale"} for d in decisions)
    assert all(set(d["rationale"]) == {"sealed"} for d in decisions if d["rationale"])
    text = "\n".join(p.read_text(encoding="utf-8") for p in kit.iterdir())
    titles = list(pd.read_csv(BUNDLE / "applications.csv", dtype=str)["title"])
    for secret in [*personal_details(), *titles, FUND_RATIONALE, DO_NOT_FUND_RATIONALE]:
        assert secret not in text, secret
    assert '"score' not in (kit / "trail.csv").read_text(encoding="utf-8")


def test_an_edited_decision_is_caught(kit):
    rows = kit_rows(kit)
    target = next(r for r in rows if r["action"] == "decision.recorded"
                  and '"outcome": "fund"' in r["after"])
    target["after"] = target["after"].replace('"outcome": "fund"', '"outcome": "do_not_fund"')
    write_kit_rows(kit, rows)
    result = run_verifier(kit)
    assert result.returncode == 1
    assert f"event {target['id']} (decision.recorded): its contents do not match its digest" \
        in result.stdout


def test_a_decision_hidden_as_sealed_is_caught(kit):
    rows = kit_rows(kit)
    target = next(r for r in rows if r["action"] == "decision.recorded")
    for column in ("occurred_at", "actor_id", "actor", "action", "object_type", "object_id",
                   "before", "after", "salt"):
        target[column] = ""
    write_kit_rows(kit, rows)
    result = run_verifier(kit)
    assert result.returncode == 1
    assert f"event {target['id']}: it is one of the records behind the round's published " \
           "result, but the kit keeps it sealed" in result.stdout


def test_an_edited_sealed_record_is_caught(kit):
    rows = kit_rows(kit)
    target = next(r for r in rows[1:] if not r["salt"])
    target["digest"] = "0" * 64
    write_kit_rows(kit, rows)
    result = run_verifier(kit)
    assert result.returncode == 1
    assert f"event {target['id']} (sealed): its contents do not match its hash" in result.stdout


def test_the_summary_offers_the_kit_to_anyone(published, client):
    html = client.get(f"/rounds/{DEMO_SLUG}/report/summary").get_data(as_text=True)
    assert "Download the checking kit (.zip)" in html
    assert "python3 verify_trail.py" in html
    assert "auditor's verification kit" not in html


def test_no_public_kit_before_publication(demo_decided, client):
    assert client.get(KIT).status_code == 404


def test_a_round_decided_before_the_trail_sealed_other_rounds_has_no_public_kit(app, client):
    """Events of format 2 hash the event itself, so another round's scores cannot be
    sealed out of a public copy: such a round's kit stays with auditors, and says why."""
    with writing_format(2):
        round_ = build_audited_round()
    round_services.change_phase(find_user(TRAIL_OFFICER), round_, "published")
    db.session.commit()
    assert "kept for auditors" in public_kit_problem(round_)
    assert client.get(f"/rounds/{SLUG}/report/summary/checking-kit.zip").status_code == 404
    html = client.get(f"/rounds/{SLUG}/report/summary").get_data(as_text=True)
    assert "its kit is kept for auditors" in html
    assert "Download the checking kit" not in html


# A round under way when FairPanel moved to one chain per round (trail format 4) ------------

@pytest.fixture
def straddling(app, client, tmp_path):
    """The audited round set up before migration 0015 (format 3, the legacy chain) and
    scored, decided and published after it (format 4, its own chain); its public kit."""
    round_ = build_audited_round(set_up_in_format=3)
    round_services.change_phase(find_user(TRAIL_OFFICER), round_, "published")
    db.session.commit()
    response = client.get(f"/rounds/{SLUG}/report/summary/checking-kit.zip")
    assert response.status_code == 200
    folder = tmp_path / "kit"
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(folder)
    return round_, folder


def test_a_round_across_the_seam_has_a_public_kit_of_both_chains(straddling):
    round_, kit = straddling
    anchor = round_anchor(round_)
    anchored = db.session.get(AuditEvent, anchor.event_id)
    legacy_head = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.chain.is_(None))
                                     .order_by(AuditEvent.id.desc()).limit(1)).one()
    assert anchored.after["heads"]["legacy"] == [legacy_head.id, legacy_head.hash]
    rows = kit_rows(kit)
    legacy = [r for r in rows if r["v"] == "3"]
    chained = [r for r in rows if r["v"] == "4"]
    assert rows == legacy + chained  # the legacy stretch first, then the round's chain
    first = db.session.scalar(sa.select(sa.func.min(AuditEvent.id))
                              .where(AuditEvent.round_id == round_.id))
    assert [int(r["id"]) for r in legacy] == list(range(first, legacy_head.id + 1))
    assert {r["round_id"] for r in chained} == {str(round_.id)}
    assert [int(r["seq"]) for r in chained] == list(range(1, len(chained) + 1))
    shown = {r["action"] for r in rows if r["salt"]}
    assert {"round.created", "round.phase_changed", "decision.recorded",
            "audit.anchored"} <= shown
    result = run_verifier(kit)
    assert result.returncode == 0, result.stdout
    assert (f"anchor of {SLUG} at event {anchor.event_id} ({anchor.event_hash}) matches"
            in result.stdout)


def test_a_kit_whose_legacy_stretch_stops_short_of_the_anchored_head_is_refused(straddling):
    _, kit = straddling
    rows = kit_rows(kit)
    last_legacy = max(i for i, r in enumerate(rows) if r["v"] == "3")
    del rows[last_legacy]
    write_kit_rows(kit, rows)
    result = run_verifier(kit)
    assert result.returncode == 1
    assert "the legacy chain does not end at the head the anchor lists" in result.stdout


def test_an_edited_legacy_event_across_the_seam_is_caught(straddling, runner):
    """A forger rewrites an event of the round written before the migration, and every
    hash after it in the legacy chain: the legacy chain agrees with itself, but the
    anchor, taken after the migration, listed its head."""
    round_, _ = straddling
    created = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.round_id == round_.id, AuditEvent.action == "round.created"))
    drop_triggers()
    forge(created, after={**created.after, "budget": "1000000"})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "Audit chain intact" in result.output
    assert f"Anchor of {SLUG} broken: position" in result.output
    assert "of the legacy chain now has hash" in result.output
