"""``round.json``: the settings of a round (DESIGN.md §3, §8), checked before anything
is created, and :class:`RoundPlan`, what the table checks need to know about a round."""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
        return None, [Problem(file, None, None, _("The file is not saved as UTF-8 text. "
                                                  "Save it again as UTF-8."))]
    except json.JSONDecodeError as error:
        # What is wrong (error.msg) is the json module's English, for programmers.
        return None, [Problem(file, error.lineno, None,
                              _("This is not valid JSON: %(error)s (at character "
                                "%(position)s of the line). Check for a missing comma, "
                                "quote or bracket.", error=error.msg, position=error.colno))]
    if not isinstance(spec, dict):
        return None, [Problem(file, None, None, _("The file must hold one JSON object, "
                                                  'starting with { and "title".'))]
    return spec, []


def _shown(value: Any) -> str:
    """A value as it was written in round.json."""
    return json.dumps(value, ensure_ascii=False)


def _number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _either(items: list[str] | tuple[str, ...]) -> str:
    """``"strict or fill or lottery"``."""
    said = items[0]
    for item in items[1:]:
        said = _("%(choices)s or %(choice)s", choices=said, choice=item)
    return said


def _both(items: list[str]) -> str:
    """``"hourly and meeting_fee"``."""
    said = items[0]
    for item in items[1:]:
        said = _("%(things)s and %(thing)s", things=said, thing=item)
    return said


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# The longest key a group or a criterion may have.
KEY_LIMIT = 40


@dataclass(frozen=True)
class _ItemKind:
    """The whole sentences round.json's problems with a list of groups or of criteria
    say, one function per problem: a group and a criterion each get their own (issue 21),
    so that no noun is glued into a sentence. ``ordinal`` is "1st", "2nd"..."""

    column: str
    none: Callable[[], str]
    not_an_object: Callable[[str], str]
    unknown_settings: Callable[[str, str, str], str]
    bad_key: Callable[[str, str], str]
    bad_weight: Callable[[str, str, str], str]
    key_twice: Callable[[str], str]


GROUP = _ItemKind(
    column="groups",
    none=lambda: _('The round needs a list of groups, at least one group, like {"key": '
                   '"academic", "label": "Academic", "weight": 1}.'),
    not_an_object=lambda ordinal: _("The %(ordinal)s group must be an object in { }.",
                                    ordinal=ordinal),
    unknown_settings=lambda ordinal, unknown, allowed: _(
        "The %(ordinal)s group has settings FairPanel does not know: %(unknown)s. Use "
        "%(allowed)s.", ordinal=ordinal, unknown=unknown, allowed=allowed),
    bad_key=lambda ordinal, key: _(
        "The %(ordinal)s group has the key %(key)s. A key is a short name in lower-case "
        'letters, numbers and underscores, starting with a letter, like "lived_experience".',
        ordinal=ordinal, key=key),
    bad_weight=lambda ordinal, key, weight: _(
        'The %(ordinal)s group ("%(key)s") has the weight %(weight)s. Give it a number above '
        "0, like 1.", ordinal=ordinal, key=key, weight=weight),
    key_twice=lambda key: _('Two groups have the key "%(key)s". Give each group its own key.',
                            key=key),
)
CRITERION = _ItemKind(
    column="criteria",
    none=lambda: _('The round needs a list of criteria, at least one criterion, like {"key": '
                   '"benefit", "name": "Benefit to people", "weight": 1}.'),
    not_an_object=lambda ordinal: _("The %(ordinal)s criterion must be an object in { }.",
                                    ordinal=ordinal),
    unknown_settings=lambda ordinal, unknown, allowed: _(
        "The %(ordinal)s criterion has settings FairPanel does not know: %(unknown)s. Use "
        "%(allowed)s.", ordinal=ordinal, unknown=unknown, allowed=allowed),
    bad_key=lambda ordinal, key: _(
        "The %(ordinal)s criterion has the key %(key)s. A key is a short name in lower-case "
        'letters, numbers and underscores, starting with a letter, like "lived_experience".',
        ordinal=ordinal, key=key),
    bad_weight=lambda ordinal, key, weight: _(
        'The %(ordinal)s criterion ("%(key)s") has the weight %(weight)s. Give it a number '
        "above 0, like 1.", ordinal=ordinal, key=key, weight=weight),
    key_twice=lambda key: _('Two criteria have the key "%(key)s". Give each criterion its '
                            "own key.", key=key),
)


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
                self.problem(key, _('FairPanel does not know the setting "%(setting)s". '
                                    "Check its spelling, or remove it. The settings are: "
                                    "%(settings)s.", setting=key, settings=", ".join(SETTINGS)))
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
            self.problem("title", _('The round needs a title, like "Healthy towns 2026".'))
            return ""
        if len(title.strip()) > 200:
            self.problem("title", _("The title is longer than 200 characters. Shorten it."))
        elif problem := one_line_problem(title.strip()):
            self.problem("title", _("The title: %(problem)s", problem=problem))
        return title.strip()

    def _slug(self, override: str | None, title: str) -> str:
        given = override if override is not None else self.spec.get("slug")
        if given is None:
            slug = slug_from_title(title)
            if title and not slug:
                self.problem("slug", _("A slug cannot be made from the title. Add a slug: "
                                       "lower-case letters, numbers and hyphens, like "
                                       '"healthy-towns-2026".'))
        elif not isinstance(given, str) or not SLUG.fullmatch(given) or len(given) > 80:
            self.problem("slug", _("%(slug)s is not a valid slug. Use lower-case letters, "
                                   'numbers and hyphens, like "healthy-towns-2026" (80 '
                                   "characters at most).", slug=_shown(given)))
            return ""
        else:
            slug = given
        if slug in RESERVED_SLUGS:
            self.problem("slug", _('"%(slug)s" is the name of a FairPanel page, so it cannot '
                                   "be a round's slug. Choose another slug.", slug=slug))
        elif slug and round_by_slug(slug) is not None:
            self.problem("slug", _('A round with the slug "%(slug)s" already exists. Choose '
                                   "another slug.", slug=slug))
        return slug

    def _text(self, key: str, limit: int) -> str:
        value = self.spec.get(key, "")
        if not isinstance(value, str):
            # key is the setting's name as round.json writes it (description, funder…)
            self.problem(key, _("The %(setting)s must be text in double quotes.", setting=key))
            return ""
        if len(value) > limit:
            self.problem(key, _("The %(setting)s is longer than %(limit)s characters. "
                                "Shorten it.", setting=key, limit=limit))
        return value

    def _scale(self) -> dict[str, Any]:
        scale = self.spec.get("scale", {"min": 1, "max": 5})
        if not isinstance(scale, dict):
            self.problem("scale", _('The scale must look like {"min": 1, "max": 5}.'))
            return {}
        low, high = scale.get("min", 1), scale.get("max", 5)
        if not (_whole(low) and _whole(high)) or not 0 < high - low <= MAX_SCALE_STEPS \
                or max(abs(low), abs(high)) > MAX_SCALE_END:
            self.problem("scale", _("The scale runs from %(low)s to %(high)s. Use two whole "
                                    "numbers with min below max, like 1 and 5 (at most "
                                    "%(steps)s apart).", low=_shown(low), high=_shown(high),
                                    steps=MAX_SCALE_STEPS))
            return {}
        unknown = set(scale) - {"min", "max", "descriptors", "descriptors_cy"}
        if unknown:
            self.problem("scale", _("The scale has settings FairPanel does not know: "
                                    "%(unknown)s. Use min, max, descriptors and "
                                    "descriptors_cy (the same in Welsh).",
                                    unknown=", ".join(sorted(unknown))))
        self.scale = (low, high)
        descriptors = self._descriptors(scale.get("descriptors", {}), "scale", _l("The scale"))
        welsh = self._descriptors(scale.get("descriptors_cy", {}), "scale",
                                  _l("The scale's Welsh (descriptors_cy)"))
        return {"min": low, "max": high, "descriptors": descriptors,
                **({"descriptors_cy": welsh} if welsh else {})}

    def _on_scale(self, level: str) -> bool:
        if self.scale is None:
            return True  # the scale itself has a problem, reported already
        return bool(re.fullmatch(r"-?\d+", level)) and self.scale[0] <= int(level) <= self.scale[1]

    def _descriptors(self, descriptors: Any, column: str, owner: LazyString) -> dict[str, str]:
        # owner ("The scale"…) is lazy: made into words only for a problem.
        if not isinstance(descriptors, dict) or not all(
                isinstance(text, str) for text in descriptors.values()):
            self.problem(column, _('%(owner)s: descriptors must look like {"1": "Very weak", '
                                   '"2": "Weak"}, one plain-language text for each level.',
                                   owner=owner))
            return {}
        for level, text in descriptors.items():
            if problem := one_line_problem(text):
                self.problem(column, _("%(owner)s: the descriptor of %(level)s: %(problem)s",
                                       owner=owner, level=level, problem=problem))
        wrong = [level for level in descriptors if not self._on_scale(level)]
        if wrong:
            self.problem(column, _("%(owner)s: descriptors name levels that are not on the "
                                   "scale: %(levels)s. Use the levels %(low)s to %(high)s.",
                                   owner=owner, levels=", ".join(wrong), low=self.scale[0],
                                   high=self.scale[1]))
        return {str(level): text for level, text in descriptors.items()}

    def _budget(self) -> int | float:
        budget = self.spec.get("budget")
        if "budget" not in self.spec:
            self.problem("budget", _("The budget is missing. Write it in pounds, like 400000."))
        elif not _number(budget) or budget < 0 or budget >= MAX_BUDGET:
            self.problem("budget", _("The budget %(budget)s is not an amount of money. Write "
                                     "a number of pounds with no quotes, like 400000.",
                                     budget=_shown(budget)))
        else:
            return budget
        return 0

    def _choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.spec.get(key, allowed[0])
        if value not in allowed:
            # key is the setting's name as round.json writes it (funding_rule…)
            self.problem(key, _("%(value)s is not a %(setting)s. Use %(choices)s.",
                                value=_shown(value), setting=key, choices=_either(allowed)))
            return allowed[0]
        return value

    def _groups(self) -> list[dict[str, Any]]:
        groups = self._items("groups", GROUP)
        made = [(self._item(n, g, GROUP, {"key", "label", "weight", "pay"}), g)
                for n, g in enumerate(groups, start=1)]
        made = [{"key": g["key"], "label": g.get("label") or g["key"], "weight": g["weight"],
                 **({"pay": pay} if (pay := self._pay(g["key"], given.get("pay"))) else {})}
                for g, given in made if g]
        self.group_keys = self._unique_keys("groups", GROUP, made, len(groups))
        return made

    def _pay(self, key: str, pay: Any) -> dict[str, int | float] | None:
        """How the group ``key`` is paid (issue 20, docs/payments.md), each amount in
        pounds: ``{"hourly": 25, "meeting_fee": 75}`` or ``{"per_application": 40}``."""
        if pay is None:
            return None
        if not isinstance(pay, dict) or not pay:
            self.problem("groups", _('The group "%(group)s": pay must be written like '
                                     '{"hourly": 25, "meeting_fee": 75} (amounts in pounds).',
                                     group=key))
            return None
        unknown = set(pay) - set(PAY_KINDS)
        if unknown:
            self.problem("groups", _('The group "%(group)s": pay has %(unknown)s, which '
                                     "FairPanel does not know. Use %(kinds)s, like "
                                     '{"hourly": 25, "meeting_fee": 75} (amounts in pounds).',
                                     group=key, unknown=", ".join(sorted(unknown)),
                                     kinds=", ".join(PAY_KINDS)))
            return None
        wrong = [kind for kind, amount in pay.items()
                 if not _number(amount) or not 0 < amount <= MAX_PAY
                 or round(amount, 2) != amount]
        if wrong:
            self.problem("groups", _('The group "%(group)s": %(kinds)s must be an amount of '
                                     "pounds above 0 with no quotes and at most 2 decimal "
                                     "places, like 25 or 12.50.", group=key, kinds=_both(wrong)))
            return None
        if "hourly" in pay and "per_application" in pay:
            self.problem("groups", _('The group "%(group)s": choose hourly or per_application, '
                                     "not both: each pays for the same reading and scoring.",
                                     group=key))
            return None
        return {kind: pay[kind] for kind in PAY_KINDS if kind in pay}

    def _criteria(self) -> list[dict[str, Any]]:
        criteria = self._items("criteria", CRITERION)
        allowed = {"key", "name", "weight", "guidance", "descriptors",
                   "name_cy", "guidance_cy", "descriptors_cy"}  # Welsh: optional
        made = []
        for n, item in enumerate(criteria, start=1):
            criterion = self._item(n, item, CRITERION, allowed)
            if criterion:
                made.append(self._criterion(n, item, criterion))
        self.criterion_keys = self._unique_keys("criteria", CRITERION, made, len(criteria))
        return made

    def _criterion(self, n: int, item: dict[str, Any], made: dict[str, Any]) -> dict[str, Any]:
        which = {"ordinal": _ordinal(n), "key": made["key"]}
        name, guidance = item.get("name"), item.get("guidance", "")
        if made["key"] in SCORE_FILE_COLUMNS:
            self.problem("criteria", _('The %(ordinal)s criterion ("%(key)s"): %(key)s is a '
                                       "column of scores.csv, so it cannot be a criterion "
                                       "key. Choose another key.", **which))
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            self.problem("criteria", _('The %(ordinal)s criterion ("%(key)s") needs a name '
                                       'people will read, like "Benefit to people" (200 '
                                       "characters at most).", **which))
        elif problem := one_line_problem(name):
            self.problem("criteria", _('The %(ordinal)s criterion ("%(key)s"): the name: '
                                       "%(problem)s", problem=problem, **which))
        if not isinstance(guidance, str):
            self.problem("criteria", _('The %(ordinal)s criterion ("%(key)s"): the guidance '
                                       "must be text in double quotes.", **which))
            guidance = ""
        descriptors = self._descriptors(
            item.get("descriptors", {}), "criteria",
            _l('The %(ordinal)s criterion ("%(key)s")', **which))
        return {"key": made["key"], "name": name if isinstance(name, str) else "",
                "weight": made["weight"], "guidance": guidance, "descriptors": descriptors,
                **self._welsh_criterion(item, which)}

    def _welsh_criterion(self, item: dict[str, Any], which: dict[str, str]) -> dict[str, Any]:
        """A criterion's optional Welsh: name_cy, guidance_cy, descriptors_cy (issue 21)."""
        found: dict[str, Any] = {}
        name, guidance = item.get("name_cy", ""), item.get("guidance_cy", "")
        if not isinstance(name, str) or len(name) > 200:
            self.problem("criteria", _('The %(ordinal)s criterion ("%(key)s"): name_cy, the '
                                       "name in Welsh, must be text in double quotes (200 "
                                       "characters at most).", **which))
        elif problem := one_line_problem(name):
            self.problem("criteria", _('The %(ordinal)s criterion ("%(key)s"): name_cy: '
                                       "%(problem)s", problem=problem, **which))
        elif name.strip():
            found["name_cy"] = name
        if not isinstance(guidance, str):
            self.problem("criteria", _('The %(ordinal)s criterion ("%(key)s"): guidance_cy, '
                                       "the guidance in Welsh, must be text in double quotes.",
                                       **which))
        elif guidance.strip():
            found["guidance_cy"] = guidance
        welsh = self._descriptors(
            item.get("descriptors_cy", {}), "criteria",
            _l('The %(ordinal)s criterion ("%(key)s") (descriptors_cy, in Welsh)', **which))
        return {**found, **({"descriptors_cy": welsh} if welsh else {})}

    def _items(self, key: str, kind: _ItemKind) -> list[Any]:
        items = self.spec.get(key)
        if not isinstance(items, list) or not items:
            self.problem(key, kind.none())
            return []
        return items

    def _item(self, n: int, item: Any, kind: _ItemKind,
              allowed: set[str]) -> dict[str, Any] | None:
        ordinal, column = _ordinal(n), kind.column
        if not isinstance(item, dict):
            self.problem(column, kind.not_an_object(ordinal))
            return None
        key, weight = item.get("key"), item.get("weight", 1)
        unknown = set(item) - allowed
        if unknown:
            self.problem(column, kind.unknown_settings(
                ordinal, ", ".join(sorted(unknown)), ", ".join(sorted(allowed))))
        if not isinstance(key, str) or not KEY.fullmatch(key) or len(key) > KEY_LIMIT:
            self.problem(column, kind.bad_key(ordinal, _shown(key)))
            return None
        if not _number(weight) or weight <= 0:
            self.problem(column, kind.bad_weight(ordinal, key, _shown(weight)))
            return None
        label = item.get("label", key)
        if "label" in allowed and (not isinstance(label, str) or len(label) > 100):
            self.problem(column, _('The %(ordinal)s group ("%(key)s") needs a label as text, '
                                   'like "Academic".', ordinal=ordinal, key=key))
            return None
        if "label" in allowed and (problem := one_line_problem(label)):
            self.problem(column, _('The %(ordinal)s group ("%(key)s"): the label: '
                                   "%(problem)s", ordinal=ordinal, key=key, problem=problem))
            return None
        return {"key": key, "weight": weight, "label": label}

    def _unique_keys(self, column: str, kind: _ItemKind, made: list[dict[str, Any]],
                     given: int) -> list[str] | None:
        keys = [item["key"] for item in made]
        twice = sorted({key for key in keys if keys.count(key) > 1})
        for key in twice:
            self.problem(column, kind.key_twice(key))
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
            self.problem(key, _("%(setting)s must be a list of column headings of "
                                "applications.csv, like %(example)s.", setting=key,
                                example=example))
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
                self.problem("shown_columns", _("%(column)s identifies the applicant, so "
                                                "panellists never see it. Remove it from "
                                                "shown_columns.", column=column))
            elif column in SHOWN_STANDARD:
                self.problem("shown_columns", _("%(column)s is always shown. Remove it from "
                                                "shown_columns.", column=column))
        return chosen

    def _public_columns(self) -> list[str]:
        chosen = self._columns("public_columns", '["organisation"]')
        for column in ("applicant_name", "contact_email"):
            if column in chosen:
                self.problem("public_columns", _("%(column)s names or reaches a person and "
                                                 "is never published. Remove it from "
                                                 "public_columns.", column=column))
        return chosen

    # --- What panellists are told (issue 20) -------------------------------------------

    def _one_line(self, key: str, limit: int) -> str:
        value = self._text(key, limit).strip()
        if problem := one_line_problem(value):
            self.problem(key, _("The %(setting)s: %(problem)s", setting=key, problem=problem))
        return value

    def _minutes(self) -> int | None:
        value = self.spec.get("minutes_per_application")
        low, high = MINUTES_PER_APPLICATION
        if value is None:
            return None
        if not _whole(value) or not low <= value <= high:
            self.problem("minutes_per_application",
                         _("minutes_per_application is %(value)s. Write about how long one "
                           "application takes as a whole number of minutes from %(low)s to "
                           "%(high)s, with no quotes, like 30, or remove it.",
                           value=_shown(value), low=low, high=high))
            return None
        return value

    # --- The meeting settings ---------------------------------------------------------

    def _yes_no(self, key: str) -> bool:
        value = self.spec.get(key, MEETING_DEFAULTS[key])
        if not isinstance(value, bool):
            self.problem(key, _("%(setting)s is %(value)s. Write true or false, with no "
                                "quotes.", setting=key, value=_shown(value)))
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
                         _('scoring_deadline is %(value)s, which is not a date. Write a real '
                           'date as "YYYY-MM-DD", like "2026-06-30" (scores are due by the end '
                           "of that day in the round's time zone), or remove it.",
                           value=_shown(value)))
            return None

    def _time_zone(self) -> str:
        value = self.spec.get("time_zone", DEFAULT_TIME_ZONE)
        if not is_time_zone(value):
            shown = f"'{value}'" if isinstance(value, str) else _shown(value)
            self.problem("time_zone", _("time_zone %(value)s is not a time zone FairPanel "
                                        "knows; use a name like %(example)s.", value=shown,
                                        example=DEFAULT_TIME_ZONE))
            return DEFAULT_TIME_ZONE
        return value

    def _min_group_size(self) -> int:
        value = self.spec.get("min_group_size", MEETING_DEFAULTS["min_group_size"])
        low, high = MIN_GROUP_SIZES
        if not _whole(value) or not low <= value <= high:
            self.problem("min_group_size", _("min_group_size is %(value)s. Write a whole "
                                             "number from %(low)s to %(high)s, with no "
                                             "quotes, like 2.", value=_shown(value), low=low,
                                             high=high))
            return MEETING_DEFAULTS["min_group_size"]
        return value
