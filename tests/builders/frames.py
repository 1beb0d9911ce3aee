"""Frames for the pure numbers (:func:`panel.scoring.figures.figures`), built by hand.

A sheet here is one the database would hand over: submitted, its member not stepped
out, with the figures it counts in (``initial``, ``final``; an unrevised sheet counts
in both). Its ``points`` and ``weight`` are summed from the criterion values given, as
the database sums them; which sheets count is tested against the database in
tests/scoring/test_counting.py."""
from __future__ import annotations

import pandas as pd

from panel.scoring.figures import REPORT, Frames, figures
from panel.scoring.rules import Rules


def sheet(member, group, reference, *, initial=True, final=True, **values) -> dict:
    return {"member": member, "group": group, "reference": reference, "initial": initial,
            "final": final, "values": values}


def frames(sheet_rows, amounts: dict, rules: Rules, decisions=()) -> Frames:
    rows, values = [], []
    for number, row in enumerate(sheet_rows):
        scored = {c: v for c, v in row["values"].items() if v is not None}
        points = sum(rules.criterion_weights[c] * (v - rules.scale_min) for c, v in scored.items())
        weight = sum(rules.criterion_weights[c] for c in scored)
        rows.append({"sheet": number, "member": row["member"], "group": row["group"],
                     "reference": row["reference"], "initial": row["initial"],
                     "final": row["final"], "points": points if scored else None,
                     "weight": weight if scored else None})
        if row["final"]:
            values += [{"sheet": number, "criterion": c, "value": v}
                       for c, v in row["values"].items()]
    return Frames(
        rules=rules,
        applications=pd.DataFrame({"reference": list(amounts),
                                   "title": [f"Project {r}" for r in amounts],
                                   "requested_amount": list(amounts.values())}),
        sheets=pd.DataFrame(rows, columns=["sheet", "member", "group", "reference", "initial",
                                           "final", "points", "weight"]).astype(
            {"initial": bool, "final": bool, "points": float, "weight": float}),
        decisions=pd.DataFrame(list(decisions), columns=["reference", "outcome", "rationale"]),
        criterion_values=pd.DataFrame(values, columns=["sheet", "criterion", "value"]))


def calculate(sheet_rows, amounts: dict, rules: Rules, decisions=()):
    """Every figure, community voice included."""
    return figures(frames(sheet_rows, amounts, rules, decisions), REPORT)
