"""``round.json``: the settings of a round (DESIGN.md §3, §8), checked before anything
is created, and :class:`RoundPlan`, what the table checks need to know about a round."""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from panel.accounts.models import User
from panel.bundle.tables import Problem
from panel.extensions import db
from panel.forms import one_line_problem
from panel.payments.rules import MAX_PENCE
from panel.rounds.columns import SHOWN_STANDARD
from panel.rounds.models import (
    FUNDING_RULES,
    IDENTIFYING_FIELDS,
    MIN_GROUP_SIZES,
    RANK_MODEL_CHOICES,
    RESERVED_SLUGS,
    WEIGHTINGS,
    Application,
    PanelMember,
    Round,
)
from panel.rounds.queries import round_by_slug
from panel.rounds.rules_time_zones import DEFAULT_TIME_ZONE, is_time_zone
from panel.rounds.setup import MINUTES_PER_APPLICATION
from panel.spreadsheets import heading_key

FILE = "round.json"
SETTINGS = ("title", "slug", "description", "scale", "budget", "funding_rule", "weighting",
            "groups", "criteria", "identifying_columns", "show_group_labels",
            "lived_experience_first", "scoring_deadline", "time_zone", "min_group_size",
            "public_columns", "shown_columns", "rank_model",
            "funder", "help_contact", "minutes_per_application")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Lower case because table headings are read lower-cased, and a criterion key becomes
# a column heading of scores.csv; a group key is written in panellists.csv.
KEY = re.compile(r"[a-z][a-z0-9_]*")
# Criterion keys may not take the name of a fixed column of scores.csv.
SCORE_FILE_COLUMNS = ("email", "reference", "stage", "comment", "reason")
# The meeting settings (DESIGN.md §4, §6, §8) and what an old bundle without them gets.
MEETING_DEFAULTS = {"show_group_labels": True, "lived_experience_first": True,
                    "scoring_deadline": None, "time_zone": DEFAULT_TIME_ZONE,
                    "min_group_size": 2}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# How a group is paid (round.json's "pay" of a group), in pounds, up to the pay set-up's
# ceiling.
PAY_KINDS = ("hourly", "per_application", "meeting_fee")
MAX_PAY = MAX_PENCE // 100
MAX_BUDGET = 10 ** 12  # Numeric(14, 2)
# A score is picked from one radio button per level: keep the scale one can read.
MAX_SCALE_STEPS, MAX_SCALE_END = 100, 1000


@dataclass
class RoundPlan:
    """What the table checks need to know about a round, whether it exists yet or not.

    ``group_keys``, ``criterion_keys`` and ``scale`` are None when unknown (round.json
    had problems there): the checks that need them are then skipped rather than
    repeating the same mistake once per row."""

    identifying_columns: list[str] = field(default_factory=list)
    # round.json's extra columns safe to show panellists; any other is hidden (issue 20).
    shown_columns: list[str] = field(default_factory=list)
    group_keys: list[str] | None = None
    # Each group's label by key: panellists.csv may name a group by either (issue 20).
    group_labels: dict[str, str] = field(default_factory=dict)
    criterion_keys: list[str] | None = None
    scale: tuple[int, int] | None = None
    references: set[str] = field(default_factory=set)
    member_emails: set[str] = field(default_factory=set)


def plan_of(round_: Round | RoundPlan | dict[str, Any]) -> RoundPlan:
    """A :class:`RoundPlan` for an existing Round, a plan, or a round.json-style dict."""
    if isinstance(round_, RoundPlan):
        return round_
    if isinstance(round_, dict):
        return _plan_from_spec(round_)
    return RoundPlan(
        identifying_columns=list(round_.identifying_columns or []),
        group_keys=[g.key for g in round_.groups],
        group_labels={g.key: g.label for g in round_.groups},
        criterion_keys=[c.key for c in round_.criteria],
        scale=(round_.scale_min, round_.scale_max),
        # Two queries, however large the round (not one per member).
        references=set(db.session.scalars(
            select(Application.reference).where(Application.round_id == round_.id))),
        member_emails=set(db.session.scalars(
            select(User.email).join(PanelMember, PanelMember.user_id == User.id)
            .where(PanelMember.round_id == round_.id))),
    )


def _plan_from_spec(spec: dict[str, Any]) -> RoundPlan:
    scale = spec.get("scale") or {}
    return RoundPlan(
        identifying_columns=[heading_key(c) for c in spec.get("identifying_columns", [])],
        shown_columns=[heading_key(c) for c in spec.get("shown_columns", [])],
        group_keys=[g["key"] for g in spec.get("groups", [])],
        group_labels={g["key"]: g.get("label") or g["key"] for g in spec.get("groups", [])},
        criterion_keys=[c["key"] for c in spec.get("criteria", [])],
        scale=(int(scale.get("min", 1)), int(scale.get("max", 5))),
    )


def slug_from_title(title: str) -> str:
    """``"Healthy Towns 2026!"`` → ``"healthy-towns-2026"``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80].strip("-")


def check_round_json(data: bytes, *, slug: str | None = None,
                     file: str = FILE) -> tuple[dict[str, Any] | None, RoundPlan, list[Problem]]:
    """Check round.json. Returns the settings ready for
    :func:`panel.rounds.services.create_round` (defaults filled in; None when there are
    problems), the plan for checking the tables, and the problems. ``slug`` replaces
    the file's slug, for importing a copy of a round."""
    spec, problems = _parse(data, file)
    if spec is None:
        return None, RoundPlan(), problems
    check = _SpecCheck(spec, file)
    settings = check.settings(slug)
    plan = RoundPlan(identifying_columns=settings["identifying_columns"],
                     shown_columns=settings["shown_columns"],
                     group_keys=check.group_keys, criterion_keys=check.criterion_keys,
                     group_labels={g["key"]: g["label"] for g in settings["groups"]},
                     scale=check.scale)
    problems = check.problems
    return (None if problems else settings), plan, problems


def _parse(data: bytes, file: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        spec = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, [Problem(file, None, None, "The file is not saved as UTF-8 text. "
                                                "Save it again as UTF-8.")]
    except json.JSONDecodeError as error:
        return None, [Problem(file, error.lineno, None,
                              f"This is not valid JSON: {error.msg} (at character "
                              f"{error.colno} of the line). Check for a missing comma, "
                              "quote or bracket.")]
    if not isinstance(spec, dict):
        return None, [Problem(file, None, None, "The file must hold one JSON object, "
                                                'starting with { and "title".')]
    return spec, []


def _shown(value: Any) -> str:
    """A value as it was written in round.json."""
    return json.dumps(value, ensure_ascii=False)


def _number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class _SpecCheck:
    """Walks one parsed round.json, collecting problems as it builds the settings."""

    def __init__(self, spec: dict[str, Any], file: str) -> None:
        self.spec, self.file = spec, file
        self.problems: list[Problem] = []
        self.group_keys: list[str] | None = None
        self.criterion_keys: list[str] | None = None
        self.scale: tuple[int, int] | None = None

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.file, None, column, message))

    def settings(self, slug: str | None) -> dict[str, Any]:
        for key in self.spec:
            if key not in SETTINGS:
                self.problem(key, f'FairPanel does not know the setting "{key}". Check its '
                                  "spelling, or remove it. The settings are: "
                                  f"{', '.join(SETTINGS)}.")
        title = self._title()
        scale = self._scale()
        return {
            "title": title,
            "slug": self._slug(slug, title),
            "description": self._text("description", 10_000),
            "scale": scale,
            "budget": self._budget(),
            "funding_rule": self._choice("funding_rule", FUNDING_RULES),
            "weighting": self._choice("weighting", WEIGHTINGS),
            "groups": self._groups(),
            "criteria": self._criteria(),
            "identifying_columns": self._identifying_columns(),
            "show_group_labels": self._yes_no("show_group_labels"),
            "lived_experience_first": self._yes_no("lived_experience_first"),
            "scoring_deadline": self._deadline(),
            "time_zone": self._time_zone(),
            "min_group_size": self._min_group_size(),
            "public_columns": self._public_columns(),
            "shown_columns": self._shown_columns(),
            # DESIGN.md §3a: auto (the default, also for an older bundle), on or off
            "rank_model": self._choice("rank_model", RANK_MODEL_CHOICES),
            # What panellists are told about the round (issue 20): optional
            "funder": self._one_line("funder", 200),
            "help_contact": self._one_line("help_contact", 300),
            "minutes_per_application": self._minutes(),
        }

    def _title(self) -> str:
        title = self.spec.get("title")
        if not isinstance(title, str) or not title.strip():
            self.problem("title", 'The round needs a title, like "Healthy towns 2026".')
            return ""
        if len(title.strip()) > 200:
            self.problem("title", "The title is longer than 200 characters. Shorten it.")
        elif problem := one_line_problem(title.strip()):
            self.problem("title", f"The title: {problem}")
        return title.strip()

    def _slug(self, override: str | None, title: str) -> str:
        given = override if override is not None else self.spec.get("slug")
        if given is None:
            slug = slug_from_title(title)
            if title and not slug:
                self.problem("slug", "A slug cannot be made from the title. Add a slug: "
                                     "lower-case letters, numbers and hyphens, like "
                                     '"healthy-towns-2026".')
        elif not isinstance(given, str) or not SLUG.fullmatch(given) or len(given) > 80:
            self.problem("slug", f"{_shown(given)} is not a valid slug. "
                                 "Use lower-case letters, numbers and hyphens, like "
                                 '"healthy-towns-2026" (80 characters at most).')
            return ""
        else:
            slug = given
        if slug in RESERVED_SLUGS:
            self.problem("slug", f'"{slug}" is the name of a FairPanel page, so it cannot be '
                                 "a round's slug. Choose another slug.")
        elif slug and round_by_slug(slug) is not None:
            self.problem("slug", f'A round with the slug "{slug}" already exists. '
                                 "Choose another slug.")
        return slug

    def _text(self, key: str, limit: int) -> str:
        value = self.spec.get(key, "")
        if not isinstance(value, str):
            self.problem(key, f"The {key} must be text in double quotes.")
            return ""
        if len(value) > limit:
            self.problem(key, f"The {key} is longer than {limit} characters. Shorten it.")
        return value

    def _scale(self) -> dict[str, Any]:
        scale = self.spec.get("scale", {"min": 1, "max": 5})
        if not isinstance(scale, dict):
            self.problem("scale", 'The scale must look like {"min": 1, "max": 5}.')
            return {}
        low, high = scale.get("min", 1), scale.get("max", 5)
        if not (_whole(low) and _whole(high)) or not 0 < high - low <= MAX_SCALE_STEPS \
                or max(abs(low), abs(high)) > MAX_SCALE_END:
            self.problem("scale", f"The scale runs from {_shown(low)} to {_shown(high)}. "
                                  "Use two whole numbers with min below max, like 1 and 5 "
                                  f"(at most {MAX_SCALE_STEPS} apart).")
            return {}
        unknown = set(scale) - {"min", "max", "descriptors", "descriptors_cy"}
        if unknown:
            self.problem("scale", f"The scale has settings FairPanel does not know: "
                                  f"{', '.join(sorted(unknown))}. Use min, max, descriptors "
                                  "and descriptors_cy (the same in Welsh).")
        self.scale = (low, high)
        descriptors = self._descriptors(scale.get("descriptors", {}), "scale", "The scale")
        welsh = self._descriptors(scale.get("descriptors_cy", {}), "scale",
                                  "The scale's Welsh (descriptors_cy)")
        return {"min": low, "max": high, "descriptors": descriptors,
                **({"descriptors_cy": welsh} if welsh else {})}

    def _on_scale(self, level: str) -> bool:
        if self.scale is None:
            return True  # the scale itself has a problem, reported already
        return bool(re.fullmatch(r"-?\d+", level)) and self.scale[0] <= int(level) <= self.scale[1]

    def _descriptors(self, descriptors: Any, column: str, owner: str) -> dict[str, str]:
        if not isinstance(descriptors, dict) or not all(
                isinstance(text, str) for text in descriptors.values()):
            self.problem(column, f'{owner}: descriptors must look like {{"1": "Very weak", '
                                 '"2": "Weak"}, one plain-language text for each level.')
            return {}
        for level, text in descriptors.items():
            if problem := one_line_problem(text):
                self.problem(column, f"{owner}: the descriptor of {level}: {problem}")
        wrong = [level for level in descriptors if not self._on_scale(level)]
        if wrong:
            self.problem(column, f"{owner}: descriptors name levels that are not on the scale: "
                                 f"{', '.join(wrong)}. Use the levels "
                                 f"{self.scale[0]} to {self.scale[1]}.")
        return {str(level): text for level, text in descriptors.items()}

    def _budget(self) -> int | float:
        budget = self.spec.get("budget")
        if "budget" not in self.spec:
            self.problem("budget", "The budget is missing. Write it in pounds, like 400000.")
        elif not _number(budget) or budget < 0 or budget >= MAX_BUDGET:
            self.problem("budget", f"The budget {_shown(budget)} is not an amount of "
                                   "money. Write a number of pounds with no quotes, like 400000.")
        else:
            return budget
        return 0

    def _choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.spec.get(key, allowed[0])
        if value not in allowed:
            self.problem(key, f"{_shown(value)} is not a {key}. "
                              f"Use {' or '.join(allowed)}.")
            return allowed[0]
        return value

    def _groups(self) -> list[dict[str, Any]]:
        groups = self._items("groups", "group", 'like {"key": "academic", "label": '
                                                '"Academic", "weight": 1}')
        made = [(self._item(n, g, "groups", "group", 40, {"key", "label", "weight", "pay"}), g)
                for n, g in enumerate(groups, start=1)]
        made = [{"key": g["key"], "label": g.get("label") or g["key"], "weight": g["weight"],
                 **({"pay": pay} if (pay := self._pay(g["key"], given.get("pay"))) else {})}
                for g, given in made if g]
        self.group_keys = self._unique_keys("groups", "group", made, len(groups))
        return made

    def _pay(self, key: str, pay: Any) -> dict[str, int | float] | None:
        """How the group ``key`` is paid (issue 20, docs/payments.md), each amount in
        pounds: ``{"hourly": 25, "meeting_fee": 75}`` or ``{"per_application": 40}``."""
        if pay is None:
            return None
        owner = f'The group "{key}"'
        example = 'like {"hourly": 25, "meeting_fee": 75} (amounts in pounds)'
        if not isinstance(pay, dict) or not pay:
            self.problem("groups", f"{owner}: pay must be written {example}.")
            return None
        unknown = set(pay) - set(PAY_KINDS)
        if unknown:
            self.problem("groups", f"{owner}: pay has {', '.join(sorted(unknown))}, which "
                                   f"FairPanel does not know. Use {', '.join(PAY_KINDS)}, "
                                   f"{example}.")
            return None
        wrong = [kind for kind, amount in pay.items()
                 if not _number(amount) or not 0 < amount <= MAX_PAY
                 or round(amount, 2) != amount]
        if wrong:
            self.problem("groups", f"{owner}: {' and '.join(wrong)} must be an amount of "
                                   "pounds above 0 with no quotes and at most 2 decimal "
                                   "places, like 25 or 12.50.")
            return None
        if "hourly" in pay and "per_application" in pay:
            self.problem("groups", f"{owner}: choose hourly or per_application, not both: "
                                   "each pays for the same reading and scoring.")
            return None
        return {kind: pay[kind] for kind in PAY_KINDS if kind in pay}

    def _criteria(self) -> list[dict[str, Any]]:
        criteria = self._items("criteria", "criterion", 'like {"key": "benefit", "name": '
                                                        '"Benefit to people", "weight": 1}')
        allowed = {"key", "name", "weight", "guidance", "descriptors",
                   "name_cy", "guidance_cy", "descriptors_cy"}  # Welsh: optional
        made = []
        for n, item in enumerate(criteria, start=1):
            criterion = self._item(n, item, "criteria", "criterion", 40, allowed)
            if criterion:
                made.append(self._criterion(n, item, criterion))
        self.criterion_keys = self._unique_keys("criteria", "criterion", made, len(criteria))
        return made

    def _criterion(self, n: int, item: dict[str, Any], made: dict[str, Any]) -> dict[str, Any]:
        owner = f'The {_ordinal(n)} criterion ("{made["key"]}")'
        name, guidance = item.get("name"), item.get("guidance", "")
        if made["key"] in SCORE_FILE_COLUMNS:
            self.problem("criteria", f"{owner}: {made['key']} is a column of scores.csv, so it "
                                     "cannot be a criterion key. Choose another key.")
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            self.problem("criteria", f"{owner} needs a name people will read, like "
                                     '"Benefit to people" (200 characters at most).')
        elif problem := one_line_problem(name):
            self.problem("criteria", f"{owner}: the name: {problem}")
        if not isinstance(guidance, str):
            self.problem("criteria", f"{owner}: the guidance must be text in double quotes.")
            guidance = ""
        descriptors = self._descriptors(item.get("descriptors", {}), "criteria", owner)
        return {"key": made["key"], "name": name if isinstance(name, str) else "",
                "weight": made["weight"], "guidance": guidance, "descriptors": descriptors,
                **self._welsh_criterion(item, owner)}

    def _welsh_criterion(self, item: dict[str, Any], owner: str) -> dict[str, Any]:
        """A criterion's optional Welsh: name_cy, guidance_cy, descriptors_cy (issue 21)."""
        found: dict[str, Any] = {}
        name, guidance = item.get("name_cy", ""), item.get("guidance_cy", "")
        if not isinstance(name, str) or len(name) > 200:
            self.problem("criteria", f"{owner}: name_cy, the name in Welsh, must be text in "
                                     "double quotes (200 characters at most).")
        elif problem := one_line_problem(name):
            self.problem("criteria", f"{owner}: name_cy: {problem}")
        elif name.strip():
            found["name_cy"] = name
        if not isinstance(guidance, str):
            self.problem("criteria", f"{owner}: guidance_cy, the guidance in Welsh, must be "
                                     "text in double quotes.")
        elif guidance.strip():
            found["guidance_cy"] = guidance
        welsh = self._descriptors(item.get("descriptors_cy", {}), "criteria",
                                  f"{owner} (descriptors_cy, in Welsh)")
        return {**found, **({"descriptors_cy": welsh} if welsh else {})}

    def _items(self, key: str, noun: str, example: str) -> list[Any]:
        items = self.spec.get(key)
        if not isinstance(items, list) or not items:
            self.problem(key, f"The round needs a list of {key}, at least one {noun}, {example}.")
            return []
        return items

    def _item(self, n: int, item: Any, column: str, noun: str, limit: int,
              allowed: set[str]) -> dict[str, Any] | None:
        owner = f"The {_ordinal(n)} {noun}"
        if not isinstance(item, dict):
            self.problem(column, f"{owner} must be an object in {{ }}.")
            return None
        key, weight = item.get("key"), item.get("weight", 1)
        unknown = set(item) - allowed
        if unknown:
            self.problem(column, f"{owner} has settings FairPanel does not know: "
                                 f"{', '.join(sorted(unknown))}. Use {', '.join(sorted(allowed))}.")
        if not isinstance(key, str) or not KEY.fullmatch(key) or len(key) > limit:
            self.problem(column, f"{owner} has the key {_shown(key)}. "
                                 "A key is a short name in lower-case letters, numbers and "
                                 'underscores, starting with a letter, like "lived_experience".')
            return None
        if not _number(weight) or weight <= 0:
            self.problem(column, f'{owner} ("{key}") has the weight {_shown(weight)}. '
                                 "Give it a number above 0, like 1.")
            return None
        label = item.get("label", key)
        if "label" in allowed and (not isinstance(label, str) or len(label) > 100):
            self.problem(column, f'{owner} ("{key}") needs a label as text, like "Academic".')
            return None
        if "label" in allowed and (problem := one_line_problem(label)):
            self.problem(column, f'{owner} ("{key}"): the label: {problem}')
            return None
        return {"key": key, "weight": weight, "label": label}

    def _unique_keys(self, column: str, noun: str, made: list[dict[str, Any]],
                     given: int) -> list[str] | None:
        keys = [item["key"] for item in made]
        twice = sorted({key for key in keys if keys.count(key) > 1})
        for key in twice:
            self.problem(column, f'Two {column} have the key "{key}". '
                                 f"Give each {noun} its own key.")
        # Unknown (None) unless every item is usable: a half-read list would make the
        # tables' checks report rows that are not wrong.
        return keys if given and len(made) == given and not twice else None

    def _columns(self, key: str, example: str) -> list[str]:
        """A list of column headings of applications.csv (as their heading_key: the
        headings are read that way, so the names must match that way), or [] with a
        problem."""
        columns = self.spec.get(key, [])
        if not isinstance(columns, list) or not all(isinstance(c, str) and c.strip()
                                                    for c in columns):
            self.problem(key, f"{key} must be a list of column headings of "
                              f"applications.csv, like {example}.")
            return []
        return [heading_key(c) for c in columns]

    def _identifying_columns(self) -> list[str]:
        return self._columns("identifying_columns", '["phone"]')

    def _shown_columns(self) -> list[str]:
        chosen = self._columns("shown_columns", '["area"]')
        identifying = {heading_key(c) for c in self.spec.get("identifying_columns", [])
                       if isinstance(c, str)}
        for column in chosen:
            if column in IDENTIFYING_FIELDS or column in identifying:
                self.problem("shown_columns", f"{column} identifies the applicant, so "
                                              "panellists never see it. Remove it from "
                                              "shown_columns.")
            elif column in SHOWN_STANDARD:
                self.problem("shown_columns", f"{column} is always shown. Remove it from "
                                              "shown_columns.")
        return chosen

    def _public_columns(self) -> list[str]:
        chosen = self._columns("public_columns", '["organisation"]')
        for column in ("applicant_name", "contact_email"):
            if column in chosen:
                self.problem("public_columns", f"{column} names or reaches a person and is "
                                               "never published. Remove it from public_columns.")
        return chosen

    # --- What panellists are told (issue 20) -------------------------------------------

    def _one_line(self, key: str, limit: int) -> str:
        value = self._text(key, limit).strip()
        if problem := one_line_problem(value):
            self.problem(key, f"The {key}: {problem}")
        return value

    def _minutes(self) -> int | None:
        value = self.spec.get("minutes_per_application")
        low, high = MINUTES_PER_APPLICATION
        if value is None:
            return None
        if not _whole(value) or not low <= value <= high:
            self.problem("minutes_per_application",
                         f"minutes_per_application is {_shown(value)}. Write about how long "
                         f"one application takes as a whole number of minutes from {low} to "
                         f"{high}, with no quotes, like 30, or remove it.")
            return None
        return value

    # --- The meeting settings ---------------------------------------------------------

    def _yes_no(self, key: str) -> bool:
        value = self.spec.get(key, MEETING_DEFAULTS[key])
        if not isinstance(value, bool):
            self.problem(key, f"{key} is {_shown(value)}. Write true or false, "
                              "with no quotes.")
            return MEETING_DEFAULTS[key]
        return value

    def _deadline(self) -> str | None:
        value = self.spec.get("scoring_deadline")
        if value is None:
            return None
        try:
            if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
                raise ValueError
            return date.fromisoformat(value).isoformat()
        except ValueError:
            self.problem("scoring_deadline",
                         f"scoring_deadline is {_shown(value)}, which is not a date. Write "
                         'a real date as "YYYY-MM-DD", like "2026-06-30" (scores are due '
                         "by the end of that day in the round's time zone), or remove it.")
            return None

    def _time_zone(self) -> str:
        value = self.spec.get("time_zone", DEFAULT_TIME_ZONE)
        if not is_time_zone(value):
            shown = f"'{value}'" if isinstance(value, str) else _shown(value)
            self.problem("time_zone", f"time_zone {shown} is not a time zone FairPanel "
                                      f"knows; use a name like {DEFAULT_TIME_ZONE}.")
            return DEFAULT_TIME_ZONE
        return value

    def _min_group_size(self) -> int:
        value = self.spec.get("min_group_size", MEETING_DEFAULTS["min_group_size"])
        low, high = MIN_GROUP_SIZES
        if not _whole(value) or not low <= value <= high:
            self.problem("min_group_size", f"min_group_size is {_shown(value)}. Write a "
                                           f"whole number from {low} to {high}, with no "
                                           "quotes, like 2.")
            return MEETING_DEFAULTS["min_group_size"]
        return value
