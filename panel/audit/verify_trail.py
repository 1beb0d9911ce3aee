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
commitment: the check needs only what is in trail.csv, never the values themselves. It prints "The trail holds: ..." and exits 0, or names the first bad
event and exits 1. Compare the anchor it prints with the one on the published summary:
the kit proves the trail matches that fingerprint, the published copy proves the
fingerprint is the one FairPanel showed when the round was decided.

This file is shipped inside FairPanel (panel/audit/verify_trail.py) and copied into every
kit as it is; it imports nothing from FairPanel.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import sys

GENESIS_HASH = "0" * 64
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The hashed fields, in trail.csv's order; those that may be empty (null) in the hash.
FIELDS = ("id", "v", "occurred_at", "actor_id", "actor", "action", "object_type",
          "object_id", "round_id", "before", "after")
NULLABLE = ("actor_id", "object_type", "object_id", "round_id", "before", "after")
# Empty for an event of format 1: its hash has no such key at all.
ABSENT_WHEN_EMPTY = ("v",)


def canonical_json(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev_hash: str, payload: dict) -> str:
    return hashlib.sha256((prev_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


def unescape_cell(text: str) -> str:
    """Text that a spreadsheet would run as a formula was written with a leading
    apostrophe (as in every FairPanel CSV); take it off again."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def payload_of(row: dict) -> dict:
    """The event as FairPanel hashed it, from one row of trail.csv."""
    payload = {}
    for name in FIELDS:
        cell = unescape_cell(row[name])
        if name in ABSENT_WHEN_EMPTY and cell == "":
            continue
        if name in NULLABLE and cell == "":
            payload[name] = None
        elif name in ("id", "v", "actor_id", "round_id"):
            payload[name] = int(cell)
        elif name in ("before", "after"):
            payload[name] = json.loads(cell)
        else:
            payload[name] = cell
    return payload


class Broken(Exception):
    def __init__(self, event: str, problem: str):
        super().__init__(f"event {event}: {problem}")


def check_trail(rows: list[dict]) -> dict[int, str]:
    """Every event's hash by id; raises :class:`Broken` at the first bad event."""
    hashes = {}
    expected_prev, expected_id = GENESIS_HASH, 1
    for row in rows:
        label = f"{row.get('id', '?')} ({row.get('action', '?')})"
        try:
            payload = payload_of(row)
        except (ValueError, KeyError) as error:
            raise Broken(label, f"a field cannot be read ({error})") from None
        if payload["id"] != expected_id:
            raise Broken(label, f"expected event {expected_id} here; an event is missing "
                                "or out of place")
        if row["prev_hash"] != expected_prev:
            raise Broken(label, "its previous hash does not match the event before it")
        if event_hash(row["prev_hash"], payload) != row["hash"]:
            raise Broken(label, "its contents do not match its hash; it was altered")
        hashes[payload["id"]] = row["hash"]
        expected_prev, expected_id = row["hash"], expected_id + 1
    return hashes


def check_anchors(anchors: list[dict], hashes: dict[int, str]) -> list[str]:
    """One line per anchor that matches; raises :class:`Broken` at one that does not."""
    if not anchors:
        raise Broken("-", "anchors.csv holds no anchor")
    lines = []
    for anchor in anchors:
        event_id = int(anchor["event_id"])
        if event_id not in hashes:
            raise Broken(str(event_id), "the anchored event is missing from the trail")
        if hashes[event_id] != anchor["event_hash"]:
            raise Broken(str(event_id), f"its hash {hashes[event_id]} is not the anchored "
                                        f"{anchor['event_hash']}")
        lines.append(f"anchor of {anchor['round']} at event {event_id} "
                     f"({anchor['event_hash']}) matches")
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
        hashes = check_trail(rows)
        matched = check_anchors(anchors, hashes)
    except Broken as broken:
        print(f"The trail does not hold: {broken}.")
        return 1
    print(f"The trail holds: {len(rows)} events, " + "; ".join(matched) + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
