"""The demo round's bundle (panel/demo/bundle/) with scores, conflicts and decisions added,
and helpers to break one file of it and read the problems the import reports."""
from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from panel.bundle import BundleError, Problem, import_bundle
from panel.demo.seed import BUNDLE
from panel.extensions import db

SLUG = "community-assets-2026"


CONFLICTS = ("email,reference,kind,details,level\n"
             "amira@panel.example,CA-004,uses_services,I go to the food club,declared\n"
             "dave@panel.example,CA-004,work_or_volunteer,I volunteer there,\n")


SCORES = ("email,reference,stage,benefit,community,delivery,value,comment\n"
          "amira@panel.example,CA-001,initial,4,5,3,,Lovely idea\n"
          "amira@panel.example,CA-001,revised,5,5,3,2,Changed my mind\n"
          "amira@panel.example,CA-001,revised,5,5,4,2,\n"
          "prof.okafor@panel.example,CA-001,initial,2,3,4,4,\n")


DECISIONS = ("reference,outcome,rationale\n"
             "CA-001,fund,The panel agreed the estate needs it most\n"
             "CA-002,no_consensus,\n")


def demo_bundle(tmp_path: Path, name: str = "bundle", **extra: str) -> Path:
    """A copy of the demo bundle; ``extra`` adds files, e.g. ``scores="..."``
    writes scores.csv."""
    folder = tmp_path / name
    shutil.copytree(BUNDLE, folder)
    for table, text in extra.items():
        (folder / f"{table}.csv").write_text(text, encoding="utf-8")
    return folder


def edit(folder: Path, file: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``file``."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems_of(path: Path, **kwargs) -> list[Problem]:
    """Import a bad bundle: it must raise and leave every table as it was."""
    before = row_counts()
    with pytest.raises(BundleError) as raised:
        import_bundle(None, path, system="tests", **kwargs)
    assert row_counts() == before
    db.session.rollback()
    assert row_counts() == before
    return raised.value.problems


def where(problems: list[Problem]) -> list[tuple]:
    return [(p.file, p.row, p.column) for p in problems]


DEMO = Path(__file__).resolve().parents[2] / "panel" / "demo" / "bundle"


def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"bundle/{path.name}")
    return buffer.getvalue()


def row_counts(but: tuple[str, ...] = ()) -> dict[str, int]:
    """Rows in every table (the audit trail included) but those named in ``but``."""
    return {name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for name, table in db.metadata.tables.items() if name not in but}


def round_rows() -> dict[str, int]:
    """:func:`row_counts` but the upload parked for confirmation: what a preview must
    leave as it was."""
    return row_counts(but=("parked_uploads",))


def with_settings(folder: Path, **settings) -> Path:
    """Rewrite the bundle's round.json: ``settings`` set, a value of ... removes the key."""
    path = folder / "round.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    for key, value in settings.items():
        if value is ...:
            spec.pop(key, None)
        else:
            spec[key] = value
    path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    return folder
