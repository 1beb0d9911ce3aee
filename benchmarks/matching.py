"""Matching connections (panel/conflicts/matching.py, DESIGN.md §5): precision and recall
on the labelled pairs of tests/data/matching_pairs.csv, by class, and the time to match
2,000 panellists' connections against 20,000 applications the way
:func:`panel.conflicts.suggestions.find_for_round` does (build the candidate index once,
then run the rules on each panellist's candidates), in memory, beside a floor measured in
the same run: one pass of plain dict lookups over the same lower-cased words.

    .venv/bin/python benchmarks/matching.py [--checkout DIR] [--panellists 2000]
                                            [--applications 20000] [--seed N]

``--checkout DIR`` measures another checkout's matcher (e.g. a worktree of main, for the
"before" figures) on this checkout's labelled pairs and synthetic round. Prints figures;
never asserts."""
from __future__ import annotations

import argparse
import csv
import importlib
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
PAIRS = HERE / "tests" / "data" / "matching_pairs.csv"

TOWNS = ["Ashby", "Bilston", "Clitheroe", "Darlaston", "Eccles", "Farnworth", "Gorton",
         "Hulme", "Irlam", "Kirkby", "Ladywood", "Moseley", "Netherton", "Ordsall",
         "Pendleton", "Quarry Bank", "Rowley", "Sedgley", "Tipton", "Walkden", "Wombourne",
         "Yardley", "Acocks Green", "Brierley Hill", "Coseley", "Dudley", "Erdington",
         "Halesowen", "Kingswinford", "Lye", "Oldbury", "Smethwick", "Wednesbury"]
KINDS = ["Food Bank", "Foodbank", "Community Centre", "Men's Shed", "Youth Club",
         "Tenants and Residents Association", "TRA", "Allotment Society", "Arts Trust",
         "Football Club", "FC", "Cricket Club", "Community Choir", "Repair Café",
         "Good Neighbours", "Carers Group", "Baptist Church", "Methodist Church", "WI",
         "U3A", "Council for Voluntary Service", "CVS", "Women's Aid", "Mind",
         "Grow Well", "Bike Works", "Community Garden", "Library Friends", "PTA",
         "Heritage Group", "Canal Trust", "Boxing Club", "Dance School", "Radio CIC"]
GIVEN = ["Joanne", "Jo", "William", "Bill", "Kathleen", "Kath", "Mohammed", "Mo", "Priya",
         "Helen", "Sam", "Samantha", "David", "Dave", "Grace", "Tariq", "Amira", "Ngozi",
         "Siobhan", "Tomasz", "Elizabeth", "Liz", "Margaret", "Peggy", "Robert", "Bob",
         "Stephen", "Steve", "Fatima", "Kwame", "Anne-Marie", "Raj", "Harjit", "Chris"]
SURNAMES = ["Whitfield", "Hargreaves", "Doyle", "Rahman", "Patel", "Marsh", "Adeyemi",
            "Okafor", "Mensah", "Mahmood", "Begum", "Eze", "O'Connor", "Nowicki", "Baptiste",
            "Thornton", "Ashworth", "Marsden", "Khan", "Asante", "Lewis", "Singh", "Smith",
            "Jones", "Hollis", "Kowalski", "Fairclough", "Brennan", "Gallagher", "Ridley",
            "Osei", "Sharma", "Clarke", "Green", "Morgan", "Hussain", "Ali", "Iqbal"]
DOMAINS = ["gmail.com", "nhs.net", "hotmail.co.uk", "dudley.gov.uk", "bham.ac.uk",
           "btinternet.com", "outlook.com"]


def load_matcher(checkout: Path | None):
    """``panel.conflicts.matching`` from ``checkout`` (this one by default)."""
    sys.path.insert(0, str(checkout or HERE))
    module = importlib.import_module("panel.conflicts.matching")
    print(f"matcher: {module.__file__}")
    return module


def read_pairs() -> list[dict[str, str]]:
    with PAIRS.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def scores(matching, pairs) -> None:
    counts: dict[str, Counter] = {}
    for pair in pairs:
        got = matching.match_value(pair["connection"], pair["field"], pair["value"]) is not None
        expected = pair["match"] == "yes"
        outcome = ("tp" if expected else "fp") if got else ("fn" if expected else "tn")
        for name in (pair["class"], "all"):
            counts.setdefault(name, Counter())[outcome] += 1
    print(f"\nlabelled pairs: {len(pairs)} ({PAIRS.relative_to(HERE)})")
    print(f"  {'class':<18}{'pairs':>6}{'precision':>11}{'recall':>8}{'wrong':>7}")
    for name in sorted(counts, key=lambda n: (n == "all", n)):
        c = counts[name]
        found, real = c["tp"] + c["fp"], c["tp"] + c["fn"]
        precision = f"{c['tp'] / found:.3f}" if found else "-"
        recall = f"{c['tp'] / real:.3f}" if real else "-"
        print(f"  {name:<18}{c.total():>6}{precision:>11}{recall:>8}{c['fp'] + c['fn']:>7}")


def make_round(seed: int, panellists: int, applications: int):
    """Applications with a name, an organisation, a contact e-mail and a lead contact;
    panellists with 2–6 connections each. Names are drawn the way a region's are: a few
    hundred places, thousands of made-up distinctive words and surnames, and the common
    kinds, given names and surnames above again and again, so that many pairs share
    words; one connection in ten is an application's own organisation or person, as typed
    (so that some really match)."""
    rng = random.Random(seed)
    syllables = ["ash", "bel", "cor", "dun", "el", "fen", "gar", "hol", "ing", "kel", "lan",
                 "mor", "nor", "ock", "pen", "ril", "sel", "tor", "ul", "ven", "wick", "yar"]

    def made_up() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).title()

    towns = TOWNS + [made_up() + rng.choice(["", "ton", "ley", "field"]) for _ in range(300)]
    words = [made_up() for _ in range(3_000)]
    surnames = [made_up() + rng.choice(["", "s", "son"]) for _ in range(3_000)]

    def organisation() -> str:
        distinctive = f"{rng.choice(words)} " if rng.random() < 0.7 else ""
        return f"{rng.choice(towns)} {distinctive}{rng.choice(KINDS)}"

    def person() -> str:
        surname = rng.choice(SURNAMES) if rng.random() < 0.2 else rng.choice(surnames)
        return f"{rng.choice(GIVEN)} {surname}"

    def email(name: str) -> str:
        local = name.lower().replace(" ", ".").replace("'", "")
        return f"{local}@{rng.choice(DOMAINS)}"

    apps = {}
    for key in range(applications):
        name = person()
        apps[key] = {"applicant_name": name, "organisation": organisation(),
                     "contact_email": email(name), "lead_contact": person()}
    members = []
    for _ in range(panellists):
        connections = []
        for _ in range(rng.randint(2, 6)):
            kind = rng.random()
            if kind < 0.1:
                connections.append(apps[rng.randrange(applications)][
                    rng.choice(["applicant_name", "organisation", "lead_contact"])])
            else:
                connections.append(organisation() if kind < 0.6 else person() if kind < 0.85
                                   else email(person()) if kind < 0.95
                                   else rng.choice(DOMAINS))
        members.append(connections)
    return apps, members


def timed(apps, members, matching) -> tuple[float, float, int, int]:
    """The index, then each member's candidates through the rules, as
    suggestions._findings does; returns the time and CPU time (the machine may be
    shared), applications checked and applications matched."""
    start, cpu = time.perf_counter(), time.process_time()
    index = matching.Candidates(apps)
    checked = matched = 0
    for connections in members:
        if hasattr(index, "pairs"):  # the (connection, field) pairs worth checking
            for key, only in index.pairs(connections).items():
                checked += 1
                matched += bool(matching.match_fields(connections, apps[key], only=only))
            continue
        for key in index.of(connections):  # an older matcher (--checkout)
            checked += 1
            matched += bool(matching.match_fields(connections, apps[key]))
    return time.perf_counter() - start, time.process_time() - cpu, checked, matched


def floor(apps, members) -> tuple[float, float]:
    """One pass of plain dict lookups over the same lower-cased words: an index of every
    word of every field, then every word of every connection looked up once."""
    start, cpu = time.perf_counter(), time.process_time()
    index: dict[str, set[int]] = {}
    for key, fields in apps.items():
        for value in fields.values():
            for word in value.lower().split():
                index.setdefault(word, set()).add(key)
    hits = 0
    for connections in members:
        for connection in connections:
            for word in connection.lower().split():
                hits += len(index.get(word, ()))
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=None)
    parser.add_argument("--panellists", type=int, default=2_000)
    parser.add_argument("--applications", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=23)
    args = parser.parse_args()
    matching = load_matcher(args.checkout)
    scores(matching, read_pairs())
    apps, members = make_round(args.seed, args.panellists, args.applications)
    connections = sum(len(m) for m in members)
    print(f"\nmatching {args.panellists:,} panellists ({connections:,} connections) against "
          f"{args.applications:,} applications (4 identifying fields each)")
    base, base_cpu = floor(apps, members)
    took, cpu, checked, matched = timed(apps, members, matching)
    print(f"  matcher: {took:.2f} s, {cpu:.2f} s of CPU ({checked:,} candidate applications "
          f"checked, {matched:,} matched)")
    print(f"  floor (one pass of dict lookups over the same words): {base:.2f} s, "
          f"{base_cpu:.2f} s of CPU ({took / base:.0f}x)")
    print(f"  load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
