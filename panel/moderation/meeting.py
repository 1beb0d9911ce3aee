"""The meeting of a round as it stands (DESIGN.md §6): whether it has started, its
version (what live pages poll), its progress, and the round's figures as the meeting
shows them, shared by every worker until the round changes."""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import redis
from flask import current_app
from sqlalchemy import func, select

from panel.audit.models import AuditEvent
from panel.extensions import cache, db, redis_client
from panel.moderation import agenda
from panel.moderation.models import AgendaItem, Decision, Meeting
from panel.rounds.models import Round
from panel.scoring.figures import (
    RANKING,
    Figures,
    load_decisions,
    round_figures,
    updated_figures,
    with_decisions,
)
from panel.scoring.models import ScoreSheet


def version(round_: Round) -> int:
    """Changes whenever anything in the round changes: every change is an audit event
    (DESIGN.md §7), so the newest event of the round is the meeting's version. One
    indexed lookup, cheap enough to ask every second or two from every phone."""
    return db.session.scalar(select(func.max(AuditEvent.id))
                             .where(AuditEvent.round_id == round_.id)) or 0


def meeting_of(round_: Round) -> Meeting | None:
    return db.session.scalar(select(Meeting).where(Meeting.round_id == round_.id))


log = logging.getLogger(__name__)
LOCK_SECONDS = 600  # longest a computation may hold a round's lock (a dead worker's lapses)


# Changes that leave every sheet's score, who counts and the round's settings as they were,
# so the rankings made before them still hold: the meeting's own bookkeeping, a draft
# saved, exports. The decisions are read again for every version (:func:`shown_figures`).
# Any other action, including one added later, makes the rankings again.
SCORES_UNCHANGED = (
    "meeting.started", "meeting.agenda_moved", "meeting.item_opened", "meeting.item_skipped",
    "meeting.item_closed", "meeting.comment_shown", "meeting.comment_hidden",
    "decision.recorded", "sheet.saved", "report.exported", "round.exported",
    "conflicts.exported", "audit.exported", "audit.anchored", "reminders.sent",
    "round.over_budget_acknowledged",
)


def versions(round_: Round) -> tuple[int, int]:
    """The round's :func:`version` and the newest change that may have moved a score:
    two indexed lookups in one statement."""
    newest = (select(func.max(AuditEvent.id)).where(AuditEvent.round_id == round_.id)
              .scalar_subquery())
    scores = (select(AuditEvent.id).where(AuditEvent.round_id == round_.id,
                                          AuditEvent.action.not_in(SCORES_UNCHANGED))
              .order_by(AuditEvent.id.desc()).limit(1).scalar_subquery())
    current, scored = db.session.execute(select(newest, scores)).one()
    return current or 0, scored or 0


def shown_figures(round_: Round) -> Figures:
    """The round's figures (:data:`~panel.scoring.figures.RANKING`) for pages.

    The rankings are made once per change of the scores (:data:`SCORES_UNCHANGED`) and
    shared (:func:`_rankings`); the chair's decisions are read and laid over them for
    every version of the round, which costs a few milliseconds, so moving through the
    agenda or recording an outcome never makes the rankings again. Each process keeps
    the newest few it used, so a poll costs no unpickling. Never for a change in
    progress (the versions count committed changes only)."""
    current, scored = versions(round_)
    key = f"figures:{round_.id}:{current}"
    here = _kept_here()
    found = here.get(key)
    if found is None:
        found = with_decisions(_rankings(round_, scored), load_decisions(round_))
        here.put(key, found)
    return found


def _rankings(round_: Round, scored: int) -> Figures:
    """The figures as of the scores version ``scored``, shared until it moves on: when
    something changes, every phone following the meeting asks again within a second.
    After sheets submitted or revised, each process updates the figures it made last
    (:func:`_updated_here`); after any other change one request makes them while the
    others wait for its answer — on every machine with Redis (REDIS_URL), in each
    process without (:func:`_made_for`). When Redis cannot be reached the figures are
    computed here, and the page still answers."""
    key = f"rankings:{round_.id}:{scored}"
    here = _kept_here()
    found = here.get(key) or _updated_here(round_, scored)
    if found is not None:
        here.put(key, found)
        return found
    try:
        found = cache.get(key) if _shared() else None
        if found is None:
            with _one_at_a_time(round_.id):
                found = cache.get(key) if _shared() else here.get(key)  # done meanwhile?
                if found is None:
                    found = _made_for(round_, scored)
                    if _shared():
                        cache.set(key, found)
                        cache.set(_LATEST.format(round_.id), scored)
    except redis.RedisError as error:
        log.warning("figures cache unavailable (%s); computing round %s here", error,
                    round_.id)
        found = round_figures(round_, RANKING)
    here.put(key, found)
    _note_latest(round_, scored, found)
    return found


def _note_latest(round_: Round, scored: int, found: Figures) -> None:
    """Remember ``found`` as the newest figures of the round this process has made,
    unless it already has newer."""
    kept = _kept_here().get(_LATEST.format(round_.id))
    if kept is None or kept[0] < scored:
        _kept_here().put(_LATEST.format(round_.id), (scored, found))


_LATEST = "rankings-latest:{}"  # the newest scores version of a round made, and its figures
MOST_SHEETS_CHANGED = 200  # more sheets than this since the newest figures: made afresh
SHEET_CHANGES = ("sheet.submitted", "sheet.revised")  # their target is the sheet


def _made_for(round_: Round, scored: int) -> Figures:
    """The figures as of ``scored``. When the newest figures made of this round are
    older only by sheets submitted or revised (a panellist revising in the meeting),
    those applications alone are scored again (:func:`updated_figures`); after any
    other change, or too many, the round is read afresh."""
    latest = _latest(round_)
    if latest is not None and latest[0] < scored:
        changed = _applications_changed(round_, latest[0], scored)
        if changed is not None:
            return updated_figures(latest[1], round_, changed)
    return round_figures(round_, RANKING)


def _updated_here(round_: Round, scored: int) -> Figures | None:
    """The figures as of ``scored`` made from those this process made last, when only
    sheets were submitted or revised since: reading those few sheets costs less than
    unpickling a large round's figures from Redis, so every process does it itself."""
    kept = _kept_here().get(_LATEST.format(round_.id))
    if kept is None or kept[0] >= scored:
        return None
    changed = _applications_changed(round_, kept[0], scored)
    if changed is None:
        return None
    found = updated_figures(kept[1], round_, changed)
    _note_latest(round_, scored, found)
    return found


def _latest(round_: Round) -> tuple[int, Figures] | None:
    kept = _kept_here().get(_LATEST.format(round_.id))
    if _shared():
        version = cache.get(_LATEST.format(round_.id))
        if version is not None and (kept is None or kept[0] < version):
            found = cache.get(f"rankings:{round_.id}:{version}")
            kept = (version, found) if found is not None else kept
    return kept


def _applications_changed(round_: Round, since: int, until: int) -> list[int] | None:
    """The applications whose sheets the changes after ``since`` up to ``until``
    submitted or revised; None when any other change that may move a score came between
    (a conflict, a setting, an import…) or more than :data:`MOST_SHEETS_CHANGED`."""
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.object_type, AuditEvent.object_id)
        .where(AuditEvent.round_id == round_.id, AuditEvent.id > since,
               AuditEvent.id <= until, AuditEvent.action.not_in(SCORES_UNCHANGED))
        .limit(MOST_SHEETS_CHANGED + 1)).all()
    if len(events) > MOST_SHEETS_CHANGED or any(
            action not in SHEET_CHANGES or kind != ScoreSheet.__tablename__
            for action, kind, _ in events):
        return None
    return list(db.session.scalars(select(ScoreSheet.application_id).distinct().where(
        ScoreSheet.id.in_([int(target) for _, _, target in events]))))


class Kept:
    """The newest figures this process has used, at most ``size`` of them (one per
    round and version), without pickling: the hit every phone's poll makes. The
    report's pages keep their reports in one too (:mod:`panel.reports.kept`)."""

    def __init__(self, size: int) -> None:
        self.size, self.items, self.guard = size, OrderedDict(), threading.Lock()

    def get(self, key: str) -> Any:
        with self.guard:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: str, found: Any) -> None:
        with self.guard:
            self.items[key] = found
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def forget(self, key: str) -> None:
        with self.guard:
            self.items.pop(key, None)


def _kept_here() -> Kept:
    kept = current_app.extensions.get("fairpanel_figures_kept")
    if kept is None:
        kept = current_app.extensions.setdefault(
            # Per round: the rankings of its newest scores, the figures of its newest
            # version, and which scores are newest.
            "fairpanel_figures_kept", Kept(3 * current_app.config.get("CACHE_THRESHOLD", 8)))
    return kept


def _shared() -> bool:
    """Whether the figures are shared through Redis (REDIS_URL is set)."""
    return bool(current_app.config.get("CACHE_REDIS_URL"))


@contextmanager
def _one_at_a_time(round_id: int) -> Iterator[None]:
    """Hold the round's figures lock: a Redis lock shared by every machine, or a lock of
    this process without Redis."""
    url = current_app.config.get("CACHE_REDIS_URL")
    if url:
        with redis_client(url).lock(f"fairpanel:figures-lock:{round_id}", timeout=LOCK_SECONDS,
                         blocking_timeout=LOCK_SECONDS):
            yield
        return
    locks = current_app.extensions.setdefault("fairpanel_figures_locks", {})
    with _LOCKS_GUARD:
        lock = locks.setdefault(round_id, threading.Lock())
    with lock:
        yield


_LOCKS_GUARD = threading.Lock()


def default_order(round_: Round) -> list[str]:
    """References in the order the agenda takes them by default (:mod:`agenda`)."""
    found = shown_figures(round_)
    return agenda.default_order(found.final, found.counting)


@dataclass(frozen=True)
class Progress:
    total: int
    decided: int
    skipped: int

    @property
    def left(self) -> int:
        return self.total - self.decided


def progress(meeting: Meeting) -> Progress:
    """How many items the agenda has, how many are decided and how many skipped."""
    total, decided, skipped = db.session.execute(
        select(func.count(AgendaItem.id), func.count(Decision.id),
               func.count(AgendaItem.skipped_at).filter(Decision.id.is_(None)))
        .outerjoin(Decision, Decision.application_id == AgendaItem.application_id)
        .where(AgendaItem.meeting_id == meeting.id)).one()
    return Progress(total, decided, skipped)


def current_decided(meeting: Meeting) -> bool:
    """Whether the item open now already has an outcome (reopened to discuss again)."""
    return meeting.current_application_id is not None and db.session.scalar(
        select(func.count(Decision.id)).where(
            Decision.application_id == meeting.current_application_id)) > 0
