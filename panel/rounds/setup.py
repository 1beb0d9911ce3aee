"""Changes an officer makes to a draft round's set-up (DESIGN.md §2, §3): details, scale,
criteria, groups, funding and blind-review settings.

Each change checks its rule, records an audit event with the values before and after,
and flushes; the caller commits. A broken rule raises :class:`SetupError` and changes
nothing. The few read-only helpers at the end serve the set-up pages.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from panel.accounts.models import User
from panel.audit.services import changes, record
from panel.extensions import db
from panel.rounds.models import (
    FUNDING_RULES,
    MIN_GROUP_SIZES,
    RANK_MODEL_CHOICES,
    RESERVED_SLUGS,
    WEIGHTINGS,
    Criterion,
    Group,
    PanelMember,
    Round,
)
from panel.rounds.rules_time_zones import DEFAULT_TIME_ZONE, end_of_day, is_time_zone
from panel.rounds.services import DEFAULT_GROUPS, RoundError, create_round
from panel.scoring.models import CriterionScore

DEFAULT_DESCRIPTORS = {"1": "Very weak", "2": "Weak", "3": "OK", "4": "Good", "5": "Excellent"}
MAX_SCALE_SPAN = 10
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_MAX = 40
# Criterion keys are column names in scores.csv (DESIGN.md §8), beside these columns;
# "new" is the page that adds a criterion or group.
RESERVED_CRITERION_KEYS = frozenset({"email", "reference", "stage", "comment", "reason",
                                     "new"})
RESERVED_GROUP_KEYS = frozenset({"new"})


class SetupError(RoundError):
    """A set-up rule was broken. ``field`` names the form field to fix, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- The round itself -------------------------------------------------------------------

def new_round(actor: User, *, title: str, description: str = "") -> Round:
    """A draft round with the house defaults: scale 1–5 with plain descriptors, groups
    academic and lived experience with equal weight, budget 0, strict, no criteria yet."""
    spec = {
        "title": title, "slug": unique_slug(title), "description": description,
        "scale": {"min": 1, "max": 5, "descriptors": dict(DEFAULT_DESCRIPTORS)},
        "budget": 0, "funding_rule": "strict", "weighting": "equal_groups",
        "groups": [dict(g) for g in DEFAULT_GROUPS], "criteria": [],
    }
    return create_round(actor, spec)


def unique_slug(title: str) -> str:
    """Lower-case words of ``title`` joined by hyphens; ``-2``, ``-3``… when taken."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:70].strip("-") or "round"
    taken = set(db.session.scalars(select(Round.slug).where(Round.slug.like(f"{base}%"))))
    taken |= RESERVED_SLUGS
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


# What panellists are told about a round (issue 20): update_details's optional keywords.
WELCOME_FIELDS = ("funder", "help_contact", "minutes_per_application")
MINUTES_PER_APPLICATION = (1, 600)


def update_details(actor: User, round_: Round, *, title: str, description: str,
                   scoring_deadline: date | None, time_zone: str, **welcome: Any) -> bool:
    """Title, description, scoring deadline and time zone, and (when given) what
    panellists are told: ``funder``, ``help_contact`` and ``minutes_per_application``
    (about how long one application takes; None: not said). Scores are due by the end of
    the deadline's day in the round's time zone (stored in UTC). Returns whether
    anything changed."""
    if not title.strip():
        raise SetupError(_("Enter a title for the round"), "title")
    if not is_time_zone(time_zone):
        raise SetupError(time_zone_problem(time_zone), "time_zone")
    unknown = set(welcome) - set(WELCOME_FIELDS)
    if unknown:
        raise TypeError(f"update_details() got unexpected keywords {sorted(unknown)}")
    minutes = welcome.get("minutes_per_application")
    low, high = MINUTES_PER_APPLICATION
    if minutes is not None and not low <= minutes <= high:
        raise SetupError(_("Enter how long one application takes as a whole number of "
                           "minutes from %(low)s to %(high)s, like 30", low=low, high=high),
                         "minutes_per_application")
    deadline = None if scoring_deadline is None else end_of_day(scoring_deadline, time_zone)
    return _change(actor, round_, "round.details_changed", {
        "title": title, "description": description, "scoring_deadline": deadline,
        "time_zone": time_zone, **welcome})


def time_zone_problem(name: str) -> str:
    """What to say about a time zone FairPanel does not know."""
    return _("'%(name)s' is not a time zone FairPanel knows: use a name like %(example)s",
             name=name, example=DEFAULT_TIME_ZONE)


def set_scale(actor: User, round_: Round, *, low: int, high: int,
              descriptors: dict[str, str], descriptors_cy: dict[str, str] | None = None) -> bool:
    """The scoring scale and a descriptor for every level (``descriptors_cy``: any in
    Welsh; None leaves them). Criterion descriptors for levels that leave the scale are
    dropped (and audited on each criterion)."""
    check_scale_range(low, high)
    levels = [str(level) for level in range(low, high + 1)]
    missing = [level for level in levels if not (descriptors.get(level) or "").strip()]
    if missing:
        raise SetupError(_("Describe what a score of %(score)s means", score=missing[0]))
    outside = _scores_outside(round_, low, high)
    if outside:
        raise SetupError(ngettext(
            "%(num)d score already given is outside %(low)s to %(high)s. Keep the scale "
            "wide enough for it.",
            "%(num)d scores already given are outside %(low)s to %(high)s. Keep the scale "
            "wide enough for them.", outside, low=low, high=high))
    welsh = round_.scale_descriptors_cy if descriptors_cy is None else descriptors_cy
    changed = _change(actor, round_, "round.scale_changed", {
        "scale_min": low, "scale_max": high,
        "scale_descriptors": {level: descriptors[level].strip() for level in levels},
        "scale_descriptors_cy": _levels_kept(welsh, levels)})
    for criterion in round_.criteria:
        kept = {k: v for k, v in criterion.descriptors.items() if k in levels}
        changed |= _change(actor, criterion, "criterion.changed", {
            "descriptors": kept, "descriptors_cy": _levels_kept(criterion.descriptors_cy,
                                                                levels)})
    return changed


def check_scale_range(low: int, high: int) -> None:
    """The rule for a scale's ends: whole numbers, lowest below highest, at most 10 apart."""
    if low >= high:
        raise SetupError(_("The lowest score must be less than the highest"), "scale_min")
    if high - low > MAX_SCALE_SPAN:
        raise SetupError(_("The scale can have at most %(levels)s levels: make the highest "
                           "score no more than %(span)s above the lowest",
                           levels=MAX_SCALE_SPAN + 1, span=MAX_SCALE_SPAN), "scale_max")


def set_weighting(actor: User, round_: Round, weighting: str) -> bool:
    """How group scores combine: ``equal_groups`` or ``equal_people`` (DESIGN.md §3)."""
    if weighting not in WEIGHTINGS:
        raise SetupError(_("Choose how to combine the groups' scores"), "weighting")
    return _change(actor, round_, "round.weighting_changed", {"weighting": weighting})


def set_funding(actor: User, round_: Round, *, budget: Decimal, funding_rule: str) -> bool:
    """The budget (≥ 0) and the funding rule (``strict`` or ``fill``)."""
    if budget < 0:
        raise SetupError(_("The budget must be £0 or more"), "budget")
    if funding_rule not in FUNDING_RULES:
        raise SetupError(_("Choose how to draw the funding line"), "funding_rule")
    return _change(actor, round_, "round.funding_changed",
                   {"budget": budget, "funding_rule": funding_rule})


def set_rank_model(actor: User | None, round_: Round, choice: str, *,
                   system: str | None = None) -> bool:
    """Whether the round runs the rank model (DESIGN.md §3a): ``auto`` (from
    RANK_MODEL_FROM applications), ``on`` or ``off``; ``system`` names a command that
    changes it without a person."""
    if choice not in RANK_MODEL_CHOICES:
        raise SetupError(_("Choose auto, on or off for working out how sure the ranking is"),
                         "rank_model")
    before, after = changes(round_, ("rank_model",), {"rank_model": choice})
    if not after:
        return False
    round_.rank_model = choice
    db.session.flush()
    record("round.rank_model_changed", actor=actor, target=round_, before=before,
           after=after, system=system)
    return True


def set_blind(actor: User, round_: Round, *, identifying_columns: Iterable[str],
              show_group_labels: bool, lived_experience_first: bool,
              min_group_size: int | None = None) -> bool:
    """Which extra columns identify applicants, and how moderation shows the panel:
    ``min_group_size`` (2–20; unchanged when None) is the fewest members of a group
    who must have scored an application before the room sees that group's label or
    score (DESIGN.md §4)."""
    values: dict[str, Any] = {
        "identifying_columns": sorted(set(identifying_columns)),
        "show_group_labels": show_group_labels,
        "lived_experience_first": lived_experience_first,
    }
    if min_group_size is not None:
        low, high = MIN_GROUP_SIZES
        if not low <= min_group_size <= high:
            raise SetupError(_("The smallest group shown must be a whole number from %(low)s "
                               "to %(high)s", low=low, high=high), "min_group_size")
        values["min_group_size"] = min_group_size
    return _change(actor, round_, "round.blind_changed", values)


# --- Criteria ---------------------------------------------------------------------------

def add_criterion(actor: User, round_: Round, *, name: str, key: str = "", weight: float,
                  guidance: str = "", descriptors: dict[str, str] | None = None,
                  name_cy: str = "", guidance_cy: str = "",
                  descriptors_cy: dict[str, str] | None = None) -> Criterion:
    """A new criterion at the end of the rubric. Without ``key``, one is made from the name.
    The ``_cy`` values are its optional Welsh (issue 21)."""
    taken = {c.key for c in round_.criteria}
    key = _checked_new_key(key, name, taken | RESERVED_CRITERION_KEYS, "criterion",
                           reserved=RESERVED_CRITERION_KEYS)
    _check_weight(weight)
    criterion = Criterion(round=round_, key=key, name=name, weight=weight, guidance=guidance,
                          descriptors=_clean_descriptors(round_, descriptors),
                          name_cy=name_cy, guidance_cy=guidance_cy,
                          descriptors_cy=_clean_descriptors(round_, descriptors_cy),
                          position=_next_position(round_.criteria))
    db.session.add(criterion)
    db.session.flush()
    record("criterion.added", actor=actor, target=criterion, after={
        "key": key, "name": name, "weight": weight, "guidance": guidance,
        "descriptors": criterion.descriptors,
        **{k: v for k, v in (("name_cy", name_cy), ("guidance_cy", guidance_cy),
                             ("descriptors_cy", criterion.descriptors_cy)) if v}})
    return criterion


def update_criterion(actor: User, criterion: Criterion, *, name: str, weight: float,
                     guidance: str, descriptors: dict[str, str],
                     **welsh: Any) -> bool:
    """Name, weight, guidance and descriptors; the key never changes. ``welsh``: any of
    name_cy, guidance_cy and descriptors_cy (issue 21); those not given are left."""
    _check_weight(weight)
    if "descriptors_cy" in welsh:
        welsh["descriptors_cy"] = _clean_descriptors(criterion.round, welsh["descriptors_cy"])
    return _change(actor, criterion, "criterion.changed", {
        "name": name, "weight": weight, "guidance": guidance,
        "descriptors": _clean_descriptors(criterion.round, descriptors), **welsh})


def remove_criterion(actor: User, criterion: Criterion) -> None:
    """Take a criterion out of the rubric, unless somebody has already scored it."""
    problem = criterion_removal_problem(criterion)
    if problem:
        raise SetupError(problem)
    record("criterion.removed", actor=actor, target=criterion, before={
        "key": criterion.key, "name": criterion.name, "weight": criterion.weight})
    criterion.round.criteria.remove(criterion)
    db.session.flush()


def move_criterion(actor: User, criterion: Criterion, step: int) -> bool:
    """Move a criterion ``step`` places (-1 up, +1 down) in the order panellists see."""
    ordered = sorted(criterion.round.criteria, key=lambda c: (c.position, c.id))
    before = [c.key for c in ordered]
    index = ordered.index(criterion)
    target = index + step
    if not 0 <= target < len(ordered):
        return False
    ordered.insert(target, ordered.pop(index))
    for position, each in enumerate(ordered):
        each.position = position
    record("criteria.reordered", actor=actor, target=criterion.round,
           before={"order": before}, after={"order": [c.key for c in ordered]})
    db.session.flush()
    return True


def criterion_removal_problem(criterion: Criterion) -> str | None:
    """Why ``criterion`` cannot be removed now, in words for the officer; None when it can."""
    scored = db.session.scalar(select(func.count()).select_from(CriterionScore)
                               .where(CriterionScore.criterion_id == criterion.id)) or 0
    if scored:
        return ngettext("%(name)s has already been scored on %(num)d score sheet, so it "
                        "cannot be removed. You can change its name, weight or guidance "
                        "instead.",
                        "%(name)s has already been scored on %(num)d score sheets, so it "
                        "cannot be removed. You can change its name, weight or guidance "
                        "instead.", scored, name=criterion.name)
    return None


# --- Groups -----------------------------------------------------------------------------

def add_group(actor: User, round_: Round, *, label: str, key: str = "",
              weight: float = 1.0) -> Group:
    """A new constituency of the panel. Without ``key``, one is made from the label."""
    key = _checked_new_key(key, label, {g.key for g in round_.groups} | RESERVED_GROUP_KEYS,
                           "group", reserved=RESERVED_GROUP_KEYS)
    _check_weight(weight)
    group = Group(round=round_, key=key, label=label, weight=weight,
                  position=_next_position(round_.groups))
    db.session.add(group)
    db.session.flush()
    record("group.added", actor=actor, target=group,
           after={"key": key, "label": label, "weight": weight})
    return group


def update_group(actor: User, group: Group, *, label: str, weight: float) -> bool:
    """Label and weight; the key never changes (panellists.csv refers to it)."""
    _check_weight(weight)
    return _change(actor, group, "group.changed", {"label": label, "weight": weight})


def remove_group(actor: User, group: Group) -> None:
    """Remove a group with no panel members; a round always keeps at least one group."""
    problem = group_removal_problem(group)
    if problem:
        raise SetupError(problem)
    record("group.removed", actor=actor, target=group,
           before={"key": group.key, "label": group.label, "weight": group.weight})
    group.round.groups.remove(group)
    db.session.flush()


def group_removal_problem(group: Group) -> str | None:
    """Why ``group`` cannot be removed now, in words for the officer; None when it can."""
    members = group_member_count(group)
    if members:
        return ngettext("%(num)d panel member is in %(group)s. Move them to another group or "
                        "take them off the panel first, then remove the group.",
                        "%(num)d panel members are in %(group)s. Move them to another group "
                        "or take them off the panel first, then remove the group.",
                        members, group=group.label)
    if len(group.round.groups) <= 1:
        return _("A round needs at least one group. Add another group before removing this "
                 "one.")
    return None


def group_member_count(group: Group) -> int:
    return db.session.scalar(select(func.count()).select_from(PanelMember)
                             .where(PanelMember.group_id == group.id)) or 0


# --- Read-only helpers for the set-up pages ----------------------------------------------

def weight_shares(items: Iterable[Criterion | Group]) -> dict[int, str]:
    """Each item's share of the total weight, as text with one decimal place: "75.0%"."""
    items = list(items)
    total = sum((Decimal(str(item.weight)) for item in items), Decimal(0))
    if not total:
        return {}
    tenth = Decimal("0.1")
    return {item.id: f"{(Decimal(str(item.weight)) * 100 / total).quantize(tenth, ROUND_HALF_UP)}%"
            for item in items}


def extra_columns(round_: Round) -> list[str]:
    """Every imported extra column of the round's applications, and any already marked
    identifying, in first-seen order."""
    seen = dict.fromkeys(key for application in round_.applications for key in application.extra)
    seen.update(dict.fromkeys(round_.identifying_columns))
    return list(seen)


def set_public_columns(actor: User, round_: Round, columns: Iterable[str]) -> bool:
    """The columns the funder publishes for funded applications on the public summary,
    like the organisation; never the applicant's name or e-mail address. A publishing
    decision, not a set-up one: it may change in any phase, even after publication."""
    chosen = sorted(set(columns))
    refused = [c for c in chosen if c not in publishable_columns(round_)]
    if refused:
        raise SetupError(_("%(columns)s cannot be published: choose from the organisation "
                           "and the other imported columns", columns=", ".join(refused)),
                         "public_columns")
    return _change(actor, round_, "round.public_columns_changed", {"public_columns": chosen})


MAX_RETENTION_MONTHS = 120


def set_retention(actor: User, round_: Round, months: int | None) -> bool:
    """How many months after publication the panel's personal data is kept (None: until
    someone asks). In any phase; once applied, it is done and cannot change."""
    if round_.retention_applied_at is not None:
        raise SetupError(_("This round's personal data has already been erased at the end "
                           "of its keeping time; there is nothing left to keep."),
                         "retention_months")
    if months is not None and not 1 <= months <= MAX_RETENTION_MONTHS:
        raise SetupError(_("Enter a number of months from 1 to %(most)s, or leave it empty "
                           "to keep the data until someone asks", most=MAX_RETENTION_MONTHS),
                         "retention_months")
    return _change(actor, round_, "round.retention_changed", {"retention_months": months})


def publishable_columns(round_: Round) -> list[str]:
    """The columns a funder may publish for funded applications: the organisation and
    the imported extra columns, never a person's name or e-mail address."""
    return ["organisation", *extra_columns(round_)]


def undescribed_levels(round_: Round) -> list[int]:
    """Levels of the round's scale that have no descriptor yet."""
    return [level for level in range(round_.scale_min, round_.scale_max + 1)
            if not round_.scale_descriptors.get(str(level), "").strip()]


# --- Shared rule checks -----------------------------------------------------------------

def _change(actor: User, obj: Any, action: str, new_values: dict[str, Any]) -> bool:
    """Apply ``new_values`` to ``obj`` and record what differed; False when nothing did."""
    before, after = changes(obj, tuple(new_values), new_values)
    if not after:
        return False
    for field, value in after.items():
        setattr(obj, field, value)
    db.session.flush()
    record(action, actor=actor, target=obj, before=before, after=after)
    return True


def _check_weight(weight: float) -> None:
    if not weight > 0:
        raise SetupError(_("The weight must be more than 0"), "weight")


def _checked_new_key(key: str, name: str, taken: set[str], what: str,
                     reserved: frozenset[str] = frozenset()) -> str:
    if not key:
        return _free_key(make_key(name, what), taken)
    if len(key) > KEY_MAX or not KEY_PATTERN.match(key):
        raise SetupError(_("The key must start with a letter and use only letters, numbers "
                           "and underscores (_), up to %(most)s characters", most=KEY_MAX),
                         "key")
    if key in reserved:
        raise SetupError(_("FairPanel uses %(key)s for something else: choose another key",
                           key=key), "key")
    if key in taken and what == "group":
        raise SetupError(_("Another group already has the key %(key)s: choose another key",
                           key=key), "key")
    if key in taken:
        raise SetupError(_("Another criterion already has the key %(key)s: choose another "
                           "key", key=key), "key")
    return key


def make_key(name: str, fallback: str) -> str:
    """A key from a name: "Benefit to people" → "benefit_to_people"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:30].strip("_")
    if not key:
        return fallback
    return key if key[0].isalpha() else f"{fallback}_{key}"


def _free_key(base: str, taken: set[str]) -> str:
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    return key


def _next_position(items: list[Criterion] | list[Group]) -> int:
    return max((item.position for item in items), default=-1) + 1


def _clean_descriptors(round_: Round, descriptors: dict[str, str] | None) -> dict[str, str]:
    """Only non-empty descriptors for levels of the round's scale."""
    levels = {str(level) for level in range(round_.scale_min, round_.scale_max + 1)}
    return {k: v.strip() for k, v in (descriptors or {}).items() if k in levels and v.strip()}


def _levels_kept(descriptors: dict[str, str] | None, levels: list[str]) -> dict[str, str]:
    """Only the (non-empty) words of ``levels``."""
    return {k: v.strip() for k, v in (descriptors or {}).items() if k in levels and v.strip()}


def _scores_outside(round_: Round, low: int, high: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(CriterionScore).join(Criterion)
        .where(Criterion.round_id == round_.id, CriterionScore.value.is_not(None),
               (CriterionScore.value < low) | (CriterionScore.value > high))) or 0
