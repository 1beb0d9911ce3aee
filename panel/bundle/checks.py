"""Checking applications.csv and panellists.csv against a round, row by row, before
anything is written (DESIGN.md §8). Used by the browser import and by bundles."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pandas as pd
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from panel.accounts.services import normalise_email
from panel.bundle import limits
from panel.bundle.limits import too_many
from panel.bundle.spec import RoundPlan, plan_of
from panel.bundle.tables import Problem, missing_columns, table_rows
from panel.forms import one_line_problem
from panel.rounds.models import MEMBER_ROLES, Round

APPLICATION_COLUMNS = ("reference", "title", "lay_summary", "requested_amount",
                       "applicant_name", "organisation", "contact_email")
# Optional: the Welsh title and lay summary (issue 21), round content like the English.
WELSH_APPLICATION_COLUMNS = ("title_cy", "lay_summary_cy")
PANELLIST_COLUMNS = ("email", "name", "group", "role")
# The optional language column of panellists.csv: what an officer may write for each.
LANGUAGE_NAMES = {"en": ("en", "english", "saesneg"), "cy": ("cy", "cymraeg", "welsh")}
# Longest values the columns hold (panel/rounds/models.py, panel/accounts/models.py).
APPLICATION_LIMITS = {"reference": 60, "title": 300, "title_cy": 300, "applicant_name": 200,
                      "organisation": 300, "contact_email": 254}
_AMOUNT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
MAX_AMOUNT = Decimal(10) ** 12  # Numeric(14, 2)
AMOUNTS_ACCEPTED = _l("Write requested_amount in pounds: 5000, 5,000, £5,000 and 5000.50 "
                      "are all fine. Leave out other currency signs and words, and give at "
                      "most two decimal places (pence).")

RoundLike = Round | RoundPlan | dict[str, Any]


def check_applications(df: pd.DataFrame, round_: RoundLike, *,
                       file: str = "applications.csv") -> tuple[list[dict], list[Problem]]:
    """Check a table read by :func:`read_table` for ``round_`` (a Round, a
    :class:`RoundPlan`, or round.json-style settings for a round not yet created).

    Returns one dict per row, ready for :func:`add_applications`: the standard columns
    (``requested_amount`` a Decimal) and ``extra``, the other columns in file order.
    When there are problems the list of rows is empty: nothing should be written.
    """
    plan = plan_of(round_)
    refused = too_many(limits.APPLICATIONS, len(df), file, already=len(plan.references))
    if refused:
        return [], refused
    problems = missing_columns(df, APPLICATION_COLUMNS, file)
    problems += [Problem(file, None, None,
                         _("round.json marks the column %(column)s as identifying, but there "
                           "is no such column. Add it, or remove it from "
                           "identifying_columns.", column=column))
                 for column in plan.identifying_columns if column not in df.columns]
    problems += [Problem(file, None, None,
                         _("round.json marks the column %(column)s as safe to show "
                           "panellists, but there is no such column. Add it, or remove it "
                           "from shown_columns.", column=column))
                 for column in plan.shown_columns if column not in df.columns]
    first_row: dict[str, int] = {}
    rows = []
    for number, cells in table_rows(df):
        row, found = _application(cells, number, file)
        problems += _reference_taken(row["reference"], number, file, plan, first_row) + found
        rows.append(row)
    return (rows, problems) if not problems else ([], problems)


def _application(cells: dict[str, str], number: int,
                 file: str) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(file, number, column, message))

    row: dict[str, Any] = {column: cells.get(column, "") for column in APPLICATION_COLUMNS}
    # The Welsh only when the file has its columns: a file without them is checked, and
    # its digest worked (docs/bundles.md), as before.
    row |= {column: cells[column] for column in WELSH_APPLICATION_COLUMNS if column in cells}
    row["reference"], row["contact_email"] = row["reference"].strip(), row["contact_email"].strip()
    if "reference" in cells and not row["reference"]:
        problem("reference", _("The reference is empty. Give every application a "
                               "reference, like CA-001."))
    if "title" in cells and not row["title"].strip():
        problem("title", _("The title is empty. Give every application a title."))
    for column, limit in APPLICATION_LIMITS.items():
        if len(row.get(column, "")) > limit:
            problem(column, _("This is longer than %(limit)s characters. Shorten it.",
                              limit=limit))
        elif column in cells and (message := one_line_problem(row[column])):
            problem(column, message)
    if "requested_amount" in cells:
        row["requested_amount"], message = parse_amount(cells["requested_amount"])
        if message:
            problem("requested_amount", message)
    bad_email = row["contact_email"] and email_problem(row["contact_email"])
    if bad_email:  # the column is required, but an application may have no e-mail
        problem("contact_email", bad_email)
    row["extra"] = {column: value for column, value in cells.items()
                    if column not in (*APPLICATION_COLUMNS, *WELSH_APPLICATION_COLUMNS)}
    return row, problems


def _reference_taken(reference: str, number: int, file: str, plan: RoundPlan,
                     first_row: dict[str, int]) -> list[Problem]:
    if not reference:
        return []
    if reference in first_row:
        return [Problem(file, number, "reference",
                        _("The reference %(reference)s is used in rows %(first)s and "
                          "%(second)s. Give each application its own reference.",
                          reference=reference, first=first_row[reference], second=number))]
    first_row[reference] = number
    if reference in plan.references:
        return [Problem(file, number, "reference",
                        _("The round already has an application with the reference "
                          "%(reference)s. Use a new reference, or remove this row.",
                          reference=reference))]
    return []


def parse_amount(text: str) -> tuple[Decimal | None, str]:
    """``"£1,200.50"`` → ``(Decimal("1200.50"), "")``; otherwise ``(None, what to fix)``."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        return None, _("The amount is empty. Write the amount in pounds, like 5000.")
    body = cleaned.lstrip("-£")
    sign = cleaned[:len(cleaned) - len(body)]
    if not _AMOUNT.fullmatch(body) or sign.count("-") > 1 or sign.count("£") > 1:
        return None, _('"%(text)s" is not a number. Write the amount in pounds, like 5000.',
                       text=text)
    if "-" in sign:
        return None, _('"%(text)s" is below zero. Write the amount in pounds, like 5000.',
                       text=text)
    value = Decimal(body.replace(",", ""))
    if value != value.quantize(Decimal("0.01")):
        return None, _('"%(text)s" has more than two decimal places. Round it to the penny, '
                       "like 1200.50.", text=text)
    if value >= MAX_AMOUNT:
        return None, _('"%(text)s" is too large to be an amount asked for. Write the amount '
                       "in pounds, like 5000.", text=text)
    return value, ""


def email_problem(email: str) -> str:
    """What is wrong with an e-mail address, or "" when it is fine."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        # What is wrong is email_validator's English sentence.
        return _('"%(email)s" is not a valid email address: %(error)s Write it like '
                 "name@example.org.", email=email, error=error)
    return ""


def check_panellists(df: pd.DataFrame, round_: RoundLike, *,
                     file: str = "panellists.csv") -> tuple[list[dict], list[Problem]]:
    """Check a table of panel members for ``round_`` (see :func:`check_applications`).

    Returns one dict per row for :func:`add_panellists`: ``email`` (lower case),
    ``name``, ``group`` (a group key, even where the file named the group by its label;
    None for a chair without one), ``role``, ``affiliations`` (a list) and ``language``
    ("en", "cy" or None)."""
    plan = plan_of(round_)
    refused = too_many(limits.PANEL, len(df), file, already=len(plan.member_emails))
    if refused:
        return [], refused
    problems = missing_columns(df, PANELLIST_COLUMNS, file)
    first_row: dict[str, int] = {}
    rows = []
    for number, cells in table_rows(df):
        row, found = _panellist(cells, number, file, plan)
        problems += _email_taken(row["email"], number, file, plan, first_row) + found
        rows.append(row)
    return (rows, problems) if not problems else ([], problems)


def _panellist(cells: dict[str, str], number: int, file: str,
               plan: RoundPlan) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(file, number, column, message))

    email = normalise_email(cells.get("email", ""))
    name = cells.get("name", "").strip()
    group = cells.get("group", "").strip()
    role = cells.get("role", "").strip().lower()
    if "email" in cells and (message := _member_email_problem(email)):
        problem("email", message)
    if "name" in cells and (not name or len(name) > 200):
        problem("name", _("The name is empty or longer than 200 characters. Write the "
                          "person's name as they like it to be shown."))
    for column in ("email", "name"):
        if column in cells and (message := one_line_problem(cells[column].strip())):
            problem(column, message)
    if "role" in cells and role not in MEMBER_ROLES:
        problem("role", _('"%(role)s" is not a role. Write panellist or chair.',
                          role=cells["role"]))
    group_key, message = _group_key(group, role, plan) if "group" in cells else (None, "")
    if message:
        problem("group", message)
    affiliations = [a.strip() for a in cells.get("affiliations", "").split(";") if a.strip()]
    for position, affiliation in enumerate(affiliations, start=1):
        if message := one_line_problem(affiliation):
            problem("affiliations", _("Affiliation %(number)s: %(problem)s",
                                      number=position, problem=message))
    language, message = _language(cells.get("language", ""))
    if message:
        problem("language", message)
    row = {"email": email, "name": name, "group": group_key, "role": role,
           "affiliations": affiliations, "language": language}
    return row, problems


def _language(cell: str) -> tuple[str | None, str]:
    """(language code or None, problem) of the optional language column: the language a
    new member's e-mails and pages start in, until they choose (issue 21)."""
    written = " ".join(cell.split()).lower()
    if not written:
        return None, ""
    for code, names in LANGUAGE_NAMES.items():
        if written in names:
            return code, ""
    return None, _('"%(language)s" is not a language FairPanel is written in. Write en '
                   "(English) or cy (Cymraeg, Welsh), or leave it empty.",
                   language=cell.strip())


def _member_email_problem(email: str) -> str:
    if not email:
        return _("The email address is empty. Everyone on the panel needs one, like "
                 "name@example.org.")
    return email_problem(email)


def _group_key(group: str, role: str, plan: RoundPlan) -> tuple[str | None, str]:
    """The key of the group ``group`` names, by key or by label, whatever its capitals
    and spaces ("Lived experience", "lived_experience", "LIVED  EXPERIENCE"): ``(key,
    "")``, or ``(None, what to write instead)``."""
    if plan.group_keys is None:
        return group or None, ""  # round.json's groups have problems of their own
    if not group:
        return None, ("" if role == "chair"
                      else _("The group is empty. Write one of: %(groups)s.",
                             groups=allowed_group_values(plan)))
    wanted = _group_words(group)
    found = {key for key in plan.group_keys
             if wanted in (_group_words(key), _group_words(plan.group_labels.get(key, key)))}
    if len(found) > 1:
        return None, _('"%(group)s" could mean more than one group (%(found)s). Write the '
                       "group's key instead: %(keys)s.", group=group,
                       found=", ".join(sorted(found)), keys=", ".join(plan.group_keys))
    if not found:
        return None, _('There is no group called "%(group)s" in this round. Write one of: '
                       "%(groups)s.", group=group, groups=allowed_group_values(plan))
    return found.pop(), ""


def allowed_group_values(plan: RoundPlan) -> str:
    """``Academic (or academic), Lived experience (or lived_experience)``: what the group
    column of panellists.csv may hold."""
    return ", ".join(label if label.casefold() == key.casefold()
                     else _("%(label)s (or %(key)s)", label=label, key=key)
                     for key, label in ((key, plan.group_labels.get(key, key))
                                        for key in plan.group_keys or []))


def _group_words(text: str) -> str:
    """A group's key or label as compared: capitals, underscores and runs of spaces
    do not matter."""
    return " ".join(text.replace("_", " ").split()).casefold()


def _email_taken(email: str, number: int, file: str, plan: RoundPlan,
                 first_row: dict[str, int]) -> list[Problem]:
    if not email:
        return []
    if email in first_row:
        return [Problem(file, number, "email",
                        _("%(email)s is in rows %(first)s and %(second)s. List each person "
                          "once.", email=email, first=first_row[email], second=number))]
    first_row[email] = number
    if email in plan.member_emails:
        return [Problem(file, number, "email",
                        _("%(email)s is already on this round's panel. Remove this row.",
                          email=email))]
    return []
