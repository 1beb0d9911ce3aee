"""The hash chain: ``hash = SHA-256(previous hash + canonical JSON of the event)``.

Pure functions, shared by the writer (:mod:`panel.audit.services`) and the verifier.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from panel.audit.models import GENESIS_HASH, canonical_json

__all__ = ["ChainReport", "canonical_json", "event_hash", "jsonable", "verify_events"]


def event_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


def jsonable(value: Any) -> Any:
    """Turn before/after values into plain JSON that reads back identically."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, Decimal):
        # 100, 100.0 and 100.00 are one amount: write it one way.
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(v) for v in value]
        return sorted(items, key=canonical_json) if isinstance(value, (set, frozenset)) else items
    return str(value)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    head_hash: str
    bad_event_id: int | None = None
    bad_action: str = ""
    problem: str = ""


def verify_events(events: Iterable[tuple[int, str, str, dict[str, Any], str]]) -> ChainReport:
    """Walk ``(id, action, prev_hash, payload, hash)`` in id order; stop at the first break."""
    expected_prev = GENESIS_HASH
    expected_id = 1
    count = 0
    for event_id, action, prev_hash, payload, stored_hash in events:
        problem = ""
        if event_id != expected_id:
            problem = f"expected event {expected_id} here; an event is missing from the chain"
        elif prev_hash != expected_prev:
            problem = "its previous hash does not match the event before it"
        elif event_hash(prev_hash, payload) != stored_hash:
            problem = "its contents do not match its hash; it was altered"
        if problem:
            return ChainReport(False, count, expected_prev, event_id, action, problem)
        expected_prev = stored_hash
        expected_id += 1
        count += 1
    return ChainReport(True, count, expected_prev)
