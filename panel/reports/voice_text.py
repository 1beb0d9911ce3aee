"""The words of the community-voice report: every number formatted one way (the page,
the public summary and their tests all use these), and the plain-English sentences made
from the report dict of :func:`panel.reports.report.round_report`. Pure: no database; the
words are in the reader's language (Flask-Babel: each sentence one whole message with
named placeholders and its plural forms, so that Welsh can order and inflect it; English
outside a request).

Rounding on the page: scores and moderation movement (points on the 0–100 score) to one
decimal; agreement coefficients to two decimals; criterion gaps (points on the round's
scale, say 1 to 5) to two decimals; money in whole pounds with thousands separators
(£445,050), never pence. Negative figures carry a true minus sign (−); but a change of
rank is said in words ("3 places lower without them", "no change"), never with a sign.

Agreement bands, on Spearman's ρ rounded to two decimals as the page shows it (Kendall's
τ is beside it in the table, usually a little smaller):

    ρ ≥ 0.70          agreed strongly
    0.40 ≤ ρ < 0.70   agreed moderately
    0.10 ≤ ρ < 0.40   agreed weakly
    −0.10 < ρ < 0.10  showed no relationship
    ρ ≤ −0.10         disagreed weakly, moderately or strongly (the same bands on |ρ|):
                      what one group scored high, the other tended to score low

How sure: a 95 % interval for ρ by Fisher's z, z = atanh ρ ± 1.96 × 1.06 / √(n − 3)
(Fieller, Hartley and Pearson's standard error for Spearman's ρ), n the applications both
groups scored. With fewer than ``FEW`` applications, or when the interval reaches both
below −0.10 and above 0.10 (it holds agreement and disagreement alike), the words are
"too few applications to tell".

Too small to matter: a difference under ``TOO_SMALL`` points on the 0–100 score, that is
under 5 % of the scale's range (under 0.2 points on a 1 to 5 scale). Five points is a
quarter of one step on a 1 to 5 criterion: less than any one panellist can express by
moving one score.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from panel import policy

MINUS = "\u2212"
NO_FIGURE = "–"
BANDS = ((0.70, "strongly"), (0.40, "moderately"), (0.10, "weakly"))
NO_AGREEMENT_FIGURE = _l("not enough applications to say")
NO_RELATIONSHIP = _l("showed no relationship")
TOO_FEW = _l("too few applications to tell")
AGREED = {"strongly": _l("agreed strongly"), "moderately": _l("agreed moderately"),
          "weakly": _l("agreed weakly")}
DISAGREED = {"strongly": _l("disagreed strongly"), "moderately": _l("disagreed moderately"),
             "weakly": _l("disagreed weakly")}
FEW = 10  # fewer applications scored by both groups: too few to tell how far they agree
SPEARMAN_SE = 1.06  # Fisher z standard error of Spearman's ρ: 1.06 / √(n − 3)
Z95 = 1.96
TOO_SMALL = 5.0  # points on the 0–100 score: a difference under this is too small to matter
TOO_SMALL_SHARE = TOO_SMALL / 100  # the same share of any scale's range
NAMED = 3  # a list of titles names them all up to this many, else two and "N others"
# In the reader's language (lazy: read when shown; str() them for a file).
FUNDING_RULES = {
    "strict": _l("strict: fund in rank order and stop at the first application that does "
                 "not fit"),
    "fill": _l("fill: fund in rank order, skipping any application that does not fit"),
    "lottery": _l("lottery: fund those clearly above the line, then draw lots among the "
                  "applications too close to call, funding them in the drawn order while "
                  "they fit"),
}
WEIGHTINGS = {"equal_groups": _l("each group has an equal voice, whatever its size"),
              "equal_people": _l("each panellist has an equal voice")}


# Numbers --------------------------------------------------------------------------------------

def score(value: float | None) -> str:
    """A 0–100 score: one decimal."""
    return NO_FIGURE if value is None else _signed(f"{value:.1f}")


def coefficient(value: float | None) -> str:
    """Spearman's ρ or Kendall's τ: two decimals."""
    return str(NO_AGREEMENT_FIGURE) if value is None else _signed(f"{value:.2f}")


def scale_points(value: float | None) -> str:
    """A gap on the round's scale, with its sign: two decimals."""
    if value is None:
        return NO_FIGURE
    text = f"{value:+.2f}"
    return "0.00" if text in ("+0.00", "-0.00") else _signed(text)


def points(value: float | None) -> str:
    """Moderation movement in 0–100 score points, with its sign: one decimal."""
    if value is None:
        return NO_FIGURE
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else _signed(text)


def shift(value: int | None) -> str:
    """A rank shift (rank without the group minus rank with it) in words: "3 places lower
    without them" (the group lifted it), "1 place higher without them", "no change"."""
    if value is None:
        return NO_FIGURE
    if value == 0:
        return _("no change")
    if value > 0:
        return ngettext("%(num)d place lower without them", "%(num)d places lower without them",
                        value)
    return ngettext("%(num)d place higher without them", "%(num)d places higher without them",
                    -value)


def moved_places(before: int | None, after: int | None) -> str:
    """From one rank to another in words: "up 2 places", "down 1 place", "no change"."""
    if before is None or after is None:
        return NO_FIGURE
    if before == after:
        return _("no change")
    if after < before:
        return ngettext("up %(num)d place", "up %(num)d places", before - after)
    return ngettext("down %(num)d place", "down %(num)d places", after - before)


def too_small(points_apart: float | None, scale_range: float = 100) -> bool:
    """Whether a difference is too small to matter: under 5 % of the scale's range."""
    return points_apart is not None and abs(points_apart) < TOO_SMALL_SHARE * scale_range


def rank(value: int | None) -> str:
    return NO_FIGURE if value is None else str(value)


def whole_pounds(value: float | Decimal) -> int:
    """A sum of money in whole pounds, half a pound rounding up: how every page and
    every download meant for people gives money (the machine-readable report keeps pence)."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def money(value: float | Decimal | None) -> str:
    """£12,345: whole pounds (half a pound rounds up), never pence."""
    if value is None:
        return NO_FIGURE
    return f"£{whole_pounds(value):,}"


def in_whole_pounds(text: str) -> str:
    """``text`` with every sum of money in it written as :func:`money` writes it: the
    report's warnings give pence (the report JSON keeps them); the page never does."""
    return re.sub(r"£(\d[\d,]*(?:\.\d+)?)",
                  lambda found: money(Decimal(found.group(1).replace(",", ""))), text)


def utc_time(iso: str) -> str:
    """The report's ``2026-11-22T02:30:10Z`` as ``22 November 2026 at 02:30 UTC``."""
    moment = datetime.fromisoformat(iso)
    return f"{moment.day} {moment:%B %Y at %H:%M} UTC"


def count(number: int, noun: str, plural: str | None = None) -> str:
    """English only (files for officers): a sentence for people uses ngettext."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def _signed(text: str) -> str:
    return text.replace("-", MINUS)


# Sentences --------------------------------------------------------------------------------------

def and_list(items: Sequence[str]) -> str:
    """"A", "A and B", "A, B and C": a list in a sentence."""
    if len(items) == 1:
        return items[0]
    return _("%(first)s and %(last)s", first=", ".join(items[:-1]), last=items[-1])


def titles(names: Sequence[str]) -> str:
    """Titles in quotes for a sentence: all of them up to ``NAMED``, else the first two
    and "N others" (“A”, “B” and 2 others)."""
    quoted = [f"\u201c{name}\u201d" for name in names]
    if len(quoted) > NAMED:
        quoted = [*quoted[:2], ngettext("%(num)d other", "%(num)d others", len(names) - 2)]
    return and_list(quoted)


def _changed_story(label: str, brought_in: str, moved_out: str, brought: int,
                   moved: int) -> str:
    """What one group's scores did, with the projects already in words: ``brought_in``
    (``brought`` of them) would not have been funded without it, ``moved_out`` (``moved``)
    would have been instead."""
    if not brought and not moved:
        return _("Without the %(group)s group's scores, the same projects would have been "
                 "funded.", group=label)
    if brought and moved:
        return _("Without the %(group)s group's scores, %(brought_in)s would not have been "
                 "funded; %(moved_out)s would have been instead.", group=label,
                 brought_in=brought_in, moved_out=moved_out)
    if brought:
        return ngettext("Without the %(group)s group's scores, %(brought_in)s would not have "
                        "been funded, and no other project would have been funded in its "
                        "place.",
                        "Without the %(group)s group's scores, %(brought_in)s would not have "
                        "been funded, and no other project would have been funded in their "
                        "place.", brought, group=label, brought_in=brought_in)
    return _("Without the %(group)s group's scores, %(moved_out)s would have been funded as "
             "well; every project funded now would still have been funded.", group=label,
             moved_out=moved_out)


def funding_story(label: str, brought_in: Sequence[str], moved_out: Sequence[str]) -> str:
    """What one group's scores did to the funded set, naming the projects: the titles of
    its funded_because (``brought_in``) and displaced_by (``moved_out``) lists."""
    return _changed_story(label, titles(brought_in) if brought_in else "",
                          titles(moved_out) if moved_out else "", len(brought_in),
                          len(moved_out))


def public_funding_story(label: str, brought_in: Sequence[str], unlisted: int,
                         moved_out: int) -> str:
    """:func:`funding_story` for the public summary, which names only the projects it
    lists as funded: ``brought_in`` are the titles of the group's funded_because that are
    funded in the end, ``unlisted`` how many others it has (the panel's decisions did not
    fund them), and the projects that would have been funded instead are only counted —
    an unsuccessful application is never named in public."""
    others = ngettext("%(num)d other project", "%(num)d other projects", moved_out)
    if unlisted:
        listed = and_list([f"\u201c{name}\u201d" for name in brought_in] + [ngettext(
            "%(num)d project the panel did not fund in the end",
            "%(num)d projects the panel did not fund in the end", unlisted)])
    else:
        listed = titles(brought_in) if brought_in else ""
    return _changed_story(label, listed, others, len(brought_in) + unlisted, moved_out)


def spearman_interval(spearman: float | None, n: int) -> tuple[float, float] | None:
    """The 95 % interval for Spearman's ρ over ``n`` applications, by Fisher's z with
    standard error 1.06 / √(n − 3); None without a ρ or with fewer than 4 applications."""
    if spearman is None or n < 4:
        return None
    rho = max(-0.999999, min(0.999999, spearman))  # atanh(±1) is infinite
    z, half = math.atanh(rho), Z95 * SPEARMAN_SE / math.sqrt(n - 3)
    return math.tanh(z - half), math.tanh(z + half)


def too_few_to_tell(spearman: float | None, n: int) -> bool:
    """Too few applications to tell how far two groups agree: fewer than ``FEW``, or an
    interval that holds both agreement and disagreement (below −0.10 and above 0.10)."""
    interval = spearman_interval(spearman, n)
    return n < FEW or interval is None or (interval[0] <= -BANDS[-1][0]
                                           and interval[1] >= BANDS[-1][0])


def agreement_words(spearman: float | None, n: int | None = None) -> str | None:
    """The words for the band a Spearman ρ falls in (see the module docstring); with the
    number of applications ``n``, "too few applications to tell" when it is."""
    if spearman is None:
        return None
    if n is not None and too_few_to_tell(spearman, n):
        return str(TOO_FEW)
    rho = round(spearman, 2)
    strength = next((words for edge, words in BANDS if abs(rho) >= edge), None)
    if strength is None:
        return str(NO_RELATIONSHIP)
    return str((AGREED if rho > 0 else DISAGREED)[strength])


def agreement_sentence(label_g: str, label_h: str, spearman: float | None,
                       n: int | None = None) -> str:
    if spearman is None:
        return _("There are not enough applications scored by both the %(g)s and the %(h)s "
                 "groups to say how far they agree.", g=label_g, h=label_h)
    rho = round(spearman, 2)
    strength = next((words for edge, words in BANDS if abs(rho) >= edge), None)
    shown = coefficient(spearman)
    if strength is None:
        sentence = _("The %(g)s and %(h)s groups' scores showed no relationship (Spearman "
                     "%(rho)s): knowing how one group scored an application tells you nothing "
                     "about how the other did.", g=label_g, h=label_h, rho=shown)
    elif rho > 0:
        sentence = _("The %(g)s and %(h)s groups' scores %(words)s (Spearman %(rho)s).",
                     g=label_g, h=label_h, words=AGREED[strength], rho=shown)
    else:
        sentence = _("The %(g)s and %(h)s groups' scores %(words)s (Spearman %(rho)s): what "
                     "one group scored high, the other tended to score low.", g=label_g,
                     h=label_h, words=DISAGREED[strength], rho=shown)
    return sentence if n is None else f"{sentence} {_how_sure(spearman, n)}"


def _how_sure(spearman: float, n: int) -> str:
    scored = ngettext("%(num)d application scored by both groups",
                      "%(num)d applications scored by both groups", n)
    interval = spearman_interval(spearman, n)
    if interval is None:
        return _("With only %(scored)s, there are too few applications to tell how far they "
                 "agree: at least %(few)s are needed.", scored=scored, few=FEW)
    low, high = coefficient(interval[0]), coefficient(interval[1])
    if too_few_to_tell(spearman, n):
        return _("With only %(scored)s, there are too few applications to tell how far they "
                 "agree: the true figure could be anywhere from %(low)s to %(high)s "
                 "(95\u00a0%% interval).", scored=scored, low=low, high=high)
    return _("With %(scored)s, we can be fairly sure of the direction: the true figure could "
             "be anywhere from %(low)s to %(high)s (95\u00a0%% interval).", scored=scored,
             low=low, high=high)


def meeting_held(phase: str, changed_scores: bool) -> bool:
    """Whether there has been a meeting to speak of: the round has reached moderation, or
    (a round imported with its history) some final score differs from its initial one."""
    return phase not in policy.BEFORE_MEETING or changed_scores


def movement_sentence(held: bool, moves: Iterable[tuple[str, str, float | None]]) -> str:
    """Who moved toward whom in the meeting; ``moves`` are (label g, label h, moved_toward)."""
    if not held:
        return _("The meeting has not taken place yet, so no scores have moved.")
    parts = [_move(g, h, value) for g, h, value in moves]
    if not parts:
        return _("There is only one group, so there is no other view to move toward.")
    return _("In the meeting, %(moves)s.", moves="; ".join(parts))


def _move(label_g: str, label_h: str, value: float | None) -> str:
    if value is None:
        return _("the %(g)s group's movement toward the %(h)s group cannot be measured: no "
                 "application had scores from both groups before and after the meeting with "
                 "the groups apart", g=label_g, h=label_h)
    size = points(value).lstrip("+").lstrip(MINUS)
    if size == "0.0":
        return _("the %(g)s group did not move toward or away from the %(h)s group's view",
                 g=label_g, h=label_h)
    if value > 0:
        return (_("the %(g)s group moved %(points)s point toward the %(h)s group's view",
                  g=label_g, points=size, h=label_h) if size == "1.0" else
                _("the %(g)s group moved %(points)s points toward the %(h)s group's view",
                  g=label_g, points=size, h=label_h))
    return (_("the %(g)s group moved %(points)s point away from the %(h)s group's view",
              g=label_g, points=size, h=label_h) if size == "1.0" else
            _("the %(g)s group moved %(points)s points away from the %(h)s group's view",
              g=label_g, points=size, h=label_h))


def biggest_gap_sentence(label_g: str, label_h: str, gaps: dict[str, float | None],
                         names: dict[str, str], scale: dict[str, int]) -> str:
    """The criterion where two groups' average scores differ most."""
    present = {key: gap for key, gap in gaps.items() if gap is not None}
    if not present:
        return _("No criterion was scored by both the %(g)s and the %(h)s groups.",
                 g=label_g, h=label_h)
    key = max(present, key=lambda k: abs(present[k]))
    gap = present[key]
    if scale_points(gap) == "0.00":
        return _("The %(g)s and %(h)s groups gave every criterion the same average score.",
                 g=label_g, h=label_h)
    higher, lower = (label_g, label_h) if gap > 0 else (label_h, label_g)
    return _("The biggest gap was on \u201c%(criterion)s\u201d: the %(higher)s group scored "
             "it %(points)s points higher on average than the %(lower)s group, on the "
             "%(min)s to %(max)s scale.", criterion=names.get(key, key), higher=higher,
             points=scale_points(abs(gap)).lstrip("+"), lower=lower, min=scale["min"],
             max=scale["max"])


def _too_small_to_matter(found: str, small: bool) -> str:
    return _("%(figure)s, too small to matter", figure=found) if small else found


def higher(label_g: str, label_h: str, gap: float | None, places: int = 1,
           scale_range: float = 100) -> str:
    """A gap (g minus h) in words: "Academic 0.58 higher", "the same", and "too small to
    matter" after it when it is under 5 % of the scale's range."""
    if gap is None:
        return _("no figure")
    size = f"{abs(gap):.{places}f}"
    if float(size) == 0:
        return _("the same")
    found = _("%(group)s %(size)s higher", group=label_g if gap > 0 else label_h, size=size)
    return _too_small_to_matter(found, too_small(gap, scale_range))


def moved(value: float | None) -> str:
    """Moderation movement in words: "3.1 points toward", "0.5 points away", "did not
    move"; "too small to matter" after it when under ``TOO_SMALL`` points."""
    if value is None:
        return _("no figure")
    size = f"{abs(value):.1f}"
    if float(size) == 0:
        return _("did not move")
    if value > 0:
        found = (_("%(size)s point toward", size=size) if size == "1.0"
                 else _("%(size)s points toward", size=size))
    else:
        found = (_("%(size)s point away", size=size) if size == "1.0"
                 else _("%(size)s points away", size=size))
    return _too_small_to_matter(found, too_small(value))


def size_of(value: float | None, places: int, scale_range: float) -> str:
    """The typical size of a gap: "2.33 points", with "too small to matter" when it is."""
    if value is None:
        return _("no figure")
    shown = f"{value:.{places}f}"
    found = (_("%(size)s point", size=shown) if float(shown) == 1
             else _("%(size)s points", size=shown))
    return _too_small_to_matter(found, too_small(value, scale_range))


def who_higher(label_g: str, label_h: str, applications: int, g_higher: int,
               h_higher: int) -> str:
    """On how many applications each group scored higher: "Lived experience on 14 of 20;
    Academic on 5" (the rest level)."""
    if not applications:
        return _("no figure")
    sides = sorted([(label_g, g_higher), (label_h, h_higher)], key=lambda side: -side[1])
    found = [_("%(group)s on %(n)s of %(total)s", group=sides[0][0], n=f"{sides[0][1]:,}",
               total=f"{applications:,}")]
    if sides[1][1]:
        found.append(_("%(group)s on %(n)s", group=sides[1][0], n=f"{sides[1][1]:,}"))
    level = applications - g_higher - h_higher
    if level:
        found.append(_("level on %(n)s", n=f"{level:,}"))
    return "; ".join(found)


def typical_sentence(label_g: str, label_h: str, applications: int, typical: float | None,
                     g_higher: int, h_higher: int) -> str:
    """How far apart two groups' 0–100 scores were on a typical application."""
    if not applications or typical is None:
        return _("No application has a score from both the %(g)s and the %(h)s groups, so "
                 "there is nothing to compare.", g=label_g, h=label_h)
    if g_higher == h_higher:
        direction = (ngettext("each group scored higher on %(num)d application",
                              "each group scored higher on %(num)d applications", g_higher)
                     if g_higher else _("they gave every application the same score"))
    else:
        more, most = (label_g, g_higher) if g_higher > h_higher else (label_h, h_higher)
        direction = _("the %(group)s group scored higher on %(n)s of %(total)s", group=more,
                      n=f"{most:,}", total=f"{applications:,}")
    return _("On a typical application, the %(g)s and %(h)s groups' scores were %(size)s "
             "apart out of 100; %(direction)s.", g=label_g, h=label_h,
             size=size_of(typical, 1, 100), direction=direction)


def widest_gap_sentence(label_g: str, label_h: str, rows: list[tuple[str, int, float | None,
                                                                   int, int]],
                        scale: dict[str, int]) -> str:
    """The criterion on which two groups were furthest apart on a typical application;
    ``rows`` are (criterion name, applications, typical gap, g higher, h higher)."""
    present = [row for row in rows if row[2] is not None]
    if not present:
        return _("No criterion was scored by both the %(g)s and the %(h)s groups.",
                 g=label_g, h=label_h)
    name, applications, typical, g_higher, h_higher = max(present, key=lambda row: row[2])
    if f"{typical:.2f}" == "0.00":
        return _("The %(g)s and %(h)s groups gave every criterion the same scores on every "
                 "application both scored.", g=label_g, h=label_h)
    span = scale["max"] - scale["min"]
    return _("The groups were furthest apart on \u201c%(criterion)s\u201d: on a typical "
             "application their scores for it were %(size)s apart, on the %(min)s to %(max)s "
             "scale. Scored higher by: %(who)s.", criterion=name,
             size=size_of(typical, 2, span), min=scale["min"], max=scale["max"],
             who=who_higher(label_g, label_h, applications, g_higher, h_higher))


def funded_sentence(funded: int, asked: float, budget: float, final: int,
                    final_asked: float, overridden: bool) -> str:
    by_scores = ngettext(
        "By the scores, %(num)d application is funded, asking for %(asked)s of the %(budget)s "
        "budget.",
        "By the scores, %(num)d applications are funded, asking for %(asked)s of the "
        "%(budget)s budget.", funded, asked=money(asked), budget=money(budget))
    if not overridden:
        return by_scores + " " + _("The panel's decisions did not change that.")
    after = ngettext("After the panel's decisions, %(num)d is funded, asking for %(asked)s.",
                     "After the panel's decisions, %(num)d are funded, asking for %(asked)s.",
                     final, asked=money(final_asked))
    return by_scores + " " + after


def meeting_change_sentence(held: bool, changed_rank: int, came_in: int, left: int) -> str:
    """Initial against final: how the ranking moved between the first scores and the end."""
    if not held:
        return _("The meeting has not taken place yet, so the first scores are the final "
                 "scores.")
    if not changed_rank and not came_in and not left:
        return _("No application changed rank between the first scores and the end of the "
                 "meeting.")
    if came_in or left:
        return ngettext(
            "Between the first scores and the end of the meeting, %(num)d application changed "
            "rank; %(came_in)s came into the funded set and %(left)s left it.",
            "Between the first scores and the end of the meeting, %(num)d applications "
            "changed rank; %(came_in)s came into the funded set and %(left)s left it.",
            changed_rank, came_in=f"{came_in:,}", left=f"{left:,}")
    return ngettext("Between the first scores and the end of the meeting, %(num)d application "
                    "changed rank.",
                    "Between the first scores and the end of the meeting, %(num)d "
                    "applications changed rank.", changed_rank)


def overrides_sentence(funded_anyway: int, not_funded_anyway: int) -> str:
    if not funded_anyway and not not_funded_anyway:
        return _("The panel's decisions did not change any result of the scores.")
    parts = []
    if funded_anyway:
        parts.append(ngettext("%(num)d project funded that the scores did not fund",
                              "%(num)d projects funded that the scores did not fund",
                              funded_anyway))
    if not_funded_anyway:
        parts.append(ngettext("%(num)d project not funded that the scores funded",
                              "%(num)d projects not funded that the scores funded",
                              not_funded_anyway))
    return ngettext("The panel's decisions changed %(num)d result of the scores: %(changes)s.",
                    "The panel's decisions changed %(num)d results of the scores: "
                    "%(changes)s.", funded_anyway + not_funded_anyway,
                    changes=and_list(parts))


# Small groups (DESIGN.md §4) ---------------------------------------------------------------------

def not_shown(counted: int) -> str:
    """A group line whose figures are kept from panellists and the public."""
    return ngettext("one panellist \u2014 not shown separately",
                    "%(num)d panellists \u2014 not shown separately", counted)


def why_not_shown(min_group_size: int) -> str:
    return _("so that no one's score can be worked out; the round shows a group's score only "
             "when at least %(min)s of its members scored", min=min_group_size)


def not_shown_note(groups: Iterable[tuple[str, int]], min_group_size: int) -> str:
    """The download's note on one application: each hidden group line, then why."""
    lines = "; ".join(f"{label}: {not_shown(counted)}" for label, counted in groups)
    return _("%(lines)s. Group scores are not shown %(why)s.", lines=lines,
             why=why_not_shown(min_group_size))


def left_out_note(guarded: int, min_group_size: int) -> str:
    """What the figures over many applications leave out, for the panel's report."""
    if not guarded:
        return ""
    return ngettext(
        "Worked out without the %(num)d application whose group scores are not shown (a "
        "group there had fewer than %(min)s members scoring), so that no one's score can be "
        "worked out from two figures.",
        "Worked out without the %(num)d applications whose group scores are not shown (a "
        "group there had fewer than %(min)s members scoring), so that no one's score can be "
        "worked out from two figures.", guarded, min=min_group_size)
