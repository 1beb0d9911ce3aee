"""The numbers of DESIGN.md §3, worked by hand: first the worked example exactly, then one
small example per rule. Which sheets count (drafts, revisions, stepping out) is decided
in the database and tested there, in tests/scoring/test_counting.py."""
from __future__ import annotations

import pandas as pd
import pytest

from panel.scoring import rules
from panel.scoring.rules import Rules
from tests.builders import frames
from tests.builders.frames import sheet

WORKED = Rules(scale_min=1, scale_max=5, budget=100, funding_rule="strict",
               weighting="equal_groups",
               group_weights={"academic": 1, "lived_experience": 1},
               criterion_weights={"q": 3, "n": 1})
ACA, LIVED = "academic", "lived_experience"


def calculate(sheet_rows, amounts, *, decisions=(), **changes):
    return frames.calculate(sheet_rows, amounts, Rules(**{**WORKED.__dict__, **changes}),
                            decisions)


def worked_example(**kwargs):
    sheets = [
        sheet("a1", ACA, "A1", q=5, n=5), sheet("a1", ACA, "A2", q=3, n=3),
        sheet("a1", ACA, "A3", q=4, n=None),
        sheet("a2", ACA, "A1", q=5, n=1),
        sheet("l1", LIVED, "A1", q=1, n=1), sheet("l1", LIVED, "A2", q=5, n=5),
        # Revised in the meeting: the initial sheet counts in the initial figures only.
        sheet("l1", LIVED, "A3", final=False, q=4, n=4),
        sheet("l1", LIVED, "A3", initial=False, q=5, n=None),
    ]
    return calculate(sheets, {"A1": 60, "A2": 50, "A3": 40}, **kwargs)


def column(ranking, name):
    return {ref: (None if pd.isna(v) else v) for ref, v in ranking.table[name].items()}


def order(ranking):
    return list(ranking.in_rank_order().index)


def funded(ranking):
    return [ref for ref in order(ranking) if ranking.table.at[ref, "funded"]]


# The worked example of DESIGN.md §3 ---------------------------------------------------------

def test_worked_example_final_scores_ranks_and_funding():
    result = worked_example()
    assert column(result.final, "score") == {"A1": 43.75, "A2": 75, "A3": 87.5}
    assert order(result.final) == ["A3", "A2", "A1"]
    assert column(result.final, "rank") == {"A1": 3, "A2": 2, "A3": 1}
    assert funded(result.final) == ["A3", "A2"]
    assert column(result.final, "running_total") == {"A1": 90, "A2": 90, "A3": 40}
    assert result.final.group_scores.loc["A1"].to_dict() == {ACA: 87.5, LIVED: 0}
    assert result.final.sheets.loc["A1"].to_dict() == {ACA: 2, LIVED: 1}
    assert not result.final.table["tie"].any()


def test_worked_example_initial_tie_is_broken_by_reference():
    result = worked_example()
    assert column(result.initial, "score") == {"A1": 43.75, "A2": 75, "A3": 75}
    assert order(result.initial) == ["A2", "A3", "A1"]
    assert column(result.initial, "tie") == {"A1": False, "A2": True, "A3": True}
    assert funded(result.initial) == ["A2", "A3"]


def test_worked_example_without_lived_experience():
    result = worked_example()
    alone = result.without[LIVED]
    assert column(alone, "score") == {"A1": 87.5, "A2": 50, "A3": 75}
    assert order(alone) == ["A1", "A3", "A2"]
    assert funded(alone) == ["A1", "A3"]
    voice = result.voice[LIVED]
    assert voice["funded_because"] == ["A2"]
    assert voice["displaced_by"] == ["A1"]
    assert voice["rank_shift"].to_dict() == {"A1": -2, "A2": 1, "A3": 1}


def test_worked_example_do_not_fund_overrides_only_the_final_result():
    result = worked_example(decisions=[("A3", "do_not_fund", "Already funded elsewhere")])
    assert bool(result.final.table.at["A3", "funded"]) is True
    assert bool(result.decisions.at["A3", "final_funded"]) is False
    assert result.decisions.at["A3", "decision"] == "do_not_fund"
    assert result.overrides == [{"reference": "A3", "decision": "do_not_fund",
                                 "rationale": "Already funded elsewhere",
                                 "funded": True, "final_funded": False}]
    assert result.warnings == []


# One rule at a time ----------------------------------------------------------------------------

def test_unscored_criteria_leave_the_sheet_score_over_the_scored_ones():
    result = calculate([sheet("a", ACA, "A1", q=None, n=5), sheet("b", ACA, "A2", q=2, n=None)],
                       {"A1": 1, "A2": 1})
    assert column(result.final, "score") == {"A1": 100, "A2": 25}


def test_a_sheet_that_scored_nothing_does_not_count():
    result = calculate([sheet("a", ACA, "A1", q=None, n=None)], {"A1": 1})
    assert column(result.final, "score") == {"A1": None}
    assert result.final.sheets.at["A1", ACA] == 0


def test_equal_rounded_scores_tie_and_the_reference_breaks_it_as_a_string():
    sheets = [sheet("a", ACA, ref, q=3, n=3) for ref in ("A2", "A10", "B1")]
    sheets.append(sheet("a", ACA, "A9", q=4, n=4))
    result = calculate(sheets, {"A2": 1, "A10": 1, "B1": 1, "A9": 1})
    assert order(result.final) == ["A9", "A10", "A2", "B1"]  # "A10" < "A2"
    assert column(result.final, "tie") == {"A2": True, "A10": True, "B1": True, "A9": False}
    assert column(result.final, "rank") == {"A9": 1, "A10": 2, "A2": 3, "B1": 4}


def test_scores_equal_to_six_decimal_places_are_a_tie():
    # 3 sheets 100, 100, 0 → 66.666…; 2 sheets 100, 33.33… → 66.666… by another path
    sheets = [sheet("a", ACA, "B", q=5, n=5), sheet("b", ACA, "B", q=5, n=5),
              sheet("c", ACA, "B", q=1, n=1),
              sheet("a", ACA, "A", q=5, n=5), sheet("b", ACA, "A", q=1, n=5)]
    result = calculate(sheets, {"A": 1, "B": 1}, criterion_weights={"q": 2, "n": 1})
    # A: (100 + 100/3) / 2 = 66.666…; B: 200/3 = 66.666…
    assert column(result.final, "tie") == {"A": True, "B": True}
    assert order(result.final) == ["A", "B"]


@pytest.mark.parametrize("rule, expected", [("strict", ["A1"]), ("fill", ["A1", "A3"])])
def test_strict_stops_at_the_first_that_does_not_fit_fill_goes_on(rule, expected):
    sheets = [sheet("a", ACA, "A1", q=5, n=5), sheet("a", ACA, "A2", q=4, n=4),
              sheet("a", ACA, "A3", q=3, n=3)]
    result = calculate(sheets, {"A1": 50, "A2": 60, "A3": 50}, funding_rule=rule)
    assert funded(result.final) == expected


def test_an_application_exactly_filling_the_budget_is_funded():
    result = calculate([sheet("a", ACA, "A1", q=5, n=5)], {"A1": 100})
    assert funded(result.final) == ["A1"]


def test_equal_groups_gives_each_group_one_voice_equal_people_one_per_sheet():
    sheets = [sheet("a1", ACA, "A1", q=5, n=5), sheet("a2", ACA, "A1", q=5, n=5),
              sheet("a3", ACA, "A1", q=5, n=5), sheet("l1", LIVED, "A1", q=1, n=1)]
    assert column(calculate(sheets, {"A1": 1}).final, "score") == {"A1": 50}
    people = calculate(sheets, {"A1": 1}, weighting="equal_people")
    assert column(people.final, "score") == {"A1": 75}


def test_group_weights_two_to_one():
    sheets = [sheet("a1", ACA, "A1", q=5, n=5), sheet("l1", LIVED, "A1", q=2, n=2)]
    result = calculate(sheets, {"A1": 1}, group_weights={ACA: 1, LIVED: 2})
    # (1 × 100 + 2 × 25) / 3 = 50
    assert column(result.final, "score") == {"A1": 50}


def test_combined_score_is_over_the_groups_present():
    sheets = [sheet("l1", LIVED, "A1", q=3, n=3)]
    result = calculate(sheets, {"A1": 1}, group_weights={ACA: 5, LIVED: 1})
    assert column(result.final, "score") == {"A1": 50}
    assert result.final.group_scores.loc["A1"].isna().to_dict() == {ACA: True, LIVED: False}


def test_an_application_with_no_sheets_has_no_score_no_rank_and_is_not_funded():
    result = calculate([sheet("a", ACA, "A1", q=5, n=5)], {"A1": 10, "A2": 10})
    assert column(result.final, "score") == {"A1": 100, "A2": None}
    assert column(result.final, "rank") == {"A1": 1, "A2": None}
    assert column(result.final, "funded") == {"A1": True, "A2": False}
    assert column(result.final, "running_total") == {"A1": 10, "A2": None}


def test_with_one_group_only_without_it_nothing_has_a_score():
    result = calculate([sheet("a", ACA, "A1", q=5, n=5)], {"A1": 10},
                       group_weights={ACA: 1})
    assert column(result.without[ACA], "score") == {"A1": None}
    assert result.voice[ACA]["funded_because"] == ["A1"]
    assert result.voice[ACA]["agreement"] == {}
    assert result.voice[ACA]["rank_shift"].isna().all()


def test_agreement_needs_three_applications_scored_by_both_groups():
    sheets = [sheet("a", ACA, r, q=q, n=q) for r, q in (("A1", 5), ("A2", 3))]
    sheets += [sheet("l", LIVED, r, q=q, n=q) for r, q in (("A1", 4), ("A2", 2))]
    result = calculate(sheets, {"A1": 1, "A2": 1})
    assert result.voice[ACA]["agreement"] == {LIVED: {"spearman": None, "kendall": None}}


def test_agreement_is_spearman_and_kendall_tau_b_of_group_scores():
    pairs = {"A1": (5, 4), "A2": (3, 2), "A3": (4, 5), "A4": (1, 1)}
    sheets = [sheet("a", ACA, r, q=a, n=a) for r, (a, _) in pairs.items()]
    sheets += [sheet("l", LIVED, r, q=b, n=b) for r, (_, b) in pairs.items()]
    result = calculate(sheets, dict.fromkeys(pairs, 1))
    # ranks 4,2,3,1 against 3,2,4,1: d² = 1+0+1+0 → ρ = 1 − 6·2/(4·15) = 0.8;
    # 5 concordant and 1 discordant pairs → τ = 4/6
    found = result.voice[ACA]["agreement"][LIVED]
    assert found["spearman"] == pytest.approx(0.8)
    assert found["kendall"] == pytest.approx(4 / 6)


def test_agreement_rounds_group_scores_to_six_places_before_ranking_them():
    """70 and 70 + 1e-14 are the same score (§3), so the second group's scores are
    (10, 70, 70, 90): a tie shared between A2 and A3, whatever the last digit says."""
    from panel.scoring.rules_voice import agreement

    mine = pd.Series({"A1": 10.0, "A2": 20.0, "A3": 30.0, "A4": 40.0})
    theirs = pd.Series({"A1": 10.0, "A2": 70.0, "A3": 70.0 + 1e-14, "A4": 90.0})
    # ranks 1 2 3 4 against 1 2.5 2.5 4: d² = 0 + .25 + .25 + 0 → with ties, Pearson of the
    # ranks = 4.5 / sqrt(5 × 4.5) = 0.948683; τ-b = 5 / sqrt(6 × 5) = 0.912871
    found = agreement(mine, theirs)
    assert found["spearman"] == pytest.approx(4.5 / (5 * 4.5) ** 0.5)
    assert found["kendall"] == pytest.approx(5 / 30 ** 0.5)


def test_agreement_is_none_when_one_side_is_constant():
    sheets = [sheet("a", ACA, r, q=3, n=3) for r in ("A1", "A2", "A3")]
    sheets += [sheet("l", LIVED, r, q=q, n=q) for r, q in (("A1", 1), ("A2", 2), ("A3", 3))]
    result = calculate(sheets, {"A1": 1, "A2": 1, "A3": 1})
    assert result.voice[LIVED]["agreement"][ACA] == {"spearman": None, "kendall": None}


def test_moved_toward_in_the_worked_example():
    voice = worked_example().voice
    # Only A3 moved: lived experience 75 → 100 while academics stayed at 75 (d = 0 for
    # lived experience, so A3 is left out and nothing else moved): 0 over A1, A2.
    assert voice[LIVED]["moved_toward"] == {ACA: 0}
    assert voice[ACA]["moved_toward"] == {LIVED: 0}


def test_moved_toward_is_positive_when_a_group_moves_to_the_others_view():
    sheets = [sheet("a", ACA, "A1", q=5, n=5), sheet("l", LIVED, "A1", final=False, q=1, n=1),
              sheet("l", LIVED, "A1", initial=False, q=3, n=3),
              sheet("a", ACA, "A2", q=1, n=1), sheet("l", LIVED, "A2", final=False, q=5, n=5),
              sheet("l", LIVED, "A2", initial=False, q=5, n=5)]
    voice = calculate(sheets, {"A1": 1, "A2": 1}).voice
    # A1: d = 100 − 0 > 0, moved +50; A2: d < 0, moved 0 → mean 25
    assert voice[LIVED]["moved_toward"] == {ACA: 25}
    assert voice[ACA]["moved_toward"] == {LIVED: 0}


def test_criterion_gap_is_in_scale_points():
    voice = worked_example().voice
    # academic q: 5, 3, 4, 5 → 4.25; n: 5, 3, 1 → 3; lived (final) q: 1, 5, 5 → 11/3; n: 1, 5
    assert voice[ACA]["criterion_gap"][LIVED] == pytest.approx({"q": 4.25 - 11 / 3, "n": 0})
    assert voice[LIVED]["criterion_gap"][ACA]["n"] == pytest.approx(0)


def test_fund_decision_over_budget_warns():
    result = worked_example(decisions=[("A1", "fund", "Strong local case"),
                                       ("A2", "keep", ""), ("A3", "no_consensus", "")])
    assert [o["reference"] for o in result.overrides] == ["A1"]
    assert result.decisions["final_funded"].to_dict() == {"A1": True, "A2": True, "A3": True}
    assert len(result.warnings) == 1 and "£150.00" in result.warnings[0]


def test_sheet_score_is_the_weighted_share_of_the_scale_over_the_scored_criteria():
    # q (3) scored 5, n (1) scored 1: points 3 × 4 + 1 × 0 = 12, weight 4 → 100 × 12 / 16
    # q scored 4, n unscored: points 9, weight 3 → 100 × 9 / 12; nothing scored: no S
    sheets = pd.DataFrame({"points": [12.0, 9.0, None], "weight": [4.0, 3.0, None]})
    assert rules.sheet_scores(sheets, WORKED).tolist()[:2] == [75.0, 75.0]
    assert pd.isna(rules.sheet_scores(sheets, WORKED).iloc[2])
