"""DESIGN.md §3's worked example with bigger amounts, in moderation: ranked A3 (87.5),
A2 (75), A1 (43.75); budget £400,000, strict: A3 £200,000 and A2 £200,000 fill it exactly,
A1 £45,050 does not fit. With FUND_A1 the chair's decisions fund A1 too: £445,050, over
the budget by £45,050."""
from __future__ import annotations

import json

from panel.bundle import import_bundle
from panel.extensions import db
from tests.builders.worked import ROUND, worked_bundle

APPLICATIONS = (
    "reference,title,lay_summary,requested_amount,applicant_name,organisation,contact_email\n"
    "A1,Project one,What one does,45050,Ann,Org one,ann@one.example\n"
    "A2,Project two,What two does,200000,Bob,Org two,bob@two.example\n"
    "A3,Project three,What three does,200000,Cat,Org three,cat@three.example\n")
FUND_A1 = "reference,outcome,rationale\nA1,fund,Community need\nA2,keep,\nA3,keep,\n"
KEEP_ALL = "reference,outcome,rationale\nA1,keep,\nA2,keep,\nA3,keep,\n"


def in_moderation(tmp_path, decisions: str):
    bundle = worked_bundle(tmp_path / "bundle", **{
        "round.json": json.dumps({**ROUND, "budget": 400000}),
        "applications.csv": APPLICATIONS, "decisions.csv": decisions})
    round_ = import_bundle(None, bundle, system="tests")
    round_.phase = "moderation"
    db.session.commit()
    return round_
