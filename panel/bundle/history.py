"""Checking what a bundle says already happened in a round: conflicts.csv, scores.csv
(historic rounds and paper scoring) and decisions.csv (DESIGN.md §5, §3, §8).

People and applications are named by e-mail and reference; both must be in the same
bundle's panellists.csv and applications.csv."""
from __future__ import annotations

import re
from typing import Any

import pandas as pd
from flask_babel import gettext as _

from panel.accounts.services import normalise_email
from panel.bundle.spec import RoundPlan
from panel.bundle.tables import Problem, missing_columns, table_rows
from panel.conflicts.models import KINDS, LEVELS
from panel.moderation.models import OUTCOMES
from panel.moderation.services import REASON_MAX
from panel.scoring.models import STAGES

CONFLICT_COLUMNS = ("email", "reference", "kind", "details")
SHEET_COLUMNS = ("email", "reference", "stage")
DECISION_COLUMNS = ("reference", "outcome", "rationale")
_WHOLE = re.compile(r"[+-]?\d+")


def people_of(panellists: pd.DataFrame | None) -> dict[str, str] | None:
    """``{email: role}`` of everyone panellists.csv names, even on rows with problems
    (those are reported there; here they only stop false "unknown person" reports).
    None when panellists.csv could not be read: people are then not checked."""
    if panellists is None or "email" not in panellists.columns:
        return None
    roles = panellists["role"] if "role" in panellists.columns else [""] * len(panellists)
    return {normalise_email(email): str(role).strip().lower()
            for email, role in zip(panellists["email"], roles) if email.strip()}


def references_of(applications: pd.DataFrame | None) -> set[str] | None:
    """Every reference applications.csv names (see :func:`people_of`)."""
    if applications is None or "reference" not in applications.columns:
        return None
    return {reference.strip() for reference in applications["reference"] if reference.strip()}


class _Rows:
    """Problems of one file, and the checks every history file shares."""

    def __init__(self, file: str, people: dict[str, str] | None,
                 references: set[str] | None) -> None:
        self.file, self.people, self.references = file, people, references
        self.problems: list[Problem] = []

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, row, column, message))

    def person(self, number: int, cells: dict[str, str]) -> str:
        email = normalise_email(cells.get("email", ""))
        if "email" not in cells or self.people is None or email in self.people:
            return email
        if email:
            self.problem(number, "email", _('"%(email)s" is not in panellists.csv. Check the '
                                            "email address, or add the person to "
                                            "panellists.csv.", email=email))
        else:
            self.problem(number, "email", _("The email address is empty. Write the panel "
                                            "member's email address."))
        return email

    def application(self, number: int, cells: dict[str, str]) -> str:
        reference = cells.get("reference", "").strip()
        if "reference" not in cells or self.references is None or reference in self.references:
            return reference
        if reference:
            self.problem(number, "reference", _('"%(reference)s" is not a reference in '
                                                "applications.csv. Check it, or add the "
                                                "application.", reference=reference))
        else:
            self.problem(number, "reference", _("The reference is empty. Write the "
                                                "application's reference."))
        return reference

    def choice(self, number: int, cells: dict[str, str], column: str,
               allowed: tuple[str, ...], default: str | None = None) -> str:
        value = cells.get(column, "").strip().lower()
        if not value and default is not None:
            return default
        if column in cells and value not in allowed:
            # column is kind, level, outcome or stage: the heading, as written in the file
            self.problem(number, column, _(
                '"%(value)s" is not a %(column)s. Write one of: %(allowed)s.',
                value=cells[column], column=column, allowed=", ".join(allowed)) if value
                else _("The cell is empty; it needs a %(column)s. Write one of: %(allowed)s.",
                       column=column, allowed=", ".join(allowed)))
        return value

    def result(self, rows: list[dict]) -> tuple[list[dict], list[Problem]]:
        # Whole-file problems first, then row by row (sorted() keeps column order).
        problems = sorted(self.problems, key=lambda p: (p.row is not None, p.row or 0))
        return (rows, []) if not problems else ([], problems)


def check_conflicts(df: pd.DataFrame, *, people: dict[str, str] | None,
                    references: set[str] | None,
                    file: str = "conflicts.csv") -> tuple[list[dict], list[Problem]]:
    """Rows ``{email, reference, kind, details, level}``; ``level`` defaults to step_out."""
    check = _Rows(file, people, references)
    check.problems += missing_columns(df, CONFLICT_COLUMNS, file)
    rows = []
    for number, cells in table_rows(df):
        rows.append({
            "email": check.person(number, cells),
            "reference": check.application(number, cells),
            "kind": check.choice(number, cells, "kind", KINDS),
            "details": cells.get("details", ""),
            "level": check.choice(number, cells, "level", LEVELS, default="step_out"),
        })
    return check.result(rows)


def check_decisions(df: pd.DataFrame, *, references: set[str] | None,
                    file: str = "decisions.csv") -> tuple[list[dict], list[Problem]]:
    """Rows ``{reference, outcome, rationale}``; one decision per application."""
    check = _Rows(file, {}, references)
    check.problems += missing_columns(df, DECISION_COLUMNS, file)
    first_row: dict[str, int] = {}
    rows = []
    for number, cells in table_rows(df):
        reference = check.application(number, cells)
        if reference in first_row:
            check.problem(number, "reference",
                          _("%(reference)s is decided in rows %(first)s and %(second)s. Keep "
                            "one decision for each application.", reference=reference,
                            first=first_row[reference], second=number))
        first_row.setdefault(reference, number)
        rows.append({"reference": reference,
                     "outcome": check.choice(number, cells, "outcome", OUTCOMES),
                     "rationale": cells.get("rationale", "")})
    return check.result(rows)


def check_scores(df: pd.DataFrame, plan: RoundPlan, *, people: dict[str, str] | None,
                 references: set[str] | None,
                 file: str = "scores.csv") -> tuple[list[dict], list[Problem]]:
    """Submitted sheets, in file order: ``{email, reference, stage, revision, values
    {criterion key: int or None}, comment, reason}``. Initial sheets are revision 0; each
    revised sheet of a person and application is the next revision, in file order.
    ``reason`` (why a revised sheet changed) is optional, and refused on initial sheets."""
    check = _Rows(file, people, references)
    check.problems += missing_columns(df, SHEET_COLUMNS, file)
    criteria = _criterion_columns(df, plan, check)
    rows = []
    for number, cells in table_rows(df):
        row = {"email": check.person(number, cells),
               "reference": check.application(number, cells),
               "stage": check.choice(number, cells, "stage", STAGES),
               "values": _values(number, cells, criteria, plan, check),
               "comment": cells.get("comment", "")}
        row["reason"] = _reason(number, cells, row["stage"], check)
        if (check.people or {}).get(row["email"]) == "chair":
            check.problem(number, "email", _("%(email)s is the chair. Only panellists' scores "
                                             "can be imported; remove this row.",
                                             email=row["email"]))
        rows.append(row)
    _number_revisions(rows, df.index, check)
    return check.result(rows)


def _criterion_columns(df: pd.DataFrame, plan: RoundPlan, check: _Rows) -> list[str]:
    if plan.criterion_keys is None:
        return []  # round.json's criteria have problems of their own
    missing = [key for key in plan.criterion_keys if key not in df.columns]
    if missing:
        check.problem(None, None, _("There is no column for the criteria %(criteria)s. Add "
                                    "one column per criterion, headed with its key; leave a "
                                    "cell empty where it was not scored.",
                                    criteria=", ".join(missing)))
    known = {*SHEET_COLUMNS, "comment", "reason", *plan.criterion_keys}
    unknown = [column for column in df.columns if column not in known]
    if unknown:
        check.problem(None, None, _("The columns %(columns)s are not criteria of this round. "
                                    "The criteria are %(criteria)s; remove the other columns, "
                                    "or fix their headings.", columns=", ".join(unknown),
                                    criteria=", ".join(plan.criterion_keys)))
    return [key for key in plan.criterion_keys if key in df.columns]


def _values(number: int, cells: dict[str, str], criteria: list[str], plan: RoundPlan,
            check: _Rows) -> dict[str, int | None]:
    values: dict[str, int | None] = {}
    low, high = plan.scale or (None, None)
    for key in criteria:
        text = cells[key].strip()
        if not text:
            values[key] = None
        elif not _WHOLE.fullmatch(text):
            check.problem(number, key, _('"%(value)s" is not a whole number. Write a score '
                                         "from %(low)s to %(high)s, or leave the cell empty.",
                                         value=cells[key], low=low, high=high) if plan.scale
                          else _('"%(value)s" is not a whole number. Write a whole number, '
                                 "or leave the cell empty.", value=cells[key]))
        elif plan.scale and not low <= int(text) <= high:
            check.problem(number, key, _("%(value)s is outside the scale. Write a score from "
                                         "%(low)s to %(high)s, or leave the cell empty.",
                                         value=int(text), low=low, high=high))
        else:
            values[key] = int(text)
    if criteria and all(not cells[key].strip() for key in criteria):
        check.problem(number, None, _("Nothing is scored on this row. Score at least one "
                                      "criterion, or remove the row."))
    return values


def _reason(number: int, cells: dict[str, str], stage: str, check: _Rows) -> str:
    reason = cells.get("reason", "").strip()
    if reason and stage == "initial":
        check.problem(number, "reason", _("An initial sheet has no reason: only a revised "
                                          "sheet says why it changed. Empty this cell, or "
                                          "mark the row revised."))
    elif len(reason) > REASON_MAX:
        check.problem(number, "reason", _("The reason is longer than %(limit)s characters. "
                                          "Shorten it.", limit=REASON_MAX))
    return reason


def _number_revisions(rows: list[dict[str, Any]], numbers: pd.Index, check: _Rows) -> None:
    initial_row: dict[tuple[str, str], int] = {}
    for row, number in zip(rows, numbers):
        pair = (row["email"], row["reference"])
        if row["stage"] == "initial":
            if pair in initial_row:
                check.problem(number, "stage",
                              _("There is already an initial sheet for %(email)s on "
                                "%(reference)s in row %(row)s. Mark later sheets revised.",
                                email=pair[0], reference=pair[1], row=initial_row[pair]))
            initial_row.setdefault(pair, number)
    revisions: dict[tuple[str, str], int] = {}
    for row, number in zip(rows, numbers):
        pair = (row["email"], row["reference"])
        row["revision"] = 0
        if row["stage"] == "revised":
            revisions[pair] = row["revision"] = revisions.get(pair, 0) + 1
            if pair not in initial_row:
                check.problem(number, "stage",
                              _("This revised sheet has no initial sheet for %(email)s on "
                                "%(reference)s. Add the initial sheet, or mark this one "
                                "initial.", email=pair[0], reference=pair[1]))
