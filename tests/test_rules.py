"""The numbers of DESIGN.md §3, worked by hand: first the worked example exactly, then one
small example per rule."""
from __future__ import annotations

import pandas as pd
import pytest

from panel.scoring import rules
from panel.scoring.rules import Rules

WORKED = Rules(scale_min=1, scale_max=5, budget=100, funding_rule="strict",
               weighting="equal_groups",
               group_weights={"academic": 1, "lived_experience": 1},
               criterion_weights={"q": 3, "n": 1})
ACA, LIVED = "academic", "lived_experience"


def sheet(member, group, reference, revision=0, status="submitted", **values):
    return {"member": member, "group": group, "reference": reference, "revision": revision,
            "status": status, "values": values}


def frames(sheet_rows, amounts):
    applications = pd.DataFrame({"reference": list(amounts),
                                 "requested_amount": list(amounts.values())})
    sheets = pd.DataFrame([{**{k: v for k, v in row.items() if k != "values"}, "sheet": i}
                           for i, row in enumerate(sheet_rows)],
                          columns=["sheet", "member", "group", "reference", "revision", "status"])
    scores = pd.DataFrame([{"sheet": i, "criterion": c, "value": v}
                           for i, row in enumerate(sheet_rows) for c, v in row["values"].items()],
                          columns=["sheet", "criterion", "value"])
    return applications, sheets, scores


def calculate(sheet_rows, amounts, *, conflicts=(), decisions=(), **changes):
    applications, sheets, scores = frames(sheet_rows, amounts)
    conflict_frame = pd.DataFrame(list(conflicts),
                                  columns=["member", "reference", "level", "status"])
    decision_frame = pd.DataFrame(list(decisions), columns=["reference", "outcome", "rationale"])
    settings = Rules(**{**WORKED.__dict__, **changes})
    return rules.calculate(applications, sheets, scores, conflict_frame, decision_frame, settings)


def worked_example(**kwargs):
    sheets = [
        sheet("a1", ACA, "A1", q=5, n=5), sheet("a1", ACA, "A2", q=3, n=3),
        sheet("a1", ACA, "A3", q=4, n=None),
        sheet("a2", ACA, "A1", q=5, n=1),
        sheet("l1", LIVED, "A1", q=1, n=1), sheet("l1", LIVED, "A2", q=5, n=5),
        sheet("l1", LIVED, "A3", q=4, n=4),
        sheet("l1", LIVED, "A3", revision=1, q=5, n=None),
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


def test_step_out_conflict_sheet_never_counts_declared_and_dismissed_do():
    sheets = [sheet("a1", ACA, "A1", q=5, n=5), sheet("a2", ACA, "A1", q=1, n=1)]
    conflicts = [("a2", "A1", "step_out", "confirmed")]
    assert column(calculate(sheets, {"A1": 1}, conflicts=conflicts).final, "score") == {"A1": 100}
    for level, status in [("declared", "confirmed"), ("step_out", "dismissed")]:
        kept = calculate(sheets, {"A1": 1}, conflicts=[("a2", "A1", level, status)])
        assert column(kept.final, "score") == {"A1": 50}


def test_step_out_sheet_does_not_count_in_initial_figures_either():
    sheets = [sheet("a1", ACA, "A1", q=5, n=5), sheet("a2", ACA, "A1", q=1, n=1)]
    result = calculate(sheets, {"A1": 1}, conflicts=[("a2", "A1", "step_out", "pending")])
    assert column(result.initial, "score") == {"A1": 100}
    assert result.final.sheets.at["A1", ACA] == 1


def test_the_latest_submitted_revision_is_final_the_initial_sheet_is_initial():
    sheets = [sheet("a", ACA, "A1", q=1, n=1), sheet("a", ACA, "A1", revision=1, q=3, n=3),
              sheet("a", ACA, "A1", revision=2, q=5, n=5),
              sheet("a", ACA, "A1", revision=3, status="draft", q=2, n=2)]
    result = calculate(sheets, {"A1": 1})
    assert column(result.final, "score") == {"A1": 100}
    assert column(result.initial, "score") == {"A1": 0}
    assert result.final.sheets.at["A1", ACA] == 1


def test_draft_sheets_do_not_count():
    sheets = [sheet("a", ACA, "A1", status="draft", q=5, n=5), sheet("b", ACA, "A1", q=1, n=1)]
    result = calculate(sheets, {"A1": 1})
    assert column(result.final, "score") == {"A1": 0}
    assert column(result.initial, "score") == {"A1": 0}


def test_a_draft_initial_with_a_submitted_revision_counts_only_as_final():
    sheets = [sheet("a", ACA, "A1", status="draft", q=1, n=1),
              sheet("a", ACA, "A1", revision=1, q=5, n=5)]
    result = calculate(sheets, {"A1": 1})
    assert column(result.final, "score") == {"A1": 100}
    assert column(result.initial, "score") == {"A1": None}


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
    sheets = [sheet("a", ACA, "A1", q=5, n=5), sheet("l", LIVED, "A1", q=1, n=1),
              sheet("l", LIVED, "A1", revision=1, q=3, n=3),
              sheet("a", ACA, "A2", q=1, n=1), sheet("l", LIVED, "A2", q=5, n=5),
              sheet("l", LIVED, "A2", revision=1, q=5, n=5)]
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


def test_sheet_scores_from_database_sums_equal_those_from_each_criterion():
    """The ranking page and the report let the database sum each sheet; the result is
    the same S as summing criterion by criterion (DESIGN.md §3)."""
    from panel.scoring import rules as r

    settings = r.Rules(scale_min=1, scale_max=5, budget=100, funding_rule="strict",
                       weighting="equal_groups", group_weights={"a": 1.0},
                       criterion_weights={"q": 3.0, "n": 1.0})
    per_criterion = pd.DataFrame({"sheet": [1, 1, 2, 2, 3, 3],
                                  "criterion": ["q", "n", "q", "n", "q", "n"],
                                  "value": [5, 1, 4, None, None, None]})
    # Σ w (s − min) and Σ w over the scored criteria, as the SQL in report.py makes them.
    sums = pd.DataFrame({"sheet": [1, 2], "points": [3 * 4 + 1 * 0, 3 * 3], "weight": [4, 3]})
    from_criteria = r.sheet_scores(per_criterion, settings)
    from_sums = r.sheet_scores(sums, settings)
    assert from_criteria.to_dict() == from_sums.to_dict() == {1: 75.0, 2: 75.0}
