"""The words of the community-voice report: every number formatted one way (the page,
the public summary and their tests all use these), and the plain-English sentences made
from the report dict of :func:`panel.reports.report.round_report`. Pure: no Flask, no
database.

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

from panel import policy

MINUS = "\u2212"
NO_FIGURE = "–"
BANDS = ((0.70, "strongly"), (0.40, "moderately"), (0.10, "weakly"))
NO_AGREEMENT_FIGURE = "not enough applications to say"
NO_RELATIONSHIP = "showed no relationship"
TOO_FEW = "too few applications to tell"
FEW = 10  # fewer applications scored by both groups: too few to tell how far they agree
SPEARMAN_SE = 1.06  # Fisher z standard error of Spearman's ρ: 1.06 / √(n − 3)
Z95 = 1.96
TOO_SMALL = 5.0  # points on the 0–100 score: a difference under this is too small to matter
TOO_SMALL_SHARE = TOO_SMALL / 100  # the same share of any scale's range
NAMED = 3  # a list of titles names them all up to this many, else two and "N others"
FUNDING_RULES = {
    "strict": "strict: fund in rank order and stop at the first application that does not fit",
    "fill": "fill: fund in rank order, skipping any application that does not fit",
    "lottery": "lottery: fund those clearly above the line, then draw lots among the "
               "applications too close to call, funding them in the drawn order while "
               "they fit",
}
WEIGHTINGS = {"equal_groups": "each group has an equal voice, whatever its size",
              "equal_people": "each panellist has an equal voice"}


# Numbers --------------------------------------------------------------------------------------

def score(value: float | None) -> str:
    """A 0–100 score: one decimal."""
    return NO_FIGURE if value is None else _signed(f"{value:.1f}")


def coefficient(value: float | None) -> str:
    """Spearman's ρ or Kendall's τ: two decimals."""
    return NO_AGREEMENT_FIGURE if value is None else _signed(f"{value:.2f}")


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


def shift(value: int | None, without: str = "without them") -> str:
    """A rank shift (rank without the group minus rank with it) in words: "3 places lower
    without them" (the group lifted it), "1 place higher without them", "no change"."""
    if value is None:
        return NO_FIGURE
    if value == 0:
        return "no change"
    return f"{count(abs(value), 'place')} {'lower' if value > 0 else 'higher'} {without}"


def moved_places(before: int | None, after: int | None) -> str:
    """From one rank to another in words: "up 2 places", "down 1 place", "no change"."""
    if before is None or after is None:
        return NO_FIGURE
    if before == after:
        return "no change"
    return f"{'up' if after < before else 'down'} {count(abs(after - before), 'place')}"


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
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def _signed(text: str) -> str:
    return text.replace("-", MINUS)


# Sentences --------------------------------------------------------------------------------------

def the_group(label: str) -> str:
    return f"the {label} group"


def titles(names: Sequence[str]) -> str:
    """Titles in quotes for a sentence: all of them up to ``NAMED``, else the first two
    and "N others" (“A”, “B” and 2 others)."""
    quoted = [f"\u201c{name}\u201d" for name in names]
    if len(quoted) > NAMED:
        quoted = quoted[:2] + [f"{len(names) - 2:,} others"]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def funding_story(label: str, brought_in: Sequence[str], moved_out: Sequence[str]) -> str:
    """What one group's scores did to the funded set, naming the projects: the titles of
    its funded_because (``brought_in``) and displaced_by (``moved_out``) lists."""
    without = f"Without the {label} group's scores"
    if not brought_in and not moved_out:
        return f"{without}, the same projects would have been funded."
    if brought_in and moved_out:
        return (f"{without}, {titles(brought_in)} would not have been funded; "
                f"{titles(moved_out)} would have been instead.")
    if brought_in:
        one = len(brought_in) == 1
        return (f"{without}, {titles(brought_in)} would not have been funded, and no other "
                f"project would have been funded in {'its' if one else 'their'} place.")
    return (f"{without}, {titles(moved_out)} would have been funded as well; every project "
            f"funded now would still have been funded.")


def public_funding_story(label: str, brought_in: Sequence[str], unlisted: int,
                         moved_out: int) -> str:
    """:func:`funding_story` for the public summary, which names only the projects it
    lists as funded: ``brought_in`` are the titles of the group's funded_because that are
    funded in the end, ``unlisted`` how many others it has (the panel's decisions did not
    fund them), and the projects that would have been funded instead are only counted —
    an unsuccessful application is never named in public."""
    without = f"Without the {label} group's scores"
    others = count(moved_out, "other project")
    if not brought_in and not unlisted and not moved_out:
        return f"{without}, the same projects would have been funded."
    if not brought_in and not unlisted:
        return (f"{without}, {others} would have been funded as well; every project funded "
                f"now would still have been funded.")
    named = list(brought_in)
    if unlisted:
        named = [f"\u201c{name}\u201d" for name in named] + [
            count(unlisted, "project the panel did not fund in the end",
                  "projects the panel did not fund in the end")]
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    else:
        listed = titles(named)
    if moved_out:
        return f"{without}, {listed} would not have been funded; {others} would have been instead."
    one = len(brought_in) + unlisted == 1
    return (f"{without}, {listed} would not have been funded, and no other project would "
            f"have been funded in {'its' if one else 'their'} place.")


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
        return TOO_FEW
    rho = round(spearman, 2)
    strength = next((words for edge, words in BANDS if abs(rho) >= edge), None)
    if strength is None:
        return NO_RELATIONSHIP
    return f"agreed {strength}" if rho > 0 else f"disagreed {strength}"


def agreement_sentence(label_g: str, label_h: str, spearman: float | None,
                       n: int | None = None) -> str:
    if spearman is None:
        return (f"There are not enough applications scored by both the {label_g} and the "
                f"{label_h} groups to say how far they agree.")
    words = agreement_words(spearman)
    sentence = f"The {label_g} and {label_h} groups' scores {words} (Spearman " \
               f"{coefficient(spearman)})"
    if words.startswith("disagreed"):
        sentence += ": what one group scored high, the other tended to score low"
    if words == NO_RELATIONSHIP:
        sentence += ": knowing how one group scored an application tells you nothing about " \
                    "how the other did"
    if n is None:
        return sentence + "."
    return sentence + ". " + _how_sure(spearman, n)


def _how_sure(spearman: float, n: int) -> str:
    scored = f"{count(n, 'application')} scored by both groups"
    interval = spearman_interval(spearman, n)
    between = ("" if interval is None else
               f" the true figure could be anywhere from {coefficient(interval[0])} to "
               f"{coefficient(interval[1])} (95\u00a0% interval).")
    if too_few_to_tell(spearman, n):
        return (f"With only {scored}, there are too few applications to tell how far they "
                f"agree:" + (between or f" at least {FEW} are needed."))
    return f"With {scored}, we can be fairly sure of the direction:" + between


def meeting_held(phase: str, changed_scores: bool) -> bool:
    """Whether there has been a meeting to speak of: the round has reached moderation, or
    (a round imported with its history) some final score differs from its initial one."""
    return phase not in policy.BEFORE_MEETING or changed_scores


def movement_sentence(held: bool, moves: Iterable[tuple[str, str, float | None]]) -> str:
    """Who moved toward whom in the meeting; ``moves`` are (label g, label h, moved_toward)."""
    if not held:
        return "The meeting has not taken place yet, so no scores have moved."
    parts = [_move(g, h, value) for g, h, value in moves]
    if not parts:
        return "There is only one group, so there is no other view to move toward."
    return "In the meeting, " + "; ".join(parts) + "."


def _move(label_g: str, label_h: str, value: float | None) -> str:
    g, h = the_group(label_g), the_group(label_h)
    if value is None:
        return (f"{g}'s movement toward {h} cannot be measured: no application had scores "
                f"from both groups before and after the meeting with the groups apart")
    shown = points(value).lstrip("+")
    size = shown.lstrip(MINUS)
    unit = "point" if size == "1.0" else "points"
    if size == "0.0":
        return f"{g} did not move toward or away from {h}'s view"
    direction = "toward" if value > 0 else "away from"
    return f"{g} moved {size} {unit} {direction} {h}'s view"


def biggest_gap_sentence(label_g: str, label_h: str, gaps: dict[str, float | None],
                         names: dict[str, str], scale: dict[str, int]) -> str:
    """The criterion where two groups' average scores differ most."""
    present = {key: gap for key, gap in gaps.items() if gap is not None}
    if not present:
        return f"No criterion was scored by both the {label_g} and the {label_h} groups."
    key = max(present, key=lambda k: abs(present[k]))
    gap = present[key]
    if scale_points(gap) == "0.00":
        return (f"The {label_g} and {label_h} groups gave every criterion the same average "
                f"score.")
    higher, lower = (label_g, label_h) if gap > 0 else (label_h, label_g)
    return (f"The biggest gap was on \u201c{names.get(key, key)}\u201d: the {higher} group "
            f"scored it {scale_points(abs(gap)).lstrip('+')} points higher on average than "
            f"the {lower} group, on the {scale['min']} to {scale['max']} scale.")


def higher(label_g: str, label_h: str, gap: float | None, places: int = 1,
           scale_range: float = 100) -> str:
    """A gap (g minus h) in words: "Academic 0.58 higher", "the same", and "too small to
    matter" after it when it is under 5 % of the scale's range."""
    if gap is None:
        return "no figure"
    size = f"{abs(gap):.{places}f}"
    if float(size) == 0:
        return "the same"
    found = f"{label_g if gap > 0 else label_h} {size} higher"
    return found + (", too small to matter" if too_small(gap, scale_range) else "")


def moved(value: float | None) -> str:
    """Moderation movement in words: "3.1 points toward", "0.5 points away", "did not
    move"; "too small to matter" after it when under ``TOO_SMALL`` points."""
    if value is None:
        return "no figure"
    size = f"{abs(value):.1f}"
    if float(size) == 0:
        return "did not move"
    found = f"{size} {'point' if size == '1.0' else 'points'} " \
            f"{'toward' if value > 0 else 'away'}"
    return found + (", too small to matter" if too_small(value) else "")


def size_of(value: float | None, places: int, scale_range: float) -> str:
    """The typical size of a gap: "2.33 points", with "too small to matter" when it is."""
    if value is None:
        return "no figure"
    shown = f"{value:.{places}f}"
    found = f"{shown} {'point' if float(shown) == 1 else 'points'}"
    return found + (", too small to matter" if too_small(value, scale_range) else "")


def who_higher(label_g: str, label_h: str, applications: int, g_higher: int,
               h_higher: int) -> str:
    """On how many applications each group scored higher: "Lived experience on 14 of 20;
    Academic on 5" (the rest level)."""
    if not applications:
        return "no figure"
    sides = sorted([(label_g, g_higher), (label_h, h_higher)], key=lambda side: -side[1])
    found = f"{sides[0][0]} on {sides[0][1]:,} of {applications:,}"
    if sides[1][1]:
        found += f"; {sides[1][0]} on {sides[1][1]:,}"
    level = applications - g_higher - h_higher
    return found + (f"; level on {level:,}" if level else "")


def typical_sentence(label_g: str, label_h: str, applications: int, typical: float | None,
                     g_higher: int, h_higher: int) -> str:
    """How far apart two groups' 0–100 scores were on a typical application."""
    if not applications or typical is None:
        return (f"No application has a score from both the {label_g} and the {label_h} "
                f"groups, so there is nothing to compare.")
    if g_higher == h_higher:
        direction = (f"each group scored higher on {count(g_higher, 'application')}"
                     if g_higher else "they gave every application the same score")
    else:
        more, most = (label_g, g_higher) if g_higher > h_higher else (label_h, h_higher)
        direction = f"the {more} group scored higher on {most:,} of {applications:,}"
    return (f"On a typical application, the {label_g} and {label_h} groups' scores were "
            f"{size_of(typical, 1, 100)} apart out of 100; {direction}.")


def widest_gap_sentence(label_g: str, label_h: str, rows: list[tuple[str, int, float | None,
                                                                   int, int]],
                        scale: dict[str, int]) -> str:
    """The criterion on which two groups were furthest apart on a typical application;
    ``rows`` are (criterion name, applications, typical gap, g higher, h higher)."""
    present = [row for row in rows if row[2] is not None]
    if not present:
        return f"No criterion was scored by both the {label_g} and the {label_h} groups."
    name, applications, typical, g_higher, h_higher = max(present, key=lambda row: row[2])
    on = f"on the {scale['min']} to {scale['max']} scale"
    if f"{typical:.2f}" == "0.00":
        return (f"The {label_g} and {label_h} groups gave every criterion the same scores "
                f"on every application both scored.")
    span = scale["max"] - scale["min"]
    return (f"The groups were furthest apart on \u201c{name}\u201d: on a typical "
            f"application their scores for it were {size_of(typical, 2, span)} apart, "
            f"{on}. Scored higher by: "
            f"{who_higher(label_g, label_h, applications, g_higher, h_higher)}.")


def funded_sentence(funded: int, asked: float, budget: float, final: int,
                    final_asked: float, overridden: bool) -> str:
    by_scores = (f"By the scores, {count(funded, 'application is', 'applications are')} "
                 f"funded, asking for {money(asked)} of the {money(budget)} budget.")
    if not overridden:
        return by_scores + " The panel's decisions did not change that."
    return (by_scores + f" After the panel's decisions, {final:,} "
            f"{'is' if final == 1 else 'are'} funded, asking for {money(final_asked)}.")


def meeting_change_sentence(held: bool, changed_rank: int, came_in: int, left: int) -> str:
    """Initial against final: how the ranking moved between the first scores and the end."""
    if not held:
        return "The meeting has not taken place yet, so the first scores are the final scores."
    if not changed_rank and not came_in and not left:
        return "No application changed rank between the first scores and the end of the meeting."
    sentence = (f"Between the first scores and the end of the meeting, "
                f"{count(changed_rank, 'application')} changed rank")
    if came_in or left:
        sentence += f"; {came_in:,} came into the funded set and {left:,} left it"
    return sentence + "."


def overrides_sentence(funded_anyway: int, not_funded_anyway: int) -> str:
    if not funded_anyway and not not_funded_anyway:
        return "The panel's decisions did not change any result of the scores."
    parts = []
    if funded_anyway:
        parts.append(f"{count(funded_anyway, 'project')} funded that the scores did not fund")
    if not_funded_anyway:
        parts.append(f"{count(not_funded_anyway, 'project')} not funded that the scores "
                     f"funded")
    total = funded_anyway + not_funded_anyway
    return f"The panel's decisions changed {count(total, 'result')} of the scores: " \
           f"{' and '.join(parts)}."


# Small groups (DESIGN.md §4) ---------------------------------------------------------------------

def not_shown(counted: int) -> str:
    """A group line whose figures are kept from panellists and the public."""
    who = "one panellist" if counted == 1 else f"{counted:,} panellists"
    return f"{who} \u2014 not shown separately"


def why_not_shown(min_group_size: int) -> str:
    return (f"so that no one's score can be worked out; the round shows a group's score "
            f"only when at least {min_group_size} of its members scored")


def not_shown_note(groups: Iterable[tuple[str, int]], min_group_size: int) -> str:
    """The download's note on one application: each hidden group line, then why."""
    lines = "; ".join(f"{label}: {not_shown(counted)}" for label, counted in groups)
    return f"{lines}. Group scores are not shown {why_not_shown(min_group_size)}."


def left_out_note(guarded: int, min_group_size: int) -> str:
    """What the figures over many applications leave out, for the panel's report."""
    if not guarded:
        return ""
    return (f"Worked out without the {count(guarded, 'application')} whose group scores "
            f"are not shown (a group there had fewer than {min_group_size} members "
            f"scoring), so that no one's score can be worked out from two figures.")
