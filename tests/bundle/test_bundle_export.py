"""Exporting a round as a bundle (DESIGN.md §8): the same format the import reads, so
export → import → export gives byte-identical files; text is safe to open in a
spreadsheet; every export is on the audit trail."""
from __future__ import annotations

import json
import zipfile

import pytest
import sqlalchemy as sa

from panel.bundle import BundleError, bundle_files, export_bundle, import_bundle
from panel.conflicts.models import Conflict
from panel.demo.seed import BUNDLE
from panel.extensions import db
from panel.models import AuditEvent, ScoreSheet
from tests.builders.bundles import CONFLICTS, DECISIONS, SCORES, demo_bundle, edit
from tests.support.web import make_app

HYPERLINK = '=HYPERLINK("http://evil.example","Click me")'


def _full_round(tmp_path):
    """The demo round with conflicts, sheets, decisions, pence and a formula in it."""
    folder = demo_bundle(tmp_path, "source", conflicts=CONFLICTS, scores=SCORES,
                         decisions=DECISIONS)
    edit(folder, "applications.csv", ",15300,", ",15300.5,")
    edit(folder, "applications.csv", '"Paint your way to feeling better"',
         '"' + HYPERLINK.replace('"', '""') + '"')
    edit(folder, "panellists.csv", '"Kerry Walsh"', '"@Kerry Walsh"')
    edit(folder, "round.json", '"budget": 400000,', '"budget": 400000.5,')
    edit(folder, "round.json", '"label": "Lived experience",\n      "weight": 1',
         '"label": "Lived experience",\n      "weight": 1.5')
    round_ = import_bundle(None, folder, system="tests")
    db.session.commit()
    return round_


def _in_a_fresh_database(databases, mailbox, tmp_path, work):
    """Run ``work()`` in an app on a second, newly migrated database."""
    url = databases.create()
    other = make_app(url, mailbox, tmp_path)
    try:
        with other.app_context():
            try:
                return work()
            finally:
                db.session.remove()
                db.engine.dispose()
    finally:
        databases.drop(url)


def test_export_import_export_gives_byte_identical_files(app, databases, mailbox, tmp_path):
    round_ = _full_round(tmp_path)
    first = export_bundle(round_, tmp_path / "first", system="tests")
    db.session.commit()
    assert [p.name for p in first] == ["round.json", "applications.csv", "panellists.csv",
                                       "conflicts.csv", "scores.csv", "decisions.csv"]

    def import_and_export_again():
        copy = import_bundle(None, tmp_path / "first", system="tests")
        db.session.commit()
        return export_bundle(copy, tmp_path / "second", system="tests")

    second = _in_a_fresh_database(databases, mailbox, tmp_path, import_and_export_again)
    assert [p.name for p in second] == [p.name for p in first]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_exported_history_files_read_as_the_round_was(app, tmp_path):
    files = bundle_files(_full_round(tmp_path))
    assert files["scores.csv"].decode() == (
        "email,reference,stage,benefit,community,delivery,value,comment\n"
        '"amira@panel.example","CA-001","initial",4,5,3,"","Lovely idea"\n'
        '"amira@panel.example","CA-001","revised",5,5,3,2,"Changed my mind"\n'
        '"amira@panel.example","CA-001","revised",5,5,4,2,""\n'
        '"prof.okafor@panel.example","CA-001","initial",2,3,4,4,""\n')
    assert files["conflicts.csv"].decode() == (
        "email,reference,kind,details,level\n"
        '"amira@panel.example","CA-004","uses_services","I go to the food club","declared"\n'
        '"dave@panel.example","CA-004","work_or_volunteer","I volunteer there","step_out"\n')
    assert files["decisions.csv"].decode() == (
        "reference,outcome,rationale\n"
        '"CA-001","fund","The panel agreed the estate needs it most"\n'
        '"CA-002","no_consensus",""\n')
    settings = json.loads(files["round.json"])
    assert settings["budget"] == 400000.5
    assert [g["weight"] for g in settings["groups"]] == [1, 1.5]
    assert b'"budget": 400000.5,' in files["round.json"]
    assert b'"weight": 1,' in files["round.json"]  # whole numbers stay whole


def test_the_demo_bundle_exports_back_to_its_own_round_json_and_applications(app):
    round_ = import_bundle(None, BUNDLE, system="tests")
    files = bundle_files(round_)
    assert files["round.json"] == (BUNDLE / "round.json").read_bytes()
    assert files["applications.csv"] == (BUNDLE / "applications.csv").read_bytes()
    assert list(files) == ["round.json", "applications.csv", "panellists.csv"]
    panel = files["panellists.csv"].decode().splitlines()
    assert panel[0] == "email,name,group,role,affiliations"
    assert panel[1] == '"amira@panel.example","Amira Hussain","lived_experience","panellist",' \
                       '"Moss Lane Tenants\' Association"'
    assert panel[3] == '"dave@panel.example","Dave Pritchard","lived_experience","panellist",' \
                       '"eastgate food club;Carers Together Network"'
    assert sorted(panel[1:]) == panel[1:]


def test_formulas_are_exported_with_an_apostrophe_and_imported_without(app, tmp_path):
    round_ = _full_round(tmp_path)
    assert round_.applications[2].title == HYPERLINK
    files = bundle_files(round_)
    assert b'"\'=HYPERLINK(""http://evil.example"",""Click me"")"' in files["applications.csv"]
    assert b'"\'@Kerry Walsh"' in files["panellists.csv"]
    (tmp_path / "exported").mkdir()
    for name, data in files.items():
        (tmp_path / "exported" / name).write_bytes(data)
    copy = import_bundle(None, tmp_path / "exported", slug="copy", system="tests")
    assert copy.applications[2].title == HYPERLINK
    kerry = next(m for m in copy.members if m.user.email == "kerry@panel.example")
    assert kerry.user.name == "@Kerry Walsh"


def test_every_export_is_audited(app, tmp_path):
    round_ = _full_round(tmp_path)
    export_bundle(round_, tmp_path / "out.zip", system="tests")
    db.session.commit()
    event = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "round.exported")).one()
    assert (event.round_id, event.actor) == (round_.id, "system: tests")
    assert event.after == {"files": ["round.json", "applications.csv", "panellists.csv",
                                     "conflicts.csv", "scores.csv", "decisions.csv"],
                           "applications": 22, "panellists": 9, "conflicts": 2, "sheets": 4,
                           "decisions": 2}


def test_a_zip_export_is_repeatable_and_imports_back(app, tmp_path):
    round_ = _full_round(tmp_path)
    one = export_bundle(round_, tmp_path / "one.zip")
    two = export_bundle(round_, tmp_path / "two.zip")
    assert one == [tmp_path / "one.zip"]
    assert one[0].read_bytes() == two[0].read_bytes()
    with zipfile.ZipFile(one[0]) as archive:
        assert archive.namelist() == ["round.json", "applications.csv", "panellists.csv",
                                      "conflicts.csv", "scores.csv", "decisions.csv"]
    copy = import_bundle(None, one[0], slug="from-zip", system="tests")
    assert len(copy.applications) == 22


def test_dismissed_conflicts_and_draft_sheets_are_not_exported(app, tmp_path):
    round_ = _full_round(tmp_path)
    db.session.scalars(sa.select(Conflict).order_by(Conflict.id)).first().status = "dismissed"
    okafor = db.session.scalars(sa.select(ScoreSheet).order_by(ScoreSheet.id.desc())).first()
    okafor.status, okafor.submitted_at = "draft", None
    db.session.commit()
    files = bundle_files(round_)
    assert b"uses_services" not in files["conflicts.csv"]
    assert b"dave@panel.example" in files["conflicts.csv"]
    assert b"prof.okafor" not in files["scores.csv"]


@pytest.mark.parametrize("existing", ["file", "folder with a file"])
def test_export_never_overwrites(app, tmp_path, existing):
    round_ = import_bundle(None, BUNDLE, system="tests")
    target = tmp_path / "out"
    if existing == "file":
        target.write_text("keep me")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("keep me")
    with pytest.raises(BundleError) as raised:
        export_bundle(round_, target)
    assert "Choose a new folder" in str(raised.value)
    (tmp_path / "taken.zip").write_text("keep me")
    with pytest.raises(BundleError):
        export_bundle(round_, tmp_path / "taken.zip")
    assert (tmp_path / "taken.zip").read_text() == "keep me"


def test_an_empty_folder_is_fine(app, tmp_path):
    round_ = import_bundle(None, BUNDLE, system="tests")
    (tmp_path / "out").mkdir()
    assert len(export_bundle(round_, tmp_path / "out")) == 3


def test_flask_round_export_writes_the_bundle(app, runner, tmp_path):
    import_bundle(None, BUNDLE, system="tests")
    db.session.commit()
    result = runner.invoke(args=["round", "export", "community-assets-2026",
                                 str(tmp_path / "out.zip")])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{tmp_path / 'out.zip'}\n"
    again = runner.invoke(args=["round", "export", "community-assets-2026",
                                str(tmp_path / "out.zip")])
    assert again.exit_code == 1
    assert "This file already exists." in again.stderr
    exports = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "round.exported"))
    assert exports == 1
