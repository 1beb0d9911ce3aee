"""The demo round: a believable "community assets and health inequalities" round with a
mixed panel, built from the bundle in ``panel/demo/bundle/`` through the same services
the app uses, so every row it creates is on the audit trail."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from panel.accounts import services as accounts
from panel.conflicts import suggestions
from panel.payments import services as payments
from panel.rounds import services as rounds
from panel.rounds.models import Phase, Round
from panel.rounds.queries import round_by_slug

BUNDLE = Path(__file__).resolve().parent / "bundle"
SYSTEM = "flask demo seed"


@dataclass(frozen=True)
class StaffAccount:
    email: str
    name: str
    role: str


STAFF = (
    StaffAccount("admin@fairpanel.example", "Alex Morgan", "admin"),
    StaffAccount("officer@fairpanel.example", "Olu Bankole", "officer"),
    StaffAccount("auditor@fairpanel.example", "Hannah Price", "auditor"),
)


def demo_spec() -> dict:
    return json.loads((BUNDLE / "round.json").read_text(encoding="utf-8"))


def panellists() -> pd.DataFrame:
    return pd.read_csv(BUNDLE / "panellists.csv", dtype=str, keep_default_na=False)


def seed(staff_password: str) -> bool:
    """Create whatever is missing of the demo's staff and its round to score (the decided
    round is :func:`panel.demo.story.seed_decided_round`). Returns False when there was
    nothing to do."""
    created = False
    for staff in STAFF:
        if accounts.find_user(staff.email) is None:
            accounts.create_account(None, email=staff.email, name=staff.name, roles={staff.role},
                                    password=staff_password, system=SYSTEM)
            created = True
    spec = demo_spec()
    if round_by_slug(spec["slug"]) is not None:
        return created
    # What the panel is told, and lived-experience members paid for their time (issue 20):
    # the demo shows the welcome, the time records and the payments pages with something in.
    round_ = build_round({**spec, **WELCOME})
    officer = accounts.find_user(STAFF[1].email)
    lived = next(group for group in round_.groups if group.key == "lived_experience")
    payments.set_rate(officer, lived, **LIVED_EXPERIENCE_PAY)
    return True


WELCOME = {"funder": "Kingsmere Community Health Fund",
           "help_contact": "Olu Bankole, 0161 496 0123 or olu@fairpanel.example",
           "minutes_per_application": 25}
# In pence: £25 an hour for the time scoring, £75 for the meeting.
LIVED_EXPERIENCE_PAY = {"hourly": 2500, "per_application": None, "meeting_fee": 7500}


def build_round(spec: dict) -> Round:
    """A round from ``spec`` with the demo's applications and panel, everyone assigned to
    everything, open for scoring."""
    round_ = rounds.create_round(None, spec, system=SYSTEM)
    applications = pd.read_csv(BUNDLE / "applications.csv", dtype=str, keep_default_na=False)
    for row in applications.to_dict("records"):
        rounds.add_application(None, round_, row, system=SYSTEM)
    for row in panellists().to_dict("records"):
        user = accounts.find_user(row["email"]) or accounts.create_account(
            None, email=row["email"], name=row["name"], system=SYSTEM)
        rounds.add_member(None, round_, user, group_key=row["group"] or None, role=row["role"],
                          affiliations=[a.strip() for a in row["affiliations"].split(";")
                                        if a.strip()],
                          system=SYSTEM)
    # Assigned first: the demo's matched connections come to light afterwards, as when
    # a panellist adds to their profile, and wait for the officer on the conflicts page.
    rounds.assign_everyone(None, round_, system=SYSTEM)
    suggestions.refresh_for_round(round_)
    rounds.change_phase(None, round_, Phase.SCORING, system=SYSTEM)
    return round_
