"""Opening a round bundle (a folder, or a .zip of one) and checking every file in it
together, so that all problems are reported at once (DESIGN.md §8)."""
from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
from flask_babel import gettext as _

from panel.bundle import limits
from panel.bundle.checks import check_applications, check_panellists
from panel.bundle.history import (
    check_conflicts,
    check_decisions,
    check_scores,
    people_of,
    references_of,
)
from panel.bundle.spec import RoundPlan, check_round_json
from panel.bundle.tables import MAX_UNPACKED_BYTES, Problem, read_table

Checker = Callable[[pd.DataFrame, str], tuple[list[dict], list[Problem]]]
TABLES = ("applications", "panellists", "conflicts", "scores", "decisions")
REQUIRED_TABLES = ("applications", "panellists")
KNOWN_FILES = {"round.json"} | {f"{t}.{s}" for t in TABLES for s in ("csv", "xlsx")}
# What archivers add beside the files; never part of a bundle.
_JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass
class CheckedBundle:
    """Everything a bundle holds, checked and ready to write."""

    settings: dict[str, Any]
    applications: list[dict] = field(default_factory=list)
    panellists: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    sheets: list[dict] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)


def open_bundle(path: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """``{file name: bytes}`` of the bundle files in a folder or a .zip (at its root or
    inside one top folder). Other files are ignored."""
    label = path.name or str(path)
    if path.is_dir():
        return _from_folder(path, label)
    if path.is_file() and path.suffix.lower() == ".zip":
        return _from_zip(path, label)
    if path.exists():
        return {}, [Problem(label, None, None,
                            _("A round bundle is a folder, or a .zip file of one. Give the "
                              "path of the folder or the .zip."))]
    return {}, [Problem(str(path), None, None,
                        _("There is no folder or .zip file here. Check the path."))]


def _from_folder(path: Path, label: str) -> tuple[dict[str, bytes], list[Problem]]:
    found = [p for p in sorted(path.iterdir()) if p.name in KNOWN_FILES and p.is_file()]
    if sum(p.stat().st_size for p in found) > MAX_UNPACKED_BYTES:
        return {}, [_too_big(label)]
    return {p.name: p.read_bytes() for p in found}, []


def _too_big(label: str) -> Problem:
    return Problem(label, None, None,
                   _("The bundle is too big to import (over 50 MB of files). Split the "
                     "applications into smaller rounds."))


def _from_zip(path: Path, label: str) -> tuple[dict[str, bytes], list[Problem]]:
    try:
        with zipfile.ZipFile(path) as archive:
            return _read_archive(archive, label)
    except (zipfile.BadZipFile, OSError):
        return {}, [Problem(label, None, None,
                            _("This .zip file cannot be opened. Make the zip again from the "
                              "bundle folder."))]


def _read_archive(archive: zipfile.ZipFile, label: str) -> tuple[dict[str, bytes], list[Problem]]:
    members = [info for info in archive.infolist() if not info.is_dir()]
    unsafe = [info.filename for info in members if _unsafe(info.filename)]
    if unsafe:
        return {}, [Problem(label, None, None,
                            _('The zip holds "%(path)s", a path that leads outside the '
                              "bundle, so it was not opened. Make the zip again from the "
                              "bundle folder.", path=unsafe[0]))]
    if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
        return {}, [_too_big(label)]
    root = _root(members)
    named = ((_bundle_name(info.filename, root), info) for info in members)
    wanted = {name: info for name, info in named if name in KNOWN_FILES}
    try:
        # Read no more than the declared size: a member may lie about it.
        return {name: _read_member(archive, info) for name, info in sorted(wanted.items())}, []
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError):
        return {}, [Problem(label, None, None,
                            _("Some files in this .zip are damaged or encrypted. Make the "
                              "zip again, without a password."))]


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as member:
        data = member.read(MAX_UNPACKED_BYTES + 1)
    if len(data) > MAX_UNPACKED_BYTES:
        raise zipfile.BadZipFile("member larger than declared")
    return data


def _unsafe(name: str) -> bool:
    name = name.replace("\\", "/")
    return (name.startswith("/") or (len(name) > 1 and name[1] == ":")
            or ".." in PurePosixPath(name).parts)


def _useful(name: str) -> bool:
    return not (name.startswith(_JUNK[0]) or PurePosixPath(name).name in _JUNK
                or PurePosixPath(name).name.startswith("._"))


def _root(members: list[zipfile.ZipInfo]) -> str:
    """"" when the files are at the zip's root, else "top/" for one top folder."""
    names = [info.filename for info in members if _useful(info.filename)]
    if any("/" not in name for name in names):
        return ""
    tops = {name.split("/", 1)[0] for name in names}
    return f"{tops.pop()}/" if len(tops) == 1 else ""


def _bundle_name(name: str, root: str) -> str:
    rest = name[len(root):] if name.startswith(root) else ""
    return rest if "/" not in rest and _useful(name) else ""


def check_bundle(files: dict[str, bytes], *,
                 slug: str | None = None) -> tuple[CheckedBundle | None, list[Problem]]:
    """Read and check every file of a bundle; all problems in all files, or the
    bundle ready to write (None when there are problems)."""
    if "round.json" in files:
        settings, plan, problems = check_round_json(files["round.json"], slug=slug)
    else:
        settings, plan = None, RoundPlan()
        problems = [Problem("round.json", None, None,
                            _("The bundle has no round.json. Add it: it holds the round's "
                              "title and rubric."))]
    tables: dict[str, tuple[pd.DataFrame | None, str]] = {}
    for table in TABLES:
        df, label, found = _read(files, table)
        tables[table] = (df, label)
        problems += found
    rows, found = _check_tables(tables, plan)
    problems += found
    if problems:
        return None, problems
    return CheckedBundle(settings, **rows), []


def _read(files: dict[str, bytes], table: str) -> tuple[pd.DataFrame | None, str, list[Problem]]:
    present = [name for name in (f"{table}.csv", f"{table}.xlsx") if name in files]
    if len(present) > 1:
        return None, present[0], [Problem(present[0], None, None,
                                          _("The bundle has both %(first)s and %(second)s. "
                                            "Keep one of them.",
                                            first=present[0], second=present[1]))]
    if not present:
        missing = ([Problem(f"{table}.csv", None, None,
                            _("The bundle has no %(file)s. Add it (an .xlsx workbook will "
                              "do too).", file=f"{table}.csv"))]
                   if table in REQUIRED_TABLES else [])
        return None, f"{table}.csv", missing
    name = present[0]
    df, problems = read_table(files[name], name, label=name)
    return df, name, problems


def _within(limit: limits.Limit, checker: Checker) -> Checker:
    """``checker``, unless the table has more rows than a round may hold (then only
    that is reported: its rows are not checked one by one)."""
    def check(df: pd.DataFrame, file: str) -> tuple[list[dict], list[Problem]]:
        refused = limits.too_many(limit, len(df), file)
        return ([], refused) if refused else checker(df, file)
    return check


def _check_tables(tables: dict[str, tuple[pd.DataFrame | None, str]],
                  plan: RoundPlan) -> tuple[dict[str, list[dict]], list[Problem]]:
    people = people_of(tables["panellists"][0])
    references = references_of(tables["applications"][0])
    checkers = {
        "applications": lambda df, file: check_applications(df, plan, file=file),
        "panellists": lambda df, file: check_panellists(df, plan, file=file),
        "conflicts": _within(limits.CONFLICTS, lambda df, file: check_conflicts(
            df, people=people, references=references, file=file)),
        "scores": _within(limits.SHEETS, lambda df, file: check_scores(
            df, plan, people=people, references=references, file=file)),
        "decisions": lambda df, file: check_decisions(df, references=references, file=file),
    }
    rows: dict[str, list[dict]] = {}
    problems: list[Problem] = []
    for table, checker in checkers.items():
        df, label = tables[table]
        if df is not None:
            # scores.csv holds score sheets: CheckedBundle calls them sheets.
            rows["sheets" if table == "scores" else table], found = checker(df, label)
            problems += found
    return rows, problems
