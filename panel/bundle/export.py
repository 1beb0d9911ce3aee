"""Writing a round back out as a bundle, in exactly the format the import reads, so
that export → import → export gives the same bytes (DESIGN.md §8)."""
from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select

from panel.accounts.models import User
from panel.audit.services import record
from panel.bundle.checks import APPLICATION_COLUMNS, WELSH_APPLICATION_COLUMNS
from panel.bundle.tables import BundleError, Problem
from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.moderation.models import Decision
from panel.payments.models import PayRate
from panel.rounds.models import Application, Criterion, Group, PanelMember, Round
from panel.rounds.setup import WELCOME_FIELDS, extra_columns
from panel.scoring.models import ScoreSheet
from panel.spreadsheets import CsvWriter

# Any fixed time: the same round always gives the same .zip bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def bundle_files(round_: Round) -> dict[str, bytes]:
    """The bundle's files, in bundle order: round.json, applications.csv,
    panellists.csv, then conflicts.csv, scores.csv and decisions.csv when the round has
    any. Reads only; see :func:`export_bundle` and :func:`export_zip`."""
    files = {
        "round.json": _round_json(round_),
        "applications.csv": _csv(*_applications(round_)),
        "panellists.csv": _csv(*_panellists(round_)),
    }
    for name, table in (("conflicts.csv", _conflicts), ("scores.csv", _scores),
                        ("decisions.csv", _decisions)):
        header, rows = table(round_)
        if rows:
            files[name] = _csv(header, rows)
    return files


def export_bundle(round_: Round, path: Path, *, actor: User | None = None,
                  system: str | None = None) -> list[Path]:
    """Write the bundle to the folder ``path`` (which must not exist, or be empty), or
    to a new .zip when ``path`` ends in .zip. Records ``round.exported`` (flushed, not
    committed). Returns the files written: the bundle's files, or the one .zip."""
    path = Path(path)
    files = bundle_files(round_)
    if path.suffix.lower() == ".zip":
        written = [_write_zip(path, files)]
    else:
        written = _write_folder(path, files)
    _record_export(round_, files, actor, system)
    return written


def export_zip(round_: Round, *, actor: User | None = None, system: str | None = None) -> bytes:
    """The bundle as .zip bytes (for a download); records ``round.exported``."""
    files = bundle_files(round_)
    _record_export(round_, files, actor, system)
    return zip_bytes(files)


def round_counts(round_: Round) -> dict[str, int]:
    """How many applications, panel members, conflicts, sheets and decisions a round has."""
    def count(model: Any, *where: Any) -> int:
        query = select(func.count()).select_from(model).join(Application).where(
            Application.round_id == round_.id, *where)
        return db.session.scalar(query) or 0

    members = db.session.scalar(select(func.count()).select_from(PanelMember)
                                .where(PanelMember.round_id == round_.id)) or 0
    return {"applications": len(round_.applications), "panellists": members,
            "conflicts": count(Conflict, _exported_conflict()),
            "sheets": count(ScoreSheet, ScoreSheet.status == "submitted"),
            "decisions": count(Decision)}


def _exported_conflict():
    """Conflicts a bundle carries: not dismissed, and not an unreviewed suggestion."""
    return (Conflict.status != "dismissed") & ~(
        (Conflict.source == "suggested") & (Conflict.status == "pending"))


def _record_export(round_: Round, files: dict[str, bytes], actor: User | None,
                   system: str | None) -> None:
    record("round.exported", actor=actor, target=round_, system=system,
           after={"files": list(files), **round_counts(round_)})


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """The files at the root of a .zip, with fixed dates so the bytes are repeatable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _write_zip(path: Path, files: dict[str, bytes]) -> Path:
    if path.exists():
        raise BundleError([Problem(str(path), None, None,
                                   _("This file already exists. Choose a new file "
                                     "name."))])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zip_bytes(files))
    return path


def _write_folder(path: Path, files: dict[str, bytes]) -> list[Path]:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BundleError([Problem(str(path), None, None,
                                   _("This already exists and is not an empty folder. "
                                     "Choose a new folder, so that no file is "
                                     "overwritten."))])
    path.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        (path / name).write_bytes(data)
        written.append(path / name)
    return written


def _number(value: Decimal | float | int) -> int | float:
    """JSON numbers as a person writes them: 400000, not 400000.00 or 4E+5."""
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def _amount(value: Decimal) -> int | Decimal:
    """A CSV amount: 34500, or 1200.5 with no trailing zeros."""
    if value == value.to_integral_value():
        return int(value)
    return Decimal(format(value.normalize(), "f"))


def _levels(descriptors: dict[str, str]) -> dict[str, str]:
    """Descriptors in scale order: 1, 2 … 10 (not 1, 10, 2)."""
    def level(item: tuple[str, str]) -> tuple:
        key = item[0]
        return (0, int(key), key) if re.fullmatch(r"-?\d+", key) else (1, 0, key)

    return dict(sorted(descriptors.items(), key=level))


def _group(group: Group, rate: PayRate | None) -> dict[str, Any]:
    """A group of round.json, with how it is paid (in pounds) when it is."""
    found = {"key": group.key, "label": group.label, "weight": _number(group.weight)}
    pay = {kind: _number(Decimal(pence) / 100) for kind, pence in (
        ("hourly", rate.hourly_pence), ("per_application", rate.per_application_pence),
        ("meeting_fee", rate.meeting_fee_pence)) if pence} if rate is not None else {}
    return {**found, "pay": pay} if pay else found


def _welsh_levels(descriptors: dict[str, str] | None) -> dict[str, Any]:
    """``descriptors_cy``, only when there is some Welsh (issue 21: optional keys)."""
    return {"descriptors_cy": _levels(descriptors)} if descriptors else {}


def _welsh_criterion(criterion: Criterion) -> dict[str, Any]:
    """A criterion's Welsh keys that have something in them (issue 21)."""
    found = {key: value for key in ("name_cy", "guidance_cy")
             if (value := getattr(criterion, key) or "")}
    return {**found, **_welsh_levels(criterion.descriptors_cy)}


def _round_json(round_: Round) -> bytes:
    rates = {rate.group_id: rate for rate in db.session.scalars(
        select(PayRate).where(PayRate.round_id == round_.id))}
    settings = {
        "title": round_.title,
        "slug": round_.slug,
        "description": round_.description,
        "scale": {"min": round_.scale_min, "max": round_.scale_max,
                  "descriptors": _levels(round_.scale_descriptors or {}),
                  **_welsh_levels(round_.scale_descriptors_cy)},
        "budget": _number(round_.budget),
        "funding_rule": round_.funding_rule,
        "weighting": round_.weighting,
        "groups": [_group(g, rates.get(g.id)) for g in round_.groups],
        "criteria": [{"key": c.key, "name": c.name, "weight": _number(c.weight),
                      "guidance": c.guidance, "descriptors": _levels(c.descriptors or {}),
                      **_welsh_criterion(c)}
                     for c in round_.criteria],
        "identifying_columns": list(round_.identifying_columns or []),
        "show_group_labels": round_.show_group_labels,
        "lived_experience_first": round_.lived_experience_first,
        "scoring_deadline": (round_.scoring_deadline_day.isoformat()
                             if round_.scoring_deadline else None),
        "time_zone": round_.time_zone,
        "min_group_size": round_.min_group_size,
        "rank_model": round_.rank_model,
    }
    # What panellists are told (issue 20): optional, written when the officer set them.
    settings.update({key: getattr(round_, key) for key in WELCOME_FIELDS
                     if getattr(round_, key) not in ("", None)})
    if round_.public_columns:  # optional: written only when the funder publishes some
        settings["public_columns"] = list(round_.public_columns)
    shown = [c for c in extra_columns(round_) if c not in (round_.identifying_columns or [])]
    if shown:  # optional: without it, every extra column is imported as identifying
        settings["shown_columns"] = shown
    return (json.dumps(settings, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """Headings bare, text quoted, numbers bare (the demo bundle's style); every text
    cell protected from running as a formula when opened in a spreadsheet."""
    buffer = io.StringIO()
    CsvWriter(buffer).writerow(header)
    CsvWriter(buffer, quote_text=True).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _applications(round_: Round) -> tuple[list[str], list[list[Any]]]:
    applications = sorted(round_.applications, key=lambda a: a.reference)
    extra: list[str] = []
    for application in applications:
        extra += [column for column in application.extra if column not in extra]
    # The Welsh columns only when some application has Welsh (issue 21: optional).
    welsh = [c for c in WELSH_APPLICATION_COLUMNS if any(getattr(a, c) for a in applications)]
    standard = [*APPLICATION_COLUMNS, *welsh]
    rows = [[*(_application_cell(a, column) for column in standard),
             *(_text(a.extra.get(column, "")) for column in extra)] for a in applications]
    return [*standard, *extra], rows


def _application_cell(application: Application, column: str) -> Any:
    value = getattr(application, column)
    return _amount(value) if column == "requested_amount" else value


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _panellists(round_: Round) -> tuple[list[str], list[list[Any]]]:
    members = sorted(round_.members, key=lambda m: m.user.email)
    rows = [[m.user.email, m.user.name, m.group.key if m.group else "", m.role,
             ";".join(m.affiliations or [])] for m in members]
    header = ["email", "name", "group", "role", "affiliations"]
    if any(m.user.language for m in members):  # optional: written when anyone has chosen
        header.append("language")
        for row, member in zip(rows, members):
            row.append(member.user.language or "")
    return header, rows


def _conflicts(round_: Round) -> tuple[list[str], list[list[Any]]]:
    # A dismissed conflict is on the record but no longer a conflict, and a suggestion
    # from name matching is not one until an officer confirms it: either would come
    # back confirmed if exported (the importing round re-runs matching itself).
    conflicts = db.session.scalars(
        select(Conflict).join(Application).where(Application.round_id == round_.id,
                                                 _exported_conflict())).all()
    rows = sorted([c.member.user.email, c.application.reference, c.kind, c.details, c.level]
                  for c in conflicts)
    return ["email", "reference", "kind", "details", "level"], rows


def _scores(round_: Round) -> tuple[list[str], list[list[Any]]]:
    # Drafts are not part of the bundle format: only submitted sheets count (§3).
    sheets = db.session.scalars(
        select(ScoreSheet).join(Application).where(Application.round_id == round_.id,
                                                   ScoreSheet.status == "submitted")).all()
    sheets = sorted(sheets, key=lambda s: (s.member.user.email, s.application.reference,
                                           s.revision))
    keys = [c.key for c in round_.criteria]
    # The reason column is optional: written when a revised sheet has a reason, so a
    # round scored without reasons exports the same file it was imported from.
    reasons = ["reason"] if any(sheet.reason for sheet in sheets) else []
    rows = []
    for sheet in sheets:
        values = {score.criterion.key: score.value for score in sheet.scores}
        rows.append([sheet.member.user.email, sheet.application.reference, sheet.stage,
                     *(("" if values.get(k) is None else values[k]) for k in keys),
                     sheet.comment, *([sheet.reason or ""] if reasons else [])])
    return ["email", "reference", "stage", *keys, "comment", *reasons], rows


def _decisions(round_: Round) -> tuple[list[str], list[list[Any]]]:
    decisions = db.session.scalars(
        select(Decision).join(Application).where(Application.round_id == round_.id)).all()
    rows = sorted([d.application.reference, d.outcome, d.rationale] for d in decisions)
    return ["reference", "outcome", "rationale"], rows
