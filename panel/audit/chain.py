"""The hash chains: ``hash = SHA-256(previous hash + canonical JSON of the event)``.

Pure functions, shared by the writer (:mod:`panel.audit.services`) and the verifier.
The trail is the legacy chain (formats 1 to 3, positions are ids, from 1) followed by one
chain per round and one for the site (format 4, positions are ``seq``, from 1 in each
chain, each chain starting from the all-zero hash): docs/trail.md, "Chains".
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from panel.audit.models import GENESIS_HASH, SITE_CHAIN, canonical_json

__all__ = ["LEGACY", "ChainReport", "canonical_json", "chain_name", "event_hash",
           "heads_digest", "jsonable", "verify_events"]

# The legacy chain's key (formats 1 to 3); a format-4 chain's key is its round's id, or
# SITE_CHAIN.
LEGACY = None


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


def chain_name(chain: int | None) -> str:
    """How the trail names a chain: in messages, and as the keys of an anchor's heads."""
    if chain is LEGACY:
        return "legacy"
    return "site" if chain == SITE_CHAIN else f"round {chain}"


def chain_key(name: str) -> int | None:
    """The inverse of :func:`chain_name`; ValueError for a name it never gives."""
    if name == "legacy":
        return LEGACY
    if name == "site":
        return SITE_CHAIN
    prefix, _space, number = name.partition(" ")
    if prefix != "round" or not number.isdigit() or int(number) == SITE_CHAIN:
        raise ValueError(_("no chain is called %(name)s", name=repr(name)))
    return int(number)


def heads_digest(heads: dict[int | None, tuple[int, str]]) -> str:
    """One fingerprint of every chain's head: SHA-256 of the canonical JSON of
    ``{chain name: [position, hash]}``."""
    named = {chain_name(chain): [position, hash_] for chain, (position, hash_) in heads.items()}
    return hashlib.sha256(canonical_json(named).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Link:
    """One event as the verifier reads it. ``chain`` is :data:`LEGACY` for formats 1 to 3
    (``position`` is then the id) or the key its hashed round gives (``position`` is its
    ``seq``); ``problem`` is what is wrong with the row itself, if anything."""

    event_id: int
    action: str
    chain: int | None
    position: int | None
    prev_hash: str
    payload: dict[str, Any]
    hash: str
    problem: str = ""


@dataclass(frozen=True)
class ChainReport:
    """``heads``: each chain's last intact position and hash; ``breaks``: the position
    where each broken chain breaks, and the id of the event found there. ``bad_event_id`` and the rest: the first bad
    event in the order the events were written."""

    ok: bool
    events: int
    head_hash: str
    bad_event_id: int | None = None
    bad_action: str = ""
    problem: str = ""
    heads: dict[int | None, tuple[int, str]] = field(default_factory=dict)
    breaks: dict[int | None, tuple[int, int]] = field(default_factory=dict)

    @property
    def legacy_only(self) -> bool:
        """Whether the trail is still the one chain it was before format 4."""
        return set(self.heads) | set(self.breaks) <= {LEGACY}

    def intact_at(self, chain: int | None, position: int) -> bool:
        """Whether every event of ``chain`` up to ``position`` checked out."""
        broken = self.breaks.get(chain)
        return broken is None or broken[0] > position


def verify_events(events: Iterable[Link]) -> ChainReport:
    """Walk the events in the order they were written (by id), each chain on its own:
    positions from 1 without gaps, each event's previous hash the hash of the one before
    it in its chain (the all-zero hash first), each hash recomputed. A chain stops being
    counted at its first bad event; the others go on."""
    heads: dict[int | None, tuple[int, str]] = {}
    breaks: dict[int | None, tuple[int, int]] = {}
    first_bad: Link | None = None
    first_problem = ""
    count = 0
    for link in events:
        chain = link.chain
        if chain in breaks:
            continue
        position, expected_prev = heads.get(chain, (0, GENESIS_HASH))
        expected = position + 1
        problem = link.problem
        if problem:
            pass
        elif link.position != expected:
            problem = (_("expected event %(event)s here; an event is missing from the chain",
                         event=expected) if chain is LEGACY
                       else _("expected position %(position)s of the %(chain)s chain here; an "
                              "event is missing from the chain",
                              position=expected, chain=chain_name(chain)))
        elif link.prev_hash != expected_prev:
            problem = _("its previous hash does not match the event before it")
        elif event_hash(link.prev_hash, link.payload) != link.hash:
            problem = _("its contents do not match its hash; it was altered")
        if problem:
            breaks[chain] = (expected, link.event_id)
            if first_bad is None:
                first_bad, first_problem = link, problem
            continue
        heads[chain] = (expected, link.hash)
        count += 1
    head = _head_hash(heads)
    if first_bad is None:
        return ChainReport(True, count, head, heads=heads)
    return ChainReport(False, count, head, first_bad.event_id, first_bad.action,
                       first_problem, heads=heads, breaks=breaks)


def _head_hash(heads: dict[int | None, tuple[int, str]]) -> str:
    """The legacy chain's head while it is the only chain (as before format 4), then
    :func:`heads_digest` of them all."""
    if set(heads) <= {LEGACY}:
        return heads.get(LEGACY, (0, GENESIS_HASH))[1]
    return heads_digest(heads)
