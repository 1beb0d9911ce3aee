"""The officer's view of reviewer leniency (DESIGN.md §3a; issue 18): each reviewer's
leniency as the rank model estimated it, with its 90 % interval, by group, and a check of
whether leniency differs by group. For officers and auditors only — a conversation aid
after the round, never shown to panellists or the public and never used to change a
score.

Leniency is relative to the reviewer's own group (panel/scoring/rank_model.py): in each
group the leniencies, weighted by the reviewer's sheets, add up to zero, so allowing for
them never moves a group's level. A difference between the groups' levels is the groups'
shared view — voice, not error — and is kept. Built from the kept model result alone
(:func:`panel.reports.rank_model_jobs.kept`), with names and labels from the caller."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

from flask_babel import gettext as _

CLEAR = 1.0  # points: a gap between group levels under this is "about the same"
SPREAD_RATIO = 1.5  # one group's spread this many times another's "differs"


@dataclass(frozen=True)
class Reviewer:
    name: str
    sheets: int
    leniency: float  # points on the 0–100 score: + more generous than their group
    low: float
    high: float

    @property
    def words(self) -> str:
        if self.low > 0:
            return _("More generous than their group, by about %(points)s points",
                     points=f"{self.leniency:.1f}")
        if self.high < 0:
            return _("Stricter than their group, by about %(points)s points",
                     points=f"{-self.leniency:.1f}")
        return _("No clear difference from their group")


@dataclass(frozen=True)
class GroupLeniency:
    key: str
    label: str
    level: float  # the mean of the group's calibrated sheets: its level, kept as it is
    spread: float  # ω_g: how far the group's reviewers differ from one another
    reviewers: list[Reviewer]

    @property
    def balance(self) -> float:
        """The leniencies weighted by sheets, summed over the group: zero by design."""
        sheets = sum(r.sheets for r in self.reviewers)
        return sum(r.sheets * r.leniency for r in self.reviewers) / sheets if sheets else 0.0

    @property
    def generous(self) -> int:
        return sum(r.low > 0 for r in self.reviewers)

    @property
    def strict(self) -> int:
        return sum(r.high < 0 for r in self.reviewers)


@dataclass(frozen=True)
class LeniencyPage:
    groups: list[GroupLeniency]
    levels: list[str]  # a sentence per pair of groups: their levels (voice, kept)
    spread: str  # does leniency differ by group?


def leniency_page(result: dict[str, Any], names: dict[Any, str],
                  labels: dict[str, str]) -> LeniencyPage:
    """The page from a kept model result; ``names`` by member id, ``labels`` by group
    key (members in no group are listed as "No group", in the reader's language)."""
    columns = result["reviewers"]
    by_group: dict[str, list[Reviewer]] = {}
    for member, group, sheets, leniency, (low, high) in zip(
            columns["member"], columns["group"], columns["sheets"], columns["leniency"],
            columns["leniency_90"]):
        by_group.setdefault(group, []).append(Reviewer(
            names.get(member) or _("A panellist no longer on the panel"), sheets, leniency,
            low, high))
    groups = [GroupLeniency(key, labels.get(key) or _("No group"),
                            result["groups"][key]["level"],
                            result["groups"][key]["leniency_sd"],
                            sorted(found, key=lambda r: (-r.leniency, r.name)))
              for key, found in by_group.items()]
    order = list(labels)
    groups.sort(key=lambda g: order.index(g.key) if g.key in order else len(order))
    return LeniencyPage(groups, [_levels(g, h) for g, h in combinations(groups, 2)],
                        _spread(groups))


def _levels(g: GroupLeniency, h: GroupLeniency) -> str:
    gap = g.level - h.level
    if abs(gap) < CLEAR:
        return _("%(g)s and %(h)s reviewers scored at about the same level (%(g_level)s and "
                 "%(h_level)s out of 100 on average).", g=g.label, h=h.label,
                 g_level=f"{g.level:.1f}", h_level=f"{h.level:.1f}")
    higher, lower = (g, h) if gap > 0 else (h, g)
    return _("%(higher)s reviewers scored %(gap)s points higher than %(lower)s reviewers on "
             "average (%(higher_level)s against %(lower_level)s out of 100). This is a "
             "difference between the groups' views: it is their voice, not an error, and "
             "allowing for leniency does not remove it.", higher=higher.label,
             lower=lower.label, gap=f"{abs(gap):.1f}", higher_level=f"{higher.level:.1f}",
             lower_level=f"{lower.level:.1f}")


def _spread(groups: list[GroupLeniency]) -> str:
    """Whether reviewers differ from one another more in one group than another."""
    if len(groups) < 2:
        return ""
    wide = max(groups, key=lambda g: g.spread)
    narrow = min(groups, key=lambda g: g.spread)
    figures = ", ".join(_("%(group)s about %(points)s points", group=g.label,
                          points=f"{g.spread:.1f}") for g in groups)
    if narrow.spread > 0 and wide.spread / narrow.spread >= SPREAD_RATIO:
        return _("Reviewers differ from one another more in %(wide)s than in %(narrow)s "
                 "(%(figures)s): leniency differs by group.", wide=wide.label,
                 narrow=narrow.label, figures=figures)
    return _("Reviewers differ from one another about as much in each group (%(figures)s): "
             "leniency does not clearly differ by group.", figures=figures)
