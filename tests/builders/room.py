"""A meeting as a real room holds it: four of the demo's applications, three academics
and three lived-experience panellists, scored so that the first item on the agenda has
one lived-experience sheet (the lone-member rule guards it) and the others have two or
three. Comments are written on some sheets; one is for the chair only. Used by the
meeting's browser test and by docs/screens/shoot.py.

Scores are on the demo's 1–5 scale with weights benefit 4, community 3, delivery 2,
value 1 (total 10); each answer counts (v − 1) / 4 of its weight, so 4,4,4,4 is 75.0 and
5,4,4,4 is (4 + 0.75 × 6) / 10 = 85.0. Groups weigh equally:

    CA-001  academics 85.0, 85.0, 75.0 → 81.7; one lived-experience sheet 0.0; score 40.8
    CA-002  academics 50.0, 50.0 → 50.0; lived experience 100.0, 100.0 → 100.0; score 75.0
    CA-003  everyone 75.0; score 75.0
    CA-004  academics 25.0, 25.0; lived experience 50.0, 50.0; score 37.5

so the agenda (largest gap first) is CA-001 (81.7), CA-002 (50), CA-004 (25), CA-003.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import select

from panel.accounts.models import User
from panel.bundle import import_bundle
from panel.extensions import db
from panel.rounds.models import Application, PanelMember
from panel.scoring.models import ScoreSheet

DEMO = Path(__file__).resolve().parents[2] / "panel" / "demo" / "bundle"
SLUG = "room-meeting"
CHAIR = "chair@room.example"
ACADEMICS = ("aca1@room.example", "aca2@room.example", "aca3@room.example")
LIVED = ("liv1@room.example", "liv2@room.example", "liv3@room.example")
NAMES = {"aca1@room.example": "Professor Okafor", "aca2@room.example": "Dr Lindqvist",
         "aca3@room.example": "Dr Mensah", "liv1@room.example": "Amira Haddad",
         "liv2@room.example": "Dave Brown", "liv3@room.example": "Kerry Walsh",
         CHAIR: "Jo Chair"}

# (email, reference): (benefit, community, delivery, value, comment)
SHEETS = {
    ("aca1@room.example", "CA-001"): (5, 4, 4, 4, ""),
    ("aca2@room.example", "CA-001"): (5, 4, 4, 4, "Sound plan, but the costs for the "
                                      "garden beds look high for what they are."),
    ("aca3@room.example", "CA-001"): (4, 4, 4, 4, ""),
    ("liv1@room.example", "CA-001"): (1, 1, 1, 1, "Nobody on our estate was asked about "
                                      "this. The grass is where the kids play football."),
    ("aca1@room.example", "CA-002"): (3, 3, 3, 3, ""),
    ("aca2@room.example", "CA-002"): (3, 3, 3, 3, "Modest reach for the money."),
    ("liv2@room.example", "CA-002"): (5, 5, 5, 5, "My dad did walks like this after his "
                                      "stroke. It got him out of the house."),
    ("liv3@room.example", "CA-002"): (5, 5, 5, 5, ""),
    **{(email, "CA-003"): (4, 4, 4, 4, "") for email in ACADEMICS + LIVED},
    ("aca1@room.example", "CA-004"): (2, 2, 2, 2, ""),
    ("aca3@room.example", "CA-004"): (2, 2, 2, 2, ""),
    ("liv1@room.example", "CA-004"): (3, 3, 3, 3, ""),
    ("liv3@room.example", "CA-004"): (3, 3, 3, 3, ""),
}
FOR_CHAIR_ONLY = ("aca2@room.example", "CA-002")  # "Modest reach for the money."


def room_bundle(folder: Path) -> Path:
    spec = json.loads((DEMO / "round.json").read_text(encoding="utf-8"))
    spec.update(title="Warm spaces and community health 2026", slug=SLUG, budget=100000,
                min_group_size=2, lived_experience_first=True, show_group_labels=True)
    spec.pop("scoring_deadline", None)
    with open(DEMO / "applications.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:4]
    applications = io.StringIO()
    writer = csv.DictWriter(applications, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    panel = ["email,name,group,role"]
    panel += [f"{e},{NAMES[e]},academic,panellist" for e in ACADEMICS]
    panel += [f"{e},{NAMES[e]},lived_experience,panellist" for e in LIVED]
    panel += [f"{CHAIR},{NAMES[CHAIR]},,chair"]
    scores = io.StringIO()
    writer = csv.writer(scores)
    writer.writerow(["email", "reference", "stage", "benefit", "community", "delivery",
                     "value", "comment"])
    for (email, reference), (*values, comment) in SHEETS.items():
        writer.writerow([email, reference, "initial", *values, comment])
    folder.mkdir(parents=True)
    files = {"round.json": json.dumps(spec), "applications.csv": applications.getvalue(),
             "panellists.csv": "\n".join(panel) + "\n", "scores.csv": scores.getvalue()}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def room_round(folder: Path):
    """The round imported through the real bundle loader and moved to moderation, with
    one comment marked for the chair only (bundles do not carry that choice)."""
    round_ = import_bundle(None, room_bundle(folder), system="tests")
    email, reference = FOR_CHAIR_ONLY
    sheet = db.session.scalar(
        select(ScoreSheet).join(PanelMember, ScoreSheet.member_id == PanelMember.id)
        .join(User, PanelMember.user_id == User.id)
        .join(Application, ScoreSheet.application_id == Application.id)
        .where(User.email == email, Application.reference == reference))
    sheet.comment_for_chair = True
    round_.phase = "moderation"
    db.session.commit()
    return round_
