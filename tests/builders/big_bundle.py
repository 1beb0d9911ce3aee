"""A large, realistic round bundle written to a folder: the round of issue 17's import
target (5,000 applications, 300 panellists, 24,000 submitted sheets, 60,000 conflicts)
or any smaller one, for benchmarks/import_round.py and the size-limit tests.

Organisations are made from a few hundred place names and common words, so conflict
matching meets what a real round gives it: many applications sharing a place name,
and a few panellists whose connections really match an applicant."""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

PLACES = [f"{a}{b}" for a in ("North", "East", "West", "South", "Ash", "Oak", "Brook",
                               "Kings", "Mill", "Stone", "Elm", "Fern", "Hill", "Lark",
                               "Marsh", "Red", "Black", "White", "Green", "Castle")
          for b in ("field", "gate", "bury", "ton", "wood", "mere", "ford", "ham",
                    "stead", "worth", "brook", "dale")]
THINGS = ("Growers", "Food Club", "Carers Network", "Youth Project", "Heritage Walks",
          "Men's Shed", "Warm Space", "Arts Collective", "Allotments", "Tenants Association",
          "Cycling Club", "Reading Circle", "Choir", "Dementia Cafe", "Refugee Welcome")
LEGAL = ("CIC", "Trust", "", "", "Ltd", "Association")
FIRST = ("Priya", "Tom", "Amira", "Dave", "Grace", "Nils", "Ruth", "Sam", "Jo", "Kai",
         "Helen", "Omar", "Lucy", "Ben", "Mei", "Tariq", "Anna", "Femi", "Rosa", "Ivan")
LAST = ("Sharma", "Gallagher", "Okafor", "Lindqvist", "Adeyemi", "Marsh", "Khan", "Evans",
        "Nowak", "Murphy", "Patel", "Jones", "Smith", "Osei", "Chen", "Hughes", "Ali",
        "Brown", "Reid", "Silva")
CRITERIA = ("benefit", "community", "delivery", "value")
GROUPS = ("academic", "lived_experience")


def round_json(slug: str) -> dict:
    return {"title": "A national round", "slug": slug, "budget": 5_000_000,
            "groups": [{"key": key} for key in GROUPS],
            "criteria": [{"key": key, "name": key.title()} for key in CRITERIA],
            "identifying_columns": ["lead_contact_phone"]}


def write_bundle(folder: Path, *, applications: int = 5_000, panellists: int = 300,
                 sheets: int = 24_000, conflicts: int = 60_000, slug: str = "national-2026",
                 seed: int = 17) -> Path:
    """Write the bundle's CSV files and round.json into ``folder`` (created); returns it.
    Each panellist scores and declares conflicts on different applications, so the
    requested counts must fit: sheets + conflicts ≤ applications × panellists."""
    if sheets + conflicts > applications * max(panellists - 1, 0):
        raise ValueError("more sheets and conflicts than panellist-application pairs")
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "round.json").write_text(json.dumps(round_json(slug), indent=1), encoding="utf-8")
    organisations = _applications(folder, applications, rng)
    people = _panellists(folder, panellists, organisations, rng)
    scorers = people[1:]  # the first is the chair
    pairs = _pairs(len(scorers), applications, sheets + conflicts, rng)
    _write(folder / "scores.csv", ["email", "reference", "stage", *CRITERIA, "comment"],
           ([scorers[p], _reference(a), "initial", *(rng.randint(1, 5) for _ in CRITERIA),
             "Scored on paper" if rng.random() < 0.2 else ""] for p, a in pairs[:sheets]))
    _write(folder / "conflicts.csv", ["email", "reference", "kind", "details", "level"],
           ([scorers[p], _reference(a), "local", "Lives nearby", "step_out"]
            for p, a in pairs[sheets:]))
    return folder


def _reference(number: int) -> str:
    return f"NR-{number + 1:05d}"


def _applications(folder: Path, count: int, rng: random.Random) -> list[str]:
    organisations = [" ".join(filter(None, (rng.choice(PLACES), rng.choice(THINGS),
                                            rng.choice(LEGAL)))) for _ in range(count)]
    _write(folder / "applications.csv",
           ["reference", "title", "lay_summary", "requested_amount", "applicant_name",
            "organisation", "contact_email", "area", "lead_contact_phone"],
           ([_reference(i), f"Project {i + 1}: {organisations[i]}",
             "We want to bring people together so they feel less alone. " * 3,
             rng.randrange(2_000, 60_000), f"{rng.choice(FIRST)} {rng.choice(LAST)}",
             organisations[i], f"contact{i + 1}@org{i + 1}.example", "a market town",
             f"07700 {900000 + i:06d}"] for i in range(count)))
    return organisations


def _panellists(folder: Path, count: int, organisations: list[str],
                rng: random.Random) -> list[str]:
    emails = [f"member{i + 1:04d}@panel.example" for i in range(count)]

    def connections(i: int) -> str:
        # One in ten is connected to an applicant; everyone names a place and a club.
        mine = [f"{rng.choice(PLACES)} Bowls Club", f"{rng.choice(LAST)} Family Trust"]
        if i % 10 == 0 and organisations:
            mine.append(rng.choice(organisations))
        return ";".join(mine)

    _write(folder / "panellists.csv", ["email", "name", "group", "role", "affiliations"],
           ([email, f"{rng.choice(FIRST)} {rng.choice(LAST)}",
             "" if i == 0 else GROUPS[i % 2], "chair" if i == 0 else "panellist",
             connections(i)] for i, email in enumerate(emails)))
    return emails


def _pairs(people: int, applications: int, count: int,
           rng: random.Random) -> list[tuple[int, int]]:
    """``count`` different (person, application) pairs, spread evenly over people."""
    each, extra = divmod(count, people) if people else (0, 0)
    pairs = []
    for person in range(people):
        wanted = each + (1 if person < extra else 0)
        start = rng.randrange(applications)
        pairs += [(person, (start + k) % applications) for k in range(wanted)]
    rng.shuffle(pairs)
    return pairs


def _write(path: Path, headings: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(headings)
        writer.writerows(rows)
