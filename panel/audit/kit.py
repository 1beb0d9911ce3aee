"""The verification kit of a decided round: a .zip that lets someone without FairPanel
check the decision trail up to the round's anchor (DESIGN.md §7).

- ``verify_trail.py``: :mod:`panel.audit.verify_trail`, copied as it is (standard
  library only);
- ``trail.csv``: every field each event's hash covers, with ``prev_hash`` and ``hash``,
  from the first event of the chain to the anchored one. The chain is one for the whole
  site, so events of other rounds (and of accounts) before the anchor are in it too:
  without them the hashes cannot be recomputed;
- ``anchors.csv``: the round's anchor;
- ``README.txt``: what it is and the two commands.

Events of trail format 2 (docs/trail.md) name people in their hashed fields by id only:
personal values are there as salted commitments, never as values, and ``actor`` is
"person" or the command that acted. A round whose trail up to its anchor is all format 2
therefore has a kit with no personal data in it. Events written before the switch
(format 1) hash the actor's e-mail and some names and addresses, and the kit must carry
them as they are: while a kit reaches back to them, it is for those who may read the
whole trail (auditors)."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from importlib.resources import files

from sqlalchemy import select

from panel.audit.anchors import round_anchor
from panel.audit.models import AuditAnchor, AuditEvent
from panel.extensions import db
from panel.rounds.models import Round
from panel.spreadsheets import escaped

VERIFIER = "verify_trail.py"
COLUMNS = ("id", "v", "occurred_at", "actor_id", "actor", "action", "object_type", "object_id",
           "round_id", "before", "after", "prev_hash", "hash")
BATCH = 2000

README = """\
Verification kit: the decision trail of "{title}" ({slug})

When the round was decided, FairPanel recorded a fingerprint of the whole decision trail:
event {event_id}, SHA-256 {event_hash}.
If anyone later changed, added or removed a record, the fingerprint would no longer match.

This folder holds:
  trail.csv        every event up to that point, with every field its fingerprint covers
                   (personal values appear only as sealed commitments in newer events)
  anchors.csv      the fingerprint recorded when the round was decided
  verify_trail.py  a checker: Python 3 and its standard library, nothing else

To check it, open a terminal in this folder and run:

  python3 verify_trail.py
  python3 -c "import hashlib; print(hashlib.sha256(open('trail.csv','rb').read()).hexdigest())"

The first recomputes every fingerprint and prints "The trail holds: ..." when nothing was
changed (and names the first altered or missing event when something was). The second
prints a fingerprint of trail.csv itself, to quote when you tell others which copy you
checked. Compare the anchor it prints with the one on the round's published summary.
"""


def kit_name(round_: Round) -> str:
    return f"{round_.slug}-verification-kit.zip"


def build_kit(round_: Round) -> bytes | None:
    """The kit as a .zip, or None when the round has no anchor (not decided yet)."""
    anchor = round_anchor(round_)
    if anchor is None:
        return None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as kit:
        kit.writestr(VERIFIER, files("panel.audit").joinpath(VERIFIER).read_bytes())
        kit.writestr("trail.csv", "".join(trail_csv(anchor.event_id)))
        kit.writestr("anchors.csv", anchors_csv(round_, anchor))
        kit.writestr("README.txt", README.format(title=round_.title, slug=round_.slug,
                                                 event_id=anchor.event_id,
                                                 event_hash=anchor.event_hash))
    return out.getvalue()


def trail_csv(up_to: int) -> Iterator[str]:
    """trail.csv, from event 1 to ``up_to``: one column per hashed field (empty for
    null, and ``v`` empty for format-1 events, whose hash has no ``v``; ``before`` and
    ``after`` as JSON, commitments and all, never the sealed values), then the hashes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    last = 0
    while last < up_to:
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > last, AuditEvent.id <= up_to)
            .order_by(AuditEvent.id).limit(BATCH)).all()
        if not events:
            break
        for event in events:
            writer.writerow(_row(event))
        last = events[-1].id
        yield _emptied(buffer)
    yield _emptied(buffer)


def _row(event: AuditEvent) -> list:
    payload = event.canonical()
    cells = [_cell(name, payload.get(name)) for name in COLUMNS[:-2]]
    return [*cells, event.prev_hash, event.hash]


def _cell(name: str, value) -> str:
    if value is None:
        return ""
    if name in ("before", "after"):
        # Exactly as the hash read it; a JSON object starts with "{", never a formula.
        return json.dumps(value, ensure_ascii=False)
    return escaped(str(value))


def anchors_csv(round_: Round, anchor: AuditAnchor) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["round", "event_id", "event_hash", "recorded_at"])
    writer.writerow([escaped(round_.slug), anchor.event_id, anchor.event_hash,
                     anchor.recorded_at.isoformat(timespec="seconds") + "Z"])
    return buffer.getvalue()


def _emptied(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
