"""Importing round bundles (DESIGN.md §8): a good bundle becomes a draft round with
everything in it on the audit trail; folders, .zip files and Excel tables all work."""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from panel.auditor.queries import verify_chain
from panel.bundle import import_bundle
from panel.conflicts.models import Conflict
from panel.demo.seed import BUNDLE
from panel.extensions import db
from panel.models import AuditEvent, Decision, PanelMember, ScoreSheet, User
from panel.rounds.queries import round_by_slug
from tests.builders.bundles import (
    CONFLICTS,
    DECISIONS,
    SCORES,
    SLUG,
    demo_bundle,
    edit,
    problems_of,
    row_counts,
    where,
)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _table_event(action: str) -> dict:
    return db.session.scalars(sa.select(AuditEvent.after).where(
        AuditEvent.action == action)).one()



def test_the_demo_bundle_becomes_a_draft_round_with_everything_audited(app):
    import_bundle(None, BUNDLE, system="tests")
    db.session.commit()
    round_ = round_by_slug(SLUG)
    assert round_.phase == "draft"
    assert round_.title == "Community assets and health inequalities 2026"
    assert (round_.scale_min, round_.scale_max, round_.budget) == (1, 5, 400000)
    assert [(c.key, c.weight) for c in round_.criteria] == [
        ("benefit", 4), ("community", 3), ("delivery", 2), ("value", 1)]
    assert len(round_.applications) == 22
    first = round_.applications[0]
    assert (first.reference, first.requested_amount, first.organisation) == (
        "CA-001", 34500, "Northfield Growers CIC")
    assert first.extra == {"area": "an estate in the north of a city",
                           "lead_contact_phone": "07700 900101"}
    dave = next(m for m in round_.members if m.user.email == "dave@panel.example")
    assert (dave.group.key, dave.role, dave.affiliations) == (
        "lived_experience", "panellist", ["eastgate food club", "Carers Together Network"])
    chair = next(m for m in round_.members if m.role == "chair")
    assert chair.user.name == "Ruth Adeyemi"
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[0] == "round.created" and actions[-1] == "round.imported"
    # One event per table, one per new account (docs/bundles.md, "On the audit trail").
    assert actions[:3] == ["round.created", "applications.imported", "user.created"]
    assert actions.count("user.created") == 9
    assert actions[11] == "members.imported"  # after the 9 accounts
    assert "application.added" not in actions and "member.added" not in actions
    tables = {e.action: e.after for e in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action.in_(["applications.imported", "members.imported"])))}
    assert tables["applications.imported"]["count"] == 22
    assert tables["members.imported"]["count"] == 9
    summary = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "round.imported")).one()
    assert summary.round_id == round_.id and summary.actor == "system: tests"
    assert summary.after == {"files": ["applications.csv", "panellists.csv", "round.json"],
                             "applications": 22, "panellists": 9, "conflicts": 0,
                             "sheets": 0, "decisions": 0}
    assert verify_chain().ok


def test_conflicts_scores_and_decisions_are_stored_as_the_file_says(app, tmp_path):
    folder = demo_bundle(tmp_path, conflicts=CONFLICTS, scores=SCORES, decisions=DECISIONS)
    round_ = import_bundle(None, folder, system="tests")
    db.session.commit()

    conflicts = db.session.scalars(sa.select(Conflict).order_by(Conflict.id)).all()
    assert [(c.member.user.email, c.application.reference, c.kind, c.level, c.source, c.status)
            for c in conflicts] == [
        ("amira@panel.example", "CA-004", "uses_services", "declared", "imported", "confirmed"),
        ("dave@panel.example", "CA-004", "work_or_volunteer", "step_out", "imported", "confirmed"),
        # Import then matches connections: Dr Mensah's "brightwork arts" is close to
        # CA-003's organisation (Dave's match on CA-004 is already a conflict).
        ("dr.mensah@panel.example", "CA-003", "other", "step_out", "suggested", "pending"),
    ]
    sheets = db.session.scalars(sa.select(ScoreSheet).order_by(ScoreSheet.id)).all()
    assert [(s.member.user.email, s.stage, s.revision, s.status, s.comment) for s in sheets] == [
        ("amira@panel.example", "initial", 0, "submitted", "Lovely idea"),
        ("amira@panel.example", "revised", 1, "submitted", "Changed my mind"),
        ("amira@panel.example", "revised", 2, "submitted", ""),
        ("prof.okafor@panel.example", "initial", 0, "submitted", ""),
    ]
    assert all(s.submitted_at is not None for s in sheets)
    values = {score.criterion.key: score.value for score in sheets[0].scores}
    assert values == {"benefit": 4, "community": 5, "delivery": 3, "value": None}
    decisions = db.session.scalars(sa.select(Decision).order_by(Decision.id)).all()
    assert [(d.application.reference, d.outcome, d.rationale) for d in decisions] == [
        ("CA-001", "fund", "The panel agreed the estate needs it most"),
        ("CA-002", "no_consensus", "")]
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-6:] == ["members.imported", "conflicts.imported", "sheets.imported",
                            "decisions.imported", "conflict.suggested", "round.imported"]
    # Each table's event carries the SHA-256 of its rows as checked, written out by hand
    # here in the canonical form of docs/bundles.md.
    assert _table_event("conflicts.imported") == {"count": 2, "sha256": _sha256(
        '[{"details":"I go to the food club","email":"amira@panel.example",'
        '"kind":"uses_services","level":"declared","reference":"CA-004"},'
        '{"details":"I volunteer there","email":"dave@panel.example",'
        '"kind":"work_or_volunteer","level":"step_out","reference":"CA-004"}]')}
    assert _table_event("sheets.imported") == {"count": 4, "sha256": _sha256(
        '[{"comment":"Lovely idea","email":"amira@panel.example","reason":"",'
        '"reference":"CA-001","revision":0,"stage":"initial",'
        '"values":{"benefit":4,"community":5,"delivery":3,"value":null}},'
        '{"comment":"Changed my mind","email":"amira@panel.example","reason":"",'
        '"reference":"CA-001","revision":1,"stage":"revised",'
        '"values":{"benefit":5,"community":5,"delivery":3,"value":2}},'
        '{"comment":"","email":"amira@panel.example","reason":"",'
        '"reference":"CA-001","revision":2,"stage":"revised",'
        '"values":{"benefit":5,"community":5,"delivery":4,"value":2}},'
        '{"comment":"","email":"prof.okafor@panel.example","reason":"",'
        '"reference":"CA-001","revision":0,"stage":"initial",'
        '"values":{"benefit":2,"community":3,"delivery":4,"value":4}}]')}
    assert _table_event("decisions.imported") == {"count": 2, "sha256": _sha256(
        '[{"outcome":"fund","rationale":"The panel agreed the estate needs it most",'
        '"reference":"CA-001"},{"outcome":"no_consensus","rationale":"","reference":"CA-002"}]')}
    summary = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "round.imported")).one()
    assert (summary.after["conflicts"], summary.after["sheets"], summary.after["decisions"]) == (
        2, 4, 2)
    assert round_.phase == "draft" and verify_chain().ok


def test_applications_may_be_an_excel_workbook(app, tmp_path):
    folder = demo_bundle(tmp_path)
    table = pd.read_csv(folder / "applications.csv", dtype=str, keep_default_na=False)
    table.loc[0, "requested_amount"] = "£34,500"
    (folder / "applications.csv").unlink()
    table.to_excel(folder / "applications.xlsx", index=False)
    round_ = import_bundle(None, folder, system="tests")
    assert len(round_.applications) == 22
    assert round_.applications[0].requested_amount == 34500
    assert round_.applications[0].extra["lead_contact_phone"] == "07700 900101"


def test_problems_in_an_excel_workbook_name_its_spreadsheet_row(app, tmp_path):
    folder = demo_bundle(tmp_path)
    table = pd.read_csv(folder / "applications.csv", dtype=str, keep_default_na=False)
    table.loc[4, "requested_amount"] = "about 50k"  # the 5th application: spreadsheet row 6
    (folder / "applications.csv").unlink()
    table.to_excel(folder / "applications.xlsx", index=False)
    problems = problems_of(folder)
    assert where(problems) == [("applications.xlsx", 6, "requested_amount")]


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _demo_files(prefix: str = "") -> dict[str, bytes]:
    return {f"{prefix}{p.name}": p.read_bytes() for p in sorted(BUNDLE.iterdir())}


def test_a_zip_with_the_files_at_its_root(app, tmp_path):
    path = _zip(tmp_path / "round.zip", _demo_files())
    assert len(import_bundle(None, path, system="tests").applications) == 22


def test_a_zip_of_the_bundle_folder(app, tmp_path):
    files = {**_demo_files("community-assets/"), "__MACOSX/._round.json": b"junk",
             "community-assets/notes/readme.txt": b"ignored"}
    path = _zip(tmp_path / "round.zip", files)
    assert import_bundle(None, path, system="tests").slug == SLUG


@pytest.mark.parametrize("name", ["../round.json", "bundle/../../evil.csv", "/etc/evil.csv",
                                  "C:\\evil.csv"])
def test_a_zip_with_a_path_leading_outside_is_refused(app, tmp_path, name):
    path = _zip(tmp_path / "round.zip", {**_demo_files(), name: b"x"})
    problems = problems_of(path)
    assert where(problems) == [("round.zip", None, None)]
    assert f'holds "{name}", a path that leads outside the bundle' in problems[0].message


def test_a_zip_that_unpacks_to_over_50_mb_is_refused(app, tmp_path):
    path = _zip(tmp_path / "round.zip", {**_demo_files(), "padding.bin": bytes(51 * 2 ** 20)})
    assert path.stat().st_size < 2 ** 20  # small on disk, huge unpacked
    problems = problems_of(path)
    assert where(problems) == [("round.zip", None, None)]
    assert "too big" in problems[0].message


def test_a_damaged_zip_is_a_problem_not_a_crash(app, tmp_path):
    path = tmp_path / "round.zip"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert where(problems_of(path)) == [("round.zip", None, None)]


def test_a_path_that_does_not_exist(app, tmp_path):
    problems = problems_of(tmp_path / "nowhere")
    assert "There is no folder or .zip file here" in problems[0].message


def test_slug_can_be_replaced_to_import_a_copy(app):
    import_bundle(None, BUNDLE, system="tests")
    copy = import_bundle(None, BUNDLE, slug="community-assets-copy", system="tests")
    db.session.commit()
    assert copy.slug == "community-assets-copy"
    # Everyone already has an account: the copy adds memberships, not people.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 9
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PanelMember)) == 18


def test_invite_emails_new_panel_members_after_the_commit(app, mailbox):
    import_bundle(None, BUNDLE, invite=True, system="tests")
    assert mailbox.messages == []
    db.session.commit()
    assert len(mailbox.messages) == 9
    assert "amira@panel.example" in {m["To"] for m in mailbox.messages}


# The command line.

def test_flask_round_import_prints_the_slug_last(app, runner, mailbox):
    result = runner.invoke(args=["round", "import", str(BUNDLE)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == SLUG
    assert lines[0] == ("Imported 'Community assets and health inequalities 2026' as a draft "
                        "round: 22 applications, 9 panel members, 0 conflicts, 0 score sheets, "
                        "0 decisions.")
    assert round_by_slug(SLUG) is not None
    assert mailbox.messages == []  # no --invite


def test_flask_round_import_with_invite(app, runner, mailbox):
    result = runner.invoke(args=["round", "import", "--invite", str(BUNDLE)])
    assert result.exit_code == 0, result.output
    assert len(mailbox.messages) == 9


def test_flask_round_import_of_a_bad_bundle_lists_problems_and_changes_nothing(
        app, runner, tmp_path):
    folder = demo_bundle(tmp_path, scores="email,reference,stage,benefit,community,delivery,value\n"
                                          "nobody@panel.example,CA-001,initial,9,,,\n")
    edit(folder, "applications.csv", "34500", '"5k"')
    before = row_counts()
    result = runner.invoke(args=["round", "import", str(folder)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        'applications.csv, row 2, column requested_amount: "5k" is not a number. '
        "Write the amount in pounds, like 5000.",
        'scores.csv, row 2, column email: "nobody@panel.example" is not in panellists.csv. '
        "Check the email address, or add the person to panellists.csv.",
        "scores.csv, row 2, column benefit: 9 is outside the scale. Write a score from 1 "
        "to 5, or leave the cell empty.",
        "Nothing was imported. Fix these 3 problems and run the import again.",
    ]
    assert result.stdout == ""
    assert row_counts() == before


def test_the_real_flask_command_imports_and_exports(app, database_url, tmp_path):
    from tests.support.commands import flask

    imported = flask(database_url, "round", "import", str(BUNDLE))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines()[-1] == SLUG
    again = flask(database_url, "round", "import", str(BUNDLE))
    assert again.returncode == 1
    assert again.stderr.startswith('round.json, column slug: A round with the slug '
                                   f'"{SLUG}" already exists.')
    exported = flask(database_url, "round", "export", SLUG, str(tmp_path / "out"))
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out" / "round.json").read_bytes() == (BUNDLE / "round.json").read_bytes()


def test_flask_round_export_of_an_unknown_slug_fails(app, runner, tmp_path):
    result = runner.invoke(args=["round", "export", "no-such-round", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "There is no round with the slug 'no-such-round'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_read_table_reads_excel_bytes_like_csv(app):
    from panel.bundle import read_table

    buffer = io.BytesIO()
    pd.DataFrame({" Reference ": ["A1"], "Amount": ["12"]}).to_excel(buffer, index=False)
    table, problems = read_table(buffer.getvalue(), "upload.xlsx", label="applications.csv")
    assert problems == []
    assert list(table.columns) == ["reference", "amount"]
    assert table.loc[2].to_dict() == {"reference": "A1", "amount": "12"}
