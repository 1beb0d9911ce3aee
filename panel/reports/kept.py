"""The report of a round kept once per version of the round (issue 17): ``flask round
report`` at 20,000 applications spends seconds making the report, and the same round
gives the same report until something in it changes.

A kept report is named by what it is made from, so a change can never be served a report
made before it:

- the round as it stands: every change to a round is an event on its own hash chain
  (DESIGN.md §7), so the hash of its newest event commits to every change before it. The
  events that change nothing the report shows (the exports, the reminders) are passed
  over, or every export would make the next one afresh;
- the rank model's kept results for the round (written by a job, not on the trail);
- whether it is the panel's report;
- the code: a digest of FairPanel's own source, so a new release makes it afresh.

It is kept in Redis when the app has it (``REDIS_URL``, shared by every machine), else as
a file in the instance folder, one per round, the older ones removed. It is the JSON the
command writes, byte for byte: ``orjson`` with two-space indents and a final newline, the
same as ``json.dumps(indent=2, ensure_ascii=False)``.

The pages that show the report (the report page, the panel's page, the published
summary, their downloads) read it through :func:`report`, :func:`report_page` and
:func:`made_of`: each process keeps its newest report of each round, made or read, under
the same name, so a page asked again makes nothing again (seconds at 20,000
applications, every time, before).
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import orjson
from flask import current_app
from sqlalchemy import select

from panel.audit.models import AuditEvent
from panel.extensions import db, redis_client
from panel.paths import PACKAGE
from panel.rounds.models import Round
from panel.scoring.models import RankModelResult

if TYPE_CHECKING:
    from panel.moderation.meeting import Kept
    from panel.scoring.figures import Figures

log = logging.getLogger(__name__)
T = TypeVar("T")

# Actions on a round's trail that change nothing its report shows.
NOT_IN_REPORT = ("report.exported", "round.exported", "conflicts.exported", "audit.exported",
                 "payments.exported", "reminders.sent")
KEPT_SECONDS = 7 * 24 * 3600  # in Redis; a kept report is only ever replaced by a newer one
FOLDER = "kept-reports"  # in the instance folder, without Redis


def report_json(round_: Round, panel: bool = False) -> bytes:
    """The report of ``round_`` (:func:`panel.reports.report.round_report`) as JSON, from
    the kept one when the round has not changed since it was made, else made and kept."""
    key = _key(round_, panel)
    found = _read(round_, panel, key)
    if found is not None:
        return found
    from panel.reports.report import round_report  # pandas and the figures: only here

    data = as_json(round_report(round_, panel))
    _write(round_, panel, key, data)
    return data


def report(round_: Round, panel: bool = False) -> dict[str, Any]:
    """The report of ``round_`` as :func:`panel.reports.report.round_report` makes it,
    made once per version of the round: kept in this process, else read from the kept
    JSON (another process or machine made it), else made and kept. Every reader shares
    the one dict: read it, never change it."""
    return _entry(round_, panel, figures=False).report


def made_of(round_: Round, panel: bool, name: str, make: Callable[[dict[str, Any]], T]) -> T:
    """``make(report)`` (a download, in one language: ``name`` says which), made once per
    version of the round and ``name`` in this process."""
    made = _entry(round_, panel, figures=False)
    return _once(made, name, lambda: make(made.report))


def report_page(round_: Round, panel: bool, name: str,
                make: Callable[[dict[str, Any], Figures], T]) -> tuple[dict[str, Any], Figures, T]:
    """:func:`report`, the figures it was made from (a page shows some the report does
    not hold) and ``make(report, figures)``: what a page shows of them, in the words of
    one language (``name`` says which). Made once per version of the round and ``name``
    in this process, so that asking again builds nothing again."""
    made = _entry(round_, panel, figures=True)
    return made.report, made.figures, _once(made, name,
                                            lambda: make(made.report, made.figures))


def _entry(round_: Round, panel: bool, figures: bool) -> _Made:
    key = _key(round_, panel)
    made = _kept(round_, panel, key)
    if made is not None and (made.figures is not None or not figures):
        return made
    if made is None and not figures:
        data = _read(round_, panel, key)
        if data is not None:
            made = _Made(orjson.loads(data), None)
            _keep(round_, panel, key, made)
            return made
    return _make(round_, panel, key)


def _once(made: _Made, name: str, make: Callable[[], T]) -> T:
    with made.guard:
        kept = made.pages.get(name)
    if kept is None:
        kept = make()
        with made.guard:
            made.pages[name] = kept
    return kept


@dataclass(frozen=True)
class _Made:
    report: dict[str, Any]
    figures: Figures | None  # None when read from the kept JSON
    pages: dict[str, Any] = field(default_factory=dict)  # made of them, by name
    guard: threading.Lock = field(default_factory=threading.Lock)


def _make(round_: Round, panel: bool, key: str) -> _Made:
    # pandas and the figures: imported only here
    from panel.reports.report import report_and_figures

    made = _Made(*report_and_figures(round_, panel))
    _keep(round_, panel, key, made)
    if not _has(round_, panel, key):
        _write(round_, panel, key, as_json(made.report))
    return made


KEPT_HERE = 4  # reports (with their figures) each process keeps: the newest used


def _kept(round_: Round, panel: bool, key: str) -> _Made | None:
    """What this process keeps of the report named ``key``. It keeps one version of each
    round's report (and of its panel's): an older one is never asked for again."""
    kept = _here().get(_file(round_, panel))
    if kept is None:
        return None
    if kept[0] != key:  # the round has changed: let the older report go before making anew
        _here().forget(_file(round_, panel))
        return None
    return kept[1]


def _keep(round_: Round, panel: bool, key: str, made: _Made) -> None:
    _here().put(_file(round_, panel), (key, made))


def _here() -> Kept:
    here = current_app.extensions.get("fairpanel_reports_kept")
    if here is None:
        # Imported here: it brings the figures, which `flask round report` does not need.
        from panel.moderation.meeting import Kept

        here = current_app.extensions.setdefault("fairpanel_reports_kept", Kept(KEPT_HERE))
    return here


def as_json(report: dict) -> bytes:
    return orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def _key(round_: Round, panel: bool) -> str:
    newest = (select(AuditEvent.hash).where(AuditEvent.round_id == round_.id,
                                            AuditEvent.action.not_in(NOT_IN_REPORT))
              .order_by(AuditEvent.id.desc()).limit(1).scalar_subquery())
    rows = db.session.execute(
        select(RankModelResult.id, RankModelResult.version, RankModelResult.inputs)
        .where(RankModelResult.round_id == round_.id).order_by(RankModelResult.id)).all()
    head = db.session.scalar(select(newest))
    digest = hashlib.sha256(repr((round_.id, panel, head, [tuple(r) for r in rows],
                                  _code())).encode())
    return digest.hexdigest()


_CODE: list[str] = []


def _code() -> str:
    """A digest of FairPanel's own Python source, made once per process."""
    if not _CODE:
        digest = hashlib.sha256()
        for path in sorted(PACKAGE.rglob("*.py")):
            digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
        _CODE.append(digest.hexdigest())
    return _CODE[0]


def _redis_url() -> str | None:
    return current_app.config.get("CACHE_REDIS_URL")


def _name(round_: Round, panel: bool) -> str:
    return f"fairpanel:report:{round_.id}:{'panel' if panel else 'full'}"


def _read(round_: Round, panel: bool, key: str) -> bytes | None:
    url = _redis_url()
    if url:
        import redis

        try:
            kept = redis_client(url).get(_name(round_, panel))
        except redis.RedisError as error:
            log.warning("kept reports unavailable (%s); making the report", error)
            return None
        if kept is None or not kept.startswith(key.encode() + b"\n"):
            return None
        return kept[len(key) + 1:]
    path = _folder() / f"{_file(round_, panel)}-{key}.json"
    try:
        return path.read_bytes()
    except OSError:
        return None


def _has(round_: Round, panel: bool, key: str) -> bool:
    """Whether the report named ``key`` is kept, without reading it."""
    url = _redis_url()
    if url:
        import redis

        try:
            start = redis_client(url).getrange(_name(round_, panel), 0, len(key))
        except redis.RedisError:
            return False
        return start == key.encode() + b"\n"
    return (_folder() / f"{_file(round_, panel)}-{key}.json").exists()


def _write(round_: Round, panel: bool, key: str, data: bytes) -> None:
    url = _redis_url()
    if url:
        import redis

        try:
            redis_client(url).set(_name(round_, panel), key.encode() + b"\n" + data,
                                  ex=KEPT_SECONDS)
        except redis.RedisError as error:
            log.warning("kept reports unavailable (%s); not kept", error)
        return
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for older in folder.glob(f"{_file(round_, panel)}-*.json"):
            older.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, folder / f"{_file(round_, panel)}-{key}.json")
    except OSError as error:
        log.warning("could not keep the report of round %s (%s)", round_.id, error)


def _folder() -> Path:
    return Path(current_app.instance_path) / FOLDER


def _file(round_: Round, panel: bool) -> str:
    return f"round-{round_.id}-{'panel' if panel else 'full'}"
