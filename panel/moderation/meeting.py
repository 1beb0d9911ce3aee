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

import redis
from flask import current_app
from sqlalchemy import func, select

from panel.audit.models import AuditEvent
from panel.extensions import cache, db, redis_client
from panel.moderation import agenda
from panel.moderation.models import AgendaItem, Decision, Meeting
from panel.rounds.models import Round
from panel.scoring.figures import RANKING, Figures, round_figures


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


def shown_figures(round_: Round) -> Figures:
    """The round's figures (:data:`~panel.scoring.figures.RANKING`) for pages, shared
    until the round's version moves on: when the meeting changes, every phone following
    it asks again within a second, and one request does the sums while the others wait
    for its answer — on every machine with Redis (REDIS_URL), in each process without.
    Each process also keeps the newest few it used, so a poll costs no unpickling.
    Never for a change in progress (the version counts committed changes only). When
    Redis cannot be reached the figures are computed here, and the page still answers."""
    key = f"figures:{round_.id}:{version(round_)}"
    here = _kept_here()
    found = here.get(key)
    if found is not None:
        return found
    try:
        found = cache.get(key) if _shared() else None
        if found is None:
            with _one_at_a_time(round_.id):
                found = cache.get(key) if _shared() else here.get(key)  # done meanwhile?
                if found is None:
                    found = round_figures(round_, RANKING)
                    if _shared():
                        cache.set(key, found)
    except redis.RedisError as error:
        log.warning("figures cache unavailable (%s); computing round %s here", error,
                    round_.id)
        found = round_figures(round_, RANKING)
    here.put(key, found)
    return found


class _Kept:
    """The newest figures this process has used, at most ``size`` of them (one per
    round and version), without pickling: the hit every phone's poll makes."""

    def __init__(self, size: int) -> None:
        self.size, self.items, self.guard = size, OrderedDict(), threading.Lock()

    def get(self, key: str) -> Figures | None:
        with self.guard:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: str, found: Figures) -> None:
        with self.guard:
            self.items[key] = found
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


def _kept_here() -> _Kept:
    kept = current_app.extensions.get("fairpanel_figures_kept")
    if kept is None:
        kept = current_app.extensions.setdefault(
            "fairpanel_figures_kept", _Kept(current_app.config.get("CACHE_THRESHOLD", 8)))
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
    found = round_figures(round_, RANKING)
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
