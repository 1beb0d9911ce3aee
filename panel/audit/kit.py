"""The verification kit of a decided round: a .zip that lets someone without FairPanel
check the decision trail up to the round's anchor (DESIGN.md §7).

- ``verify_trail.py``: :mod:`panel.audit.verify_trail`, copied as it is (standard
  library only);
- ``trail.csv``: for each event, every field its hash covers, with ``prev_hash`` and
  ``hash``;
- ``anchors.csv``: the round's anchor;
- ``README.txt``: what it is and the two commands.

There are two kits. Events written before trail format 4 form one legacy chain for the
whole site, so events of other rounds (and of accounts) are interleaved with the round's
own; since format 4 each round has its own chain, and the site its own (docs/trail.md).

- **The auditor's kit** (:func:`build_kit`) holds everything the anchor vouches for, every
  event in full: the legacy chain from event 1 (to the anchor, or to the head a format-4
  anchor lists), and each format-4 chain from its start to the head the anchor lists (the
  round's own to the anchor), in the order they were written.
- **The public kit** (:func:`build_public_kit`), offered on a published round's public
  summary, holds the round's stretch of the legacy chain, if it has one (from its first
  event there to the anchor or the legacy head the anchor lists), and the round's own
  chain to the anchor. It shows in full only the round's events behind its published
  result (:data:`PUBLIC_ACTIONS`: the rubric, the phases, the decisions, an over-budget
  acknowledgement, a format-4 anchor); every other event is sealed to its envelope
  (position, round, digest: trail format 3, docs/trail.md), which the checker chains
  through without seeing what it says. It exists only when every sealed event is of
  format 3 or later and every shown one of format 2 or later (no personal data in the
  hash): :func:`public_kit_problem` says why not otherwise.
"""
from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from sqlalchemy import func, select

from panel.audit.anchors import listed_heads, round_anchor
from panel.audit.chain import LEGACY
from panel.audit.models import FORMAT_DIGESTED, PUBLIC_ACTIONS, AuditAnchor, AuditEvent
from panel.audit.personal import FORMAT_SEALED
from panel.extensions import db
from panel.rounds.models import Round
from panel.spreadsheets import CsvWriter

VERIFIER = "verify_trail.py"
CONTENT = ("id", "seq", "v", "occurred_at", "actor_id", "actor", "action", "object_type", "object_id",
           "round_id", "before", "after")
COLUMNS = (*CONTENT, "public", "salt", "digest", "prev_hash", "hash")
BATCH = 2000
README = """\
Verification kit: the decision trail of "{title}" ({slug})

When the round was decided, FairPanel recorded a fingerprint of the whole decision trail:
event {event_id}, SHA-256 {event_hash}.
If anyone later changed, added or removed a record, the fingerprint would no longer match.

This folder holds:
  trail.csv        {trail_line}
  anchors.csv      the fingerprint recorded when the round was decided
  verify_trail.py  a checker: Python 3 and its standard library, nothing else
{scope}
To check it, open a terminal in this folder and run:

  python3 verify_trail.py
  python3 -c "import hashlib; print(hashlib.sha256(open('trail.csv','rb').read()).hexdigest())"

The first recomputes every fingerprint and prints "The trail holds: ..." when nothing was
changed (and names the first altered or missing event when something was). The second
prints a fingerprint of trail.csv itself, to quote when you tell others which copy you
checked. Compare the anchor it prints with the one on the round's published summary.
"""

AUDITOR_TRAIL = ("every event up to that point, with every field its fingerprint covers\n"
                 "                   (personal values appear only as sealed commitments in "
                 "newer events)")
PUBLIC_TRAIL = "every event from the round's first to that point"
PUBLIC_SCOPE = """
What it shows. The events that fixed the published result are shown in full: the
scoring rubric, the round's phases, the panel's decision on each application (by its
reference), and any acknowledgement of deciding over budget. Every other event (panel
members' scores, their connections, other rounds, accounts) is "sealed": trail.csv
gives only its number, its round and a salted fingerprint of its contents, enough to
prove the chain is unbroken without showing what the event says. Names, e-mail
addresses and written reasons are sealed in every event.
"""


def kit_name(round_: Round) -> str:
    return f"{round_.slug}-verification-kit.zip"


def build_kit(round_: Round) -> bytes | None:
    """The auditor's kit as a .zip, or None when the round has no anchor (not decided)."""
    anchor = round_anchor(round_)
    if anchor is None:
        return None
    return _zipped(round_, anchor, trail_csv(_scope(round_, anchor)), AUDITOR_TRAIL, "")


def build_public_kit(round_: Round) -> bytes | None:
    """The public kit as a .zip, or None when there is none (:func:`public_kit_problem`)."""
    anchor = round_anchor(round_)
    if anchor is None or public_kit_problem(round_) is not None:
        return None
    rows = trail_csv(_scope(round_, anchor, public=True), shown_round=round_.id)
    return _zipped(round_, anchor, rows, PUBLIC_TRAIL, PUBLIC_SCOPE)


def public_kit_problem(round_: Round) -> str | None:
    """Why this round has no public kit, in words, or None when it has one. Only its
    stretch of the legacy chain can hold such events: a format-4 chain is the round's
    alone, every event of it digested."""
    anchor = round_anchor(round_)
    if anchor is None:
        return "The round has not been decided, so there is no fingerprint to check yet."
    scope = _scope(round_, anchor, public=True)
    if scope.legacy_to is None:
        return None
    is_shown = (AuditEvent.round_id == round_.id) & (
        AuditEvent.public.is_(True) | ((AuditEvent.format < FORMAT_DIGESTED)
                                       & AuditEvent.action.in_(PUBLIC_ACTIONS)))
    unsafe = db.session.scalar(
        select(func.count()).select_from(AuditEvent)
        .where(AuditEvent.chain.is_(None),
               AuditEvent.id.between(scope.start, scope.legacy_to))
        .where((is_shown & (AuditEvent.format < FORMAT_SEALED))
               | (~is_shown & (AuditEvent.format < FORMAT_DIGESTED))))
    if unsafe:
        return ("Part of this round's trail was written before FairPanel could seal other "
                "rounds' records out of a public copy, so its kit is kept for auditors.")
    return None


@dataclass(frozen=True)
class Scope:
    """Which events a kit holds: ids from ``start`` to ``up_to``; of the legacy chain, up
    to ``legacy_to`` (None: none of it); of each format-4 chain, up to its position in
    ``limits`` (absent: none of it). ``only`` narrows the query to the chains a public
    kit holds, so it does not read other rounds' events only to leave them out."""

    start: int
    up_to: int
    legacy_to: int | None
    limits: dict[int, int] = field(default_factory=dict)
    only: Any = None

    def holds(self, event: AuditEvent) -> bool:
        if event.chain is None:
            return self.legacy_to is not None and event.id <= self.legacy_to
        return event.seq is not None and event.seq <= self.limits.get(event.chain, 0)


def _scope(round_: Round, anchor: AuditAnchor, *, public: bool = False) -> Scope:
    """What the anchor vouches for (public: the round's part of it). Every event it
    vouches for was written before it, so has a smaller id."""
    anchored = db.session.get(AuditEvent, anchor.event_id)
    first_legacy = _first_legacy_event(round_) if public else 1
    if anchored is None or anchored.chain_key is LEGACY:
        return Scope(first_legacy or 1, anchor.event_id, anchor.event_id,
                     only=AuditEvent.chain.is_(None))
    try:
        heads = listed_heads(anchored)
    except ValueError:
        heads = {}
    legacy = heads.get(LEGACY)
    own = {anchored.chain: anchored.seq}
    if not public:
        limits = {chain: position for chain, (position, _) in heads.items()
                  if chain is not LEGACY}
        return Scope(1, anchor.event_id, legacy[0] if legacy else None, {**limits, **own})
    in_round = (AuditEvent.chain == anchored.chain) | AuditEvent.chain.is_(None)
    if first_legacy is None or legacy is None:
        start = db.session.scalar(select(func.min(AuditEvent.id))
                                  .where(AuditEvent.chain == anchored.chain))
        return Scope(start or 1, anchor.event_id, None, own, only=in_round)
    return Scope(first_legacy, anchor.event_id, legacy[0], own, only=in_round)


def _first_legacy_event(round_: Round) -> int | None:
    return db.session.scalar(select(func.min(AuditEvent.id))
                             .where(AuditEvent.round_id == round_.id,
                                    AuditEvent.chain.is_(None)))


def _zipped(round_: Round, anchor: AuditAnchor, rows: Iterator[str], trail_line: str,
            scope: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as kit:
        kit.writestr(VERIFIER, files("panel.audit").joinpath(VERIFIER).read_bytes())
        kit.writestr("trail.csv", "".join(rows))
        kit.writestr("anchors.csv", anchors_csv(round_, anchor))
        kit.writestr("README.txt", README.format(
            title=round_.title, slug=round_.slug, event_id=anchor.event_id,
            event_hash=anchor.event_hash, trail_line=trail_line, scope=scope))
    return out.getvalue()


def trail_csv(scope: Scope | int, *, shown_round: int | None = None) -> Iterator[str]:
    """trail.csv, the events of ``scope`` (or of the legacy chain up to an id) in the
    order they were written: one column per hashed field (empty for null, and ``v``
    empty for format-1 events, whose hash has no ``v``; ``id`` for formats 1 to 3,
    ``seq`` for format 4; ``before`` and ``after`` as JSON, commitments and all, never
    the sealed values), the salt and digest of a format-3 or 4 event, then the hashes.
    With ``shown_round``, only that round's :data:`PUBLIC_ACTIONS` are shown; other
    events are sealed to their envelope."""
    if isinstance(scope, int):
        scope = Scope(1, scope, scope)
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(COLUMNS)
    last = scope.start - 1
    query = select(AuditEvent).where(AuditEvent.id <= scope.up_to)
    if scope.only is not None:
        query = query.where(scope.only)
    while last < scope.up_to:
        events = db.session.scalars(
            query.where(AuditEvent.id > last).order_by(AuditEvent.id).limit(BATCH)).all()
        if not events:
            break
        for event in filter(scope.holds, events):
            shown = shown_round is None or (event.round_id == shown_round
                                            and _is_public(event))
            writer.writerow(_row(event) if shown else _sealed_row(event))
        last = events[-1].id
        yield _emptied(buffer)
    yield _emptied(buffer)


def _is_public(event: AuditEvent) -> bool:
    """Format 3 says so in its hash; an earlier event by its action."""
    if event.format >= FORMAT_DIGESTED:
        return bool(event.public)
    return event.action in PUBLIC_ACTIONS


def _row(event: AuditEvent) -> list:
    payload = {**event.content(), "id": event.id, "seq": event.seq}
    cells = [_cell(name, payload.get(name)) for name in CONTENT]
    if event.format < FORMAT_DIGESTED:
        return [*cells, "", "", "", event.prev_hash, event.hash]
    return [*cells, _flag(event), event.salt, event.digest(), event.prev_hash, event.hash]


def _sealed_row(event: AuditEvent) -> list:
    by_name = {"id": event.id, "seq": event.seq, "v": event.format,
               "round_id": event.round_id}
    cells = [_cell(name, by_name.get(name)) for name in CONTENT]
    return [*cells, _flag(event), "", event.digest(), event.prev_hash, event.hash]


def _flag(event: AuditEvent) -> str:
    return "1" if event.public else "0"


def _cell(name: str, value) -> str:
    if value is None:
        return ""
    if name in ("before", "after"):
        # Exactly as the hash read it; a JSON object starts with "{", never a formula.
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def anchors_csv(round_: Round, anchor: AuditAnchor) -> str:
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(["round", "round_id", "event_id", "event_hash", "recorded_at"])
    writer.writerow([round_.slug, round_.id, anchor.event_id, anchor.event_hash,
                     anchor.recorded_at.isoformat(timespec="seconds") + "Z"])
    return buffer.getvalue()


def _emptied(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
