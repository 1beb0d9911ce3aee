#!/usr/bin/env python3
"""Check a FairPanel decision trail without FairPanel: Python 3 and its standard library only.

Run it in the folder of the verification kit:

    python3 verify_trail.py

It reads trail.csv (every field each event's hash covers, and the hashes) and
anchors.csv (the fingerprint recorded when the round was decided), recomputes every
hash as FairPanel does,

    hash = SHA-256(previous hash + canonical JSON of the event)

(canonical JSON: keys sorted, no spaces, UTF-8 kept), and checks that the chain reaches
the anchored hash. Events of format 2 (a "v" of 2) hash "v": 2 too; where they held a
personal value (an e-mail, a name, free text) they hold {"sealed": "<SHA-256>"}, a salted
commitment: the check needs only what is in trail.csv, never the values themselves.

Events of format 3 (a "v" of 3) hash a small envelope instead of the event itself:

    hash = SHA-256(previous hash + canonical JSON of {"digest", "id", "public", "round_id", "v"})
    digest = SHA-256(salt + canonical JSON of the event)

"public" (1 or 0) marks, from the moment the event was written, the records behind a
round's published result: its rubric, its phases, its decisions. A row shown in full
carries the event and its salt, and the checker recomputes the digest from them; a row
sealed (in a kit anyone may download: another round's events, and the round's own scores
and conflicts) carries only its id, round, mark and digest, so its contents stay private
and the chain still checks from end to end. The checker counts the anchored round's
events shown and sealed, and refuses a kit that seals one of the round's public records.

Events of format 4 (a "v" of 4) belong to chains of their own: each round's events form
one chain, and events of no round the "site" chain. Each chain starts from the all-zero
hash, and an event's place in it is its "seq" (1, 2, 3, ... with no gaps), which its
digest and envelope name instead of its id:

    hash = SHA-256(previous hash in its chain + canonical JSON of {"digest", "public",
                   "round_id", "seq", "v"})

The anchor of a round decided since then is an event of the round's chain
("audit.anchored", shown in full) that lists the head of every other chain when the
round was decided ({"heads": {"legacy": [id, hash], "site": [seq, hash], "round 7":
[seq, hash], ...}}); the checker checks that each other chain in the kit ends exactly at
the head the anchor lists. Events of formats 1 to 3 come first, as the one chain they
always were.

A round funded by lottery has its draw in the kit (two public records): the checker
re-runs it, checking that sha256 of the published secret is the commitment recorded
before the draw and that the secret, the public input and the commitment's hash give
the recorded order (docs/rules.md, "The draw near the funding line").

It prints "The trail holds: ..." and exits 0, or names the first bad event and exits 1.
Compare the anchor it prints with the one on the published summary: the kit proves the
trail matches that fingerprint, the published copy proves the fingerprint is the one
FairPanel showed when the round was decided.

This file is shipped inside FairPanel (panel/audit/verify_trail.py) and copied into every
kit as it is; it imports nothing from FairPanel.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field

GENESIS_HASH = "0" * 64
# An apostrophe before a formula character (=, +, -, @, tab, CR) at the start of a cell
# or after a line break.
UNESCAPE = re.compile(r"(?:^|(?<=[\r\n]))'(?='*[=+\-@\t\r])")
# The hashed fields, in trail.csv's order; those that may be empty (null) in the hash.
FIELDS = ("id", "seq", "v", "occurred_at", "actor_id", "actor", "action", "object_type",
          "object_id", "round_id", "before", "after")
NULLABLE = ("actor_id", "object_type", "object_id", "round_id", "before", "after")
# Empty for an event of format 1: its hash has no such key at all.
ABSENT_WHEN_EMPTY = ("v",)
# From this format on, the chain hashes the envelope of a salted digest of the event.
DIGESTED = 3
# From this format on, each round has its own chain, and events of no round the site's;
# the event is named by its place in its chain ("seq"), not by its id.
CHAINED = 4
LEGACY = "legacy"


def chain_name(round_id: int | None) -> str:
    """The chain of a format-4 event, as an anchor names it."""
    return "site" if round_id is None else f"round {round_id}"


def canonical_json(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev_hash: str, payload: dict) -> str:
    return hashlib.sha256((prev_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


def unescape_cell(text: str) -> str:
    """Text that a spreadsheet would run as a formula was written with an apostrophe in
    front, at its start and after each line break (as in every FairPanel CSV); take one
    off again. The same rule as FairPanel's panel/spreadsheets.py, which a test checks."""
    return UNESCAPE.sub("", text)


def version_of(row: dict) -> int:
    return int(row["v"]) if row["v"].strip() else 1


def payload_of(row: dict) -> dict:
    """The event as FairPanel hashed it, from one row of trail.csv."""
    payload = {}
    chained = version_of(row) >= CHAINED
    for name in FIELDS:
        if name == ("id" if chained else "seq"):
            continue  # format 4 names the event by its place in its chain
        cell = unescape_cell(row[name])
        if name in ABSENT_WHEN_EMPTY and cell == "":
            continue
        if name in NULLABLE and cell == "":
            payload[name] = None
        elif name in ("id", "seq", "v", "actor_id", "round_id"):
            payload[name] = int(cell)
        elif name in ("before", "after"):
            payload[name] = json.loads(cell)
        else:
            payload[name] = cell
    return payload


def digest_of(salt: str, payload: dict) -> str:
    return hashlib.sha256((salt + canonical_json(payload)).encode("utf-8")).hexdigest()


def hashed_of(row: dict) -> tuple[dict, bool]:
    """What the chain hashed for this row, and whether the event itself is shown.
    Formats 1 and 2: the event. Format 3: its envelope, with the digest recomputed from
    the event and its salt when they are shown (and checked against the digest given)."""
    version = version_of(row)
    if version < DIGESTED:
        return payload_of(row), True
    event_id = int(row["id"])
    seq = int(row["seq"]) if version >= CHAINED else None
    round_id = int(row["round_id"]) if row["round_id"].strip() else None
    shown = bool(row.get("salt", "").strip())
    if shown:
        digest = digest_of(row["salt"], payload_of(row))
        if row.get("digest", "").strip() and row["digest"] != digest:
            raise ValueError("its contents do not match its digest; it was altered")
    else:
        digest = row.get("digest", "")
        if len(digest) != 64:
            raise ValueError("it is sealed but has no digest")
    public = row.get("public", "").strip()
    if public not in ("0", "1"):
        raise ValueError("its public mark is neither 0 nor 1")
    if version >= CHAINED:
        return {"digest": digest, "public": public == "1", "round_id": round_id,
                "seq": seq, "v": version}, shown
    return {"digest": digest, "id": event_id, "public": public == "1", "round_id": round_id,
            "v": version}, shown


class Broken(Exception):
    def __init__(self, event: str, problem: str):
        super().__init__(f"event {event}: {problem}")


@dataclass
class Checked:
    """What the walk found: every event's hash by id, and which rows were shown; each
    chain's last position and hash, and which chain each event is in."""

    hashes: dict[int, str] = field(default_factory=dict)
    chains: dict[str, tuple[int, str]] = field(default_factory=dict)
    chain_of: dict[int, str] = field(default_factory=dict)
    after: dict[int, str] = field(default_factory=dict)
    shown: dict[int, bool] = field(default_factory=dict)
    public: dict[int, bool] = field(default_factory=dict)
    rounds: dict[int, int | None] = field(default_factory=dict)
    first_id: int = 0
    first_prev: str = GENESIS_HASH


def check_trail(rows: list[dict]) -> Checked:
    """Walk the rows in order; raises :class:`Broken` at the first bad event. The legacy
    chain (formats 1 to 3) starts at event 1 (from the all-zero hash) or, for a round's
    public kit, at the round's first event: the chain from there on is what it proves.
    Each format-4 chain starts at its first position, from the all-zero hash."""
    checked = Checked()
    expected_prev, expected_id = None, None
    for row in rows:
        label = f"{row.get('id', '?')} ({row.get('action') or 'sealed'})"
        try:
            event_id = int(row["id"])
            if event_id in checked.hashes:
                raise Broken(label, "its id appears twice in the trail")
            if version_of(row) >= CHAINED:
                _check_link(row, label, checked)
                continue
            hashed, shown = hashed_of(row)
        except ValueError as error:
            if "altered" in str(error) or "sealed" in str(error):
                raise Broken(label, str(error)) from None
            raise Broken(label, f"a field cannot be read ({error})") from None
        except KeyError as error:
            raise Broken(label, f"a field cannot be read ({error})") from None
        if checked.chains.keys() - {LEGACY}:
            raise Broken(label, "an event of the legacy chain (formats 1 to 3) comes after "
                                "one of a round's or the site's own chain")
        if expected_id is None:
            if event_id == 1 and row["prev_hash"] != GENESIS_HASH:
                raise Broken(label, "the first event must follow the all-zero hash")
            checked.first_id, checked.first_prev = event_id, row["prev_hash"]
            expected_prev, expected_id = row["prev_hash"], event_id
        if event_id != expected_id:
            raise Broken(label, f"expected event {expected_id} here; an event is missing "
                                "or out of place")
        _check_hashes(label, row, expected_prev, hashed)
        _keep(checked, event_id, LEGACY, event_id, row, hashed, shown)
        expected_prev, expected_id = row["hash"], expected_id + 1
    return checked


def _check_hashes(label: str, row: dict, expected_prev: str, hashed: dict) -> None:
    """The row follows the event before it in its chain, and its hash is its own."""
    if row["prev_hash"] != expected_prev:
        raise Broken(label, "its previous hash does not match the event before it")
    if event_hash(row["prev_hash"], hashed) != row["hash"]:
        raise Broken(label, "its contents do not match its hash; it was altered")


def _check_link(row: dict, label: str, checked: Checked) -> None:
    """One format-4 event, in its chain."""
    try:
        hashed, shown = hashed_of(row)
    except ValueError as error:
        if "altered" in str(error) or "sealed" in str(error):
            raise Broken(label, str(error)) from None
        raise Broken(label, f"a field cannot be read ({error})") from None
    chain = chain_name(hashed["round_id"])
    position, expected_prev = checked.chains.get(chain, (0, GENESIS_HASH))
    if hashed["seq"] != position + 1:
        raise Broken(label, f"expected position {position + 1} of the {chain} chain here; "
                            "an event is missing or out of place")
    _check_hashes(label, row, expected_prev, hashed)
    if not checked.hashes:
        checked.first_id, checked.first_prev = int(row["id"]), row["prev_hash"]
    _keep(checked, int(row["id"]), chain, hashed["seq"], row, hashed, shown)


def _keep(checked: Checked, event_id: int, chain: str, position: int, row: dict,
          hashed: dict, shown: bool) -> None:
    checked.hashes[event_id] = row["hash"]
    checked.chains[chain] = (position, row["hash"])
    checked.chain_of[event_id] = chain
    checked.after[event_id] = row.get("after", "") if shown else ""
    checked.shown[event_id] = shown
    checked.public[event_id] = bool(hashed.get("public"))
    checked.rounds[event_id] = hashed.get("round_id")


def check_anchors(anchors: list[dict], checked: Checked) -> list[str]:
    """One line per anchor that matches; raises :class:`Broken` at one that does not."""
    if not anchors:
        raise Broken("-", "anchors.csv holds no anchor")
    hashes = checked.hashes
    lines = []
    for anchor in anchors:
        event_id = int(anchor["event_id"])
        if event_id not in hashes:
            raise Broken(str(event_id), "the anchored event is missing from the trail")
        if hashes[event_id] != anchor["event_hash"]:
            raise Broken(str(event_id), f"its hash {hashes[event_id]} is not the anchored "
                                        f"{anchor['event_hash']}")
        _check_heads(event_id, checked)
        lines.append(f"anchor of {anchor['round']} at event {event_id} "
                     f"({anchor['event_hash']}) matches" + _round_counts(anchor, checked))
    return lines


def _check_heads(event_id: int, checked: Checked) -> None:
    """A format-4 anchor lists the head of every other chain: each other chain in the kit
    must end exactly there (else the kit holds events the anchor does not vouch for, or
    leaves out some it does)."""
    own = checked.chain_of[event_id]
    others = [chain for chain in checked.chains if chain != own]
    if own == LEGACY or not others:
        return
    if not checked.shown[event_id]:
        raise Broken(str(event_id), "the anchor is sealed, so the other chains in the kit "
                                    "cannot be checked against it")
    try:
        heads = json.loads(checked.after[event_id])["heads"]
        listed = {name: (int(position), hash_) for name, (position, hash_) in heads.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise Broken(str(event_id), "the anchor's list of chain heads cannot be read") from None
    for chain in others:
        if chain not in listed:
            raise Broken(str(event_id), f"the kit holds the {chain} chain, which the anchor "
                                        "does not list")
        if checked.chains[chain] != listed[chain]:
            position, hash_ = listed[chain]
            raise Broken(str(event_id), f"the {chain} chain does not end at the head the "
                                        f"anchor lists (position {position}, {hash_})")


def _round_counts(anchor: dict, checked: Checked) -> str:
    """How many of the anchored round's events the kit shows in full (a kit anyone may
    download shows those behind the published result, and seals the rest)."""
    round_id = (anchor.get("round_id") or "").strip()
    if not round_id:
        return ""
    ids = [i for i, r in checked.rounds.items() if r == int(round_id)]
    for i in ids:
        if checked.public[i] and not checked.shown[i]:
            raise Broken(str(i), "it is one of the records behind the round's published "
                                 "result, but the kit keeps it sealed")
    shown = sum(1 for i in ids if checked.shown[i])
    return f" ({len(ids)} events of the round: {shown} shown in full, {len(ids) - shown} sealed)"


# The draw near the funding line (FairPanel's rule "lottery") ------------------------------
# lottery.committed holds commitment = sha256(r) (hex) and the grey zone; lottery.drawn
# holds r (hex), the public input p and the draw order. The order is the grey zone by
# ascending key, key = sha256(seed + reference), seed = sha256(r + p + hash of the
# lottery.committed event), texts in UTF-8.

def draw_order(secret_hex: str, public_input: str, committed_hash: str,
               grey_zone: list) -> list:
    seed = hashlib.sha256(bytes.fromhex(secret_hex) + public_input.encode("utf-8")
                          + committed_hash.encode("utf-8")).digest()
    return sorted(grey_zone, key=lambda reference: hashlib.sha256(
        seed + reference.encode("utf-8")).hexdigest())


def check_draws(rows: list[dict]) -> list[str]:
    """One line per draw shown in the kit, re-run from its two events; raises
    :class:`Broken` at one that does not re-run."""
    shown = {row["id"]: row for row in rows if row.get("action", "").startswith("lottery.")}
    lines = []
    for row in shown.values():
        if row["action"] != "lottery.drawn":
            continue
        drawn = json.loads(unescape_cell(row["after"]))
        committed = shown.get(str(drawn["committed_event"]))
        if committed is None:
            raise Broken(row["id"], "the draw's commitment is not in the kit")
        commitment = json.loads(unescape_cell(committed["after"]))
        if hashlib.sha256(bytes.fromhex(drawn["secret"])).hexdigest() \
                != commitment["commitment"]:
            raise Broken(row["id"], "the draw's secret does not match its commitment")
        order = draw_order(drawn["secret"], drawn["public_input"], committed["hash"],
                           commitment["grey_zone"])
        if order != drawn["order"]:
            raise Broken(row["id"], f"the draw re-runs as {order}, not as recorded")
        lines.append(f"the draw at event {row['id']} re-runs: {', '.join(order)}")
    return lines


def read_csv(path: str) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def main(folder: str = ".") -> int:
    try:
        rows = read_csv(os.path.join(folder, "trail.csv"))
        anchors = read_csv(os.path.join(folder, "anchors.csv"))
    except OSError as error:
        print(f"Cannot read the kit: {error}. Run this in the kit's folder.")
        return 1
    try:
        checked = check_trail(rows)
        matched = check_anchors(anchors, checked) + check_draws(rows)
    except Broken as broken:
        print(f"The trail does not hold: {broken}.")
        return 1
    start = ("" if checked.first_id <= 1 else
             f" from event {checked.first_id} (after fingerprint {checked.first_prev})")
    print(f"The trail holds: {len(rows)} events{start}, " + "; ".join(matched) + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
