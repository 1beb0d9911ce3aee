"""Small groups (DESIGN.md §4): what panellists and the public may see of a round where a
group has a lone member on an application, worked by hand.

The round: criteria q and n (weight 1 each) on a 1–5 scale, so a sheet scores
S = 12.5 × (q + n − 2). Groups academic and lived experience, equal_groups, k = 2.

| app | academic (final)        | lived experience (initial → final)            |
|-----|-------------------------|-----------------------------------------------|
| A   | q5n5 100, q3n3 50 → 75  | q2n2 25; q4n4 75 → q5n5 100: 50 → 62.5        |
| B   | q4n4 75, q4n2 50 → 62.5 | ONE sheet: q1n1 0 → q3n3 50: 0 → 50           |
| C   | q2n2 25, q2n4 50 → 37.5 | q5n5 100, q3n5 75 → 87.5                      |
| D   | q3n3 50, q3n3 50 → 50   | q3n3 50, q4n2 50 → 50                         |

B is guarded: its lived-experience score is one person's. Panellists see none of B's
group scores (with its combined score 56.25 the academic 62.5 would give the lived 50
away), nor its scores without a group (without academics B's score *is* that person's),
and the figures over many applications are made from A, C and D alone:

- agreement over A, C, D: academic 75, 37.5, 50 (ranks 3, 1, 2) against lived experience
  62.5, 87.5, 50 (ranks 2, 3, 1): Σd² = 1 + 4 + 1 = 6, ρ = 1 − 6·6/(3·8) = −0.5; pairs
  (A,C) discordant, (A,D) concordant, (C,D) discordant: τ-b = (1 − 2)/3 = −1/3;
- lived experience moved toward academic: A d = 75 − 50 = 25, moved +12.5; C d = −50,
  moved 0; D d = 0, not counted: (12.5 + 0)/2 = 6.25 (with B: (12.5 + 50 + 0)/3);
- criterion gap academic − lived experience: q (5+3+2+2+3+3)/6 = 3 against
  (2+5+5+3+3+4)/6 = 11/3 → −2/3; n (5+3+2+4+3+3)/6 = 10/3 against (2+5+5+5+3+2)/6 = 11/3
  → −1/3. With B the means would be 26/8 and 25/7 on q: told both, a reader could work
  out B's lone lived-experience q (7 × 25/7 − 6 × 11/3 = 3), which is why panellists get
  only the second.
"""
from __future__ import annotations

import pandas as pd
import pytest

from panel.scoring import disclosure
from panel.scoring.figures import for_panel
from panel.scoring.rules import Rules
from tests.builders import frames
from tests.builders.frames import sheet

ACA, LIVED = "academic", "lived_experience"
RULES = Rules(scale_min=1, scale_max=5, budget=100, funding_rule="strict",
              weighting="equal_groups", group_weights={ACA: 1, LIVED: 1},
              criterion_weights={"q": 1, "n": 1})
AMOUNTS = {"A": 40, "B": 30, "C": 30, "D": 30}


def sheets(lone_b=(3, 3), leave_out_b=False):
    """The round above; ``lone_b`` is the lone lived-experience panellist's final q, n on B."""
    rows = [
        sheet("a1", ACA, "A", q=5, n=5), sheet("a2", ACA, "A", q=3, n=3),
        sheet("l1", LIVED, "A", q=2, n=2),
        sheet("l2", LIVED, "A", final=False, q=4, n=4),
        sheet("l2", LIVED, "A", initial=False, q=5, n=5),
        sheet("a1", ACA, "B", q=4, n=4), sheet("a2", ACA, "B", q=4, n=2),
        sheet("l1", LIVED, "B", final=False, q=1, n=1),
        sheet("l1", LIVED, "B", initial=False, q=lone_b[0], n=lone_b[1]),
        sheet("a1", ACA, "C", q=2, n=2), sheet("a2", ACA, "C", q=2, n=4),
        sheet("l1", LIVED, "C", q=5, n=5), sheet("l2", LIVED, "C", q=3, n=5),
        sheet("a1", ACA, "D", q=3, n=3), sheet("a2", ACA, "D", q=3, n=3),
        sheet("l1", LIVED, "D", q=3, n=3), sheet("l2", LIVED, "D", q=4, n=2),
    ]
    return [row for row in rows if not (leave_out_b and row["reference"] == "B")]


def full(**kwargs):
    return frames.calculate(sheets(**kwargs), AMOUNTS, RULES)


def panel(k=2, **kwargs):
    return for_panel(full(**kwargs), k)


def scores(frame: pd.DataFrame, ref: str) -> dict:
    return {g: (None if pd.isna(v) else v) for g, v in frame.loc[ref].items()}


def aggregates(found) -> dict:
    """The figures over many applications, per group."""
    return {g: {key: voice[key] for key in ("agreement", "moved_toward", "criterion_gap")}
            for g, voice in found.voice.items()}


# small_groups and guarded at the boundary -------------------------------------------------------

@pytest.mark.parametrize("k,counted,small", [
    (2, 0, False),  # no sheet at all is "none", not a small group: nothing to hide
    (2, 1, True), (2, 2, False), (2, 3, False),
    (3, 1, True), (3, 2, True), (3, 3, False)])
def test_a_group_is_small_from_one_sheet_to_k_minus_one(k, counted, small):
    rows = [sheet("a1", ACA, "X", q=3, n=3), sheet("a2", ACA, "X", q=3, n=3),
            sheet("a3", ACA, "X", q=3, n=3)]
    rows += [sheet(f"l{i}", LIVED, "X", q=4, n=4) for i in range(counted)]
    found = frames.calculate(rows, {"X": 10}, RULES)
    assert disclosure.small_groups(found.final, k).loc["X"].to_dict() == {
        ACA: False, LIVED: small}
    assert bool(disclosure.guarded(found.final, found.initial, k)["X"]) is small


def test_a_group_small_only_before_the_meeting_still_guards_the_application():
    # l2's first sheet on X does not count (none was kept); only the revision does.
    rows = [sheet("a1", ACA, "X", q=3, n=3), sheet("a2", ACA, "X", q=3, n=3),
            sheet("l1", LIVED, "X", q=4, n=4), sheet("l2", LIVED, "X", initial=False, q=2, n=2)]
    found = frames.calculate(rows, {"X": 10}, RULES)
    assert not disclosure.small_groups(found.final, 2).loc["X"].any()
    assert disclosure.small_groups(found.initial, 2).loc["X", LIVED]
    assert disclosure.guarded(found.final, found.initial, 2).to_dict() == {"X": True}


# What for_panel shows of the guarded application --------------------------------------------------

def test_the_full_figures_are_as_worked_by_hand():
    found = full()
    assert scores(found.final.group_scores, "B") == {ACA: 62.5, LIVED: 50}
    assert scores(found.initial.group_scores, "B") == {ACA: 62.5, LIVED: 0}
    assert found.final.table["score"].to_dict() == {"A": 68.75, "B": 56.25, "C": 62.5, "D": 50}
    assert found.without[ACA].table.at["B", "score"] == 50  # the lone panellist's score
    assert found.guarded is None
    assert found.voice[LIVED]["moved_toward"][ACA] == pytest.approx((12.5 + 50 + 0) / 3)
    assert found.voice[ACA]["criterion_gap"][LIVED] == pytest.approx(
        {"q": 26 / 8 - 25 / 7, "n": 26 / 8 - 25 / 7})


def test_panel_readers_see_no_group_score_of_the_guarded_application():
    shown = panel()
    assert shown.guarded.to_dict() == {"A": False, "B": True, "C": False, "D": False}
    assert scores(shown.final.group_scores, "B") == {ACA: None, LIVED: None}
    assert scores(shown.initial.group_scores, "B") == {ACA: None, LIVED: None}
    assert scores(shown.final.group_scores, "A") == {ACA: 75, LIVED: 62.5}
    assert scores(shown.initial.group_scores, "A") == {ACA: 75, LIVED: 50}
    for g in (ACA, LIVED):
        assert pd.isna(shown.without[g].table.at["B", "score"])
        assert shown.without[g].group_scores.loc["B"].isna().all()
    assert shown.without[LIVED].table.at["A", "score"] == 75
    # How many sheets counted is not a score: the page words it ("one panellist").
    assert shown.final.sheets.loc["B"].to_dict() == {ACA: 2, LIVED: 1}


def test_panel_aggregates_are_made_from_the_unguarded_applications_alone():
    voice = panel().voice
    assert voice[ACA]["agreement"][LIVED] == {"spearman": pytest.approx(-0.5),
                                              "kendall": pytest.approx(-1 / 3)}
    assert voice[LIVED]["agreement"][ACA] == voice[ACA]["agreement"][LIVED]
    assert voice[LIVED]["moved_toward"][ACA] == pytest.approx(6.25)
    assert voice[ACA]["moved_toward"][LIVED] == 0
    assert voice[ACA]["criterion_gap"][LIVED] == {"q": pytest.approx(-2 / 3),
                                                  "n": pytest.approx(-1 / 3)}
    assert voice[LIVED]["criterion_gap"][ACA] == {"q": pytest.approx(2 / 3),
                                                  "n": pytest.approx(1 / 3)}


def test_ranks_and_funding_without_a_group_are_kept_as_found():
    # Without lived experience: A 75, B 62.5, D 50, C 37.5 → A, B, D funded (£100), so
    # lived experience brought C in and moved D out. Ranks are not scores: as found.
    found, shown = full(), panel()
    for g in (ACA, LIVED):
        for key in ("rank_shift", "funded_because", "displaced_by"):
            assert pd.Series(shown.voice[g][key]).equals(pd.Series(found.voice[g][key]))
        assert shown.without[g].table["rank"].equals(found.without[g].table["rank"])
    assert (shown.voice[LIVED]["funded_because"], shown.voice[LIVED]["displaced_by"]) == (
        ["C"], ["D"])
    assert shown.final.table["score"].to_dict() == found.final.table["score"].to_dict()


# Differencing across applications ----------------------------------------------------------------

def test_panel_aggregates_equal_the_round_without_the_guarded_applications_sheets():
    # What panellists read over many applications carries nothing of B's sheets, so no
    # difference of two figures they can read gives B's lone panellist away.
    without_b = full(leave_out_b=True)
    assert aggregates(panel()) == aggregates(without_b)
    shown = panel()
    for ref in ("A", "C", "D"):
        assert scores(shown.final.group_scores, ref) == scores(without_b.final.group_scores, ref)
        assert scores(shown.initial.group_scores, ref) == scores(
            without_b.initial.group_scores, ref)


@pytest.mark.parametrize("lone_b", [(1, 1), (2, 5), (3, 3), (5, 5)])
def test_whatever_the_lone_panellist_gave_the_panel_aggregates_are_the_same(lone_b):
    assert aggregates(panel(lone_b=lone_b)) == aggregates(panel())
    assert panel(lone_b=lone_b).final.group_scores.loc["B"].isna().all()


def test_a_larger_minimum_guards_every_application_with_two_in_a_group():
    shown = panel(k=3)
    assert shown.guarded.all()
    assert shown.final.group_scores.isna().all().all()
    assert shown.voice[ACA]["agreement"][LIVED] == {"spearman": None, "kendall": None}
    assert shown.voice[ACA]["moved_toward"][LIVED] is None
    assert shown.voice[ACA]["criterion_gap"][LIVED] == {"q": None, "n": None}


def test_a_combined_score_made_by_one_small_group_alone_is_not_shown():
    # E has one sheet, from one lived-experience panellist: its combined score (equal
    # groups: the mean over the groups present) is that person's score, 12.5 × (4 + 2 − 2).
    rows = sheets() + [sheet("l1", LIVED, "E", q=4, n=2)]
    found = frames.calculate(rows, {**AMOUNTS, "E": 10}, RULES)
    assert found.final.table.at["E", "score"] == 50
    shown = for_panel(found, 2)
    assert pd.isna(shown.final.table.at["E", "score"])
    assert pd.isna(shown.initial.table.at["E", "score"])
    assert shown.final.table.at["E", "rank"] == found.final.table.at["E", "rank"]
    # B's combined score mixes two groups and stays.
    assert shown.final.table.at["B", "score"] == 56.25
