"""The rank model of DESIGN.md §3a (:mod:`panel.scoring.rank_model`): calibration keeps
each group's level, the intervals are honest on simulated rounds whose true ranks are
known, and a round always gives the same result."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from panel.scoring import rank_model, rules
from panel.scoring.rank_model import Settings, grey_zone
from tests.builders.simulated_rounds import simulate

ACA, LIVED = "academic", "lived_experience"
EQUAL = {ACA: 1.0, LIVED: 1.0}
# Ten applications whose academic score is 30, 34, …, 66 (hand-picked, all distinct).
QUALITY = {f"A{n:02d}": 30.0 + 4 * n for n in range(10)}


def sheets_of(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["member", "group", "reference", "score"])


def twenty_points_above(academic_leniency=(0, 0, 0), lived_leniency=(0, 0)) -> pd.DataFrame:
    """Every academic scores each application at its quality (plus their own leniency);
    every lived-experience reviewer 20 points above that (plus theirs)."""
    rows = [(f"a{r}", ACA, ref, q + d) for ref, q in QUALITY.items()
            for r, d in enumerate(academic_leniency)]
    rows += [(f"l{r}", LIVED, ref, q + 20 + d) for ref, q in QUALITY.items()
             for r, d in enumerate(lived_leniency)]
    return sheets_of(rows)


def effect_means(found: rank_model.Fit, group: str) -> pd.Series:
    draws = found.groups[group]
    return pd.Series(draws.effects.mean(axis=0, dtype=float), index=draws.references)


@pytest.mark.parametrize("academic, lived", [((0, 0, 0), (0, 0)), ((-6, 0, 6), (-4, 4))])
def test_calibration_keeps_group_levels(academic, lived):
    sheets = twenty_points_above(academic, lived)
    found = rank_model.fit(sheets, list(QUALITY), "equal_groups", EQUAL)
    model = rank_model.summarise(found)
    # The groups' levels: academics 48 (the mean of 30…66), lived experience 68.
    levels = model.groups["level"]
    assert levels[ACA] == pytest.approx(48, abs=0.5)
    assert levels[LIVED] == pytest.approx(68, abs=0.5)
    # On every application the lived-experience effect stays 20 points above.
    gap = effect_means(found, LIVED) - effect_means(found, ACA)
    assert gap.to_numpy() == pytest.approx(np.full(10, 20.0), abs=1.0)
    # Leniency is measured inside each group only: the offsets given, none between groups.
    leniency = model.reviewers["leniency"]
    assert leniency[[f"a{r}" for r in range(3)]].to_numpy() == pytest.approx(academic, abs=1)
    assert leniency[[f"l{r}" for r in range(2)]].to_numpy() == pytest.approx(lived, abs=1)
    # The combined score is C of §3 from the groups' effects: quality + 10.
    assert model.applications["score"].to_numpy() == pytest.approx(
        np.array(list(QUALITY.values())) + 10, abs=1.0)


def test_the_counterfactual_without_a_group_is_unchanged_by_calibration():
    sheets = twenty_points_above((-6, 0, 6), (-4, 4))
    found = rank_model.fit(sheets, list(QUALITY), "equal_groups", EQUAL)
    without = rank_model.summarise(found, without=LIVED)
    alone = rank_model.rank_model(sheets[sheets["group"] == ACA], list(QUALITY),
                                  "equal_groups", EQUAL)
    # The academics' draws do not depend on the lived-experience sheets at all.
    pd.testing.assert_frame_equal(without.applications, alone.applications)
    pd.testing.assert_frame_equal(without.reviewers, alone.reviewers)
    # And its order is §3's ranking without lived experience: by quality.
    plain = rules.ranking(sheets[sheets["group"] == ACA],
                          pd.DataFrame({"reference": list(QUALITY),
                                        "requested_amount": [1] * 10}),
                          rules.Rules(group_weights=EQUAL), [ACA])
    assert list(without.applications["expected_rank"].sort_values().index) == list(
        plain.in_rank_order().index)
    assert without.applications["score"].to_numpy() == pytest.approx(
        np.array(list(QUALITY.values())), abs=1.0)


@pytest.mark.parametrize("weighting, weights", [("equal_groups", {ACA: 2.0, LIVED: 1.0}),
                                                ("equal_people", EQUAL)])
def test_the_intervals_hold_the_true_rank_as_often_as_they_say(weighting, weights):
    rounds = [simulate(seed, weighting=weighting, group_weights=weights)
              for seed in range(40)]
    in_50 = in_90 = count = 0
    for simulated in rounds:
        model = rank_model.rank_model(simulated.sheets, simulated.references, weighting,
                                      weights).applications
        truth = simulated.true_rank.reindex(model.index)
        in_50 += int(((model["rank_50_low"] <= truth) & (truth <= model["rank_50_high"])).sum())
        in_90 += int(((model["rank_90_low"] <= truth) & (truth <= model["rank_90_high"])).sum())
        count += len(truth)
    print(f"\n{weighting}: 50 % intervals held the true rank {in_50 / count:.1%}, "
          f"90 % intervals {in_90 / count:.1%} of {count}")
    assert 0.42 <= in_50 / count <= 0.58
    assert 0.85 <= in_90 / count <= 0.95


def test_a_round_always_gives_the_same_result_whatever_the_order_of_its_sheets():
    simulated = simulate(7)
    first = rank_model.rank_model(simulated.sheets, simulated.references, "equal_groups", EQUAL)
    shuffled = simulated.sheets.sample(frac=1, random_state=3)
    again = rank_model.rank_model(shuffled, simulated.references, "equal_groups", EQUAL)
    pd.testing.assert_frame_equal(first.applications, again.applications)
    pd.testing.assert_frame_equal(first.reviewers.sort_index(), again.reviewers.sort_index())


def test_the_inputs_digest_kept_per_application_is_the_digest_of_the_sheets_afresh():
    # Pages keep the digest's blocks and, after a revision, make only the revised
    # applications' again (panel.scoring.figures.updated_figures): the same digest as
    # hashing every sheet, here after one application's scores change, one loses its
    # sheets and one gains its first, in any order of the rows.
    sheets = simulate(7).sheets
    references = sorted(sheets["reference"].unique())
    changed = pd.Index(references[:2] + ["ZZ-NEW"], name="reference")
    theirs = sheets[sheets["reference"] == references[0]].assign(score=lambda f: f["score"] / 2)
    new = pd.DataFrame({"reference": ["ZZ-NEW"], "member": [1], "group": [None],
                        "score": [62.5]})
    now = pd.concat([sheets[~sheets["reference"].isin(changed)], theirs, new])
    kept = rank_model.SheetBlocks.of(sheets).updated(pd.concat([theirs, new]), changed)
    digest = rank_model.inputs_digest(now.sample(frac=1, random_state=5), references,
                                      "equal_groups", EQUAL, 10)
    assert rank_model.inputs_digest(sheets, references, "equal_groups", EQUAL, 10) != digest
    assert rank_model.inputs_digest(now, references, "equal_groups", EQUAL, 10,
                                    blocks=kept) == digest


def test_another_seed_moves_expected_ranks_by_less_than_the_stated_tolerance():
    simulated = simulate(11, applications=60)
    first = rank_model.rank_model(simulated.sheets, simulated.references, "equal_groups", EQUAL)
    other = rank_model.rank_model(simulated.sheets, simulated.references, "equal_groups", EQUAL,
                                  Settings(salt="another stream"))
    ours, theirs = first.applications, other.applications
    moved = (ours["expected_rank"] - theirs["expected_rank"]).abs()
    width = (ours["rank_90_high"] - ours["rank_90_low"] + 1).astype(float)
    assert moved.max() > 0
    assert (moved / width).max() <= rank_model.EXPECTED_RANK_TOLERANCE


def test_an_application_without_counting_sheets_has_no_expected_rank():
    sheets = twenty_points_above()
    model = rank_model.rank_model(sheets, [*QUALITY, "Z99"], "equal_groups", EQUAL)
    row = model.applications.loc["Z99"]
    assert row.isna().all()
    assert model.applications["expected_rank"].notna().sum() == 10


def test_members_in_no_group_count_with_equal_people_only():
    sheets = pd.concat([twenty_points_above(),
                        sheets_of([("x", None, ref, 0.0) for ref in QUALITY])])
    by_groups = rank_model.rank_model(sheets, list(QUALITY), "equal_groups", EQUAL)
    by_people = rank_model.rank_model(sheets, list(QUALITY), "equal_people", EQUAL)
    assert list(by_groups.groups.index) == [ACA, LIVED]
    # Equal people: three academic sheets at q, two lived-experience ones at q + 20 and
    # one at 0 → (5q + 40) / 6.
    assert by_people.applications["score"].to_numpy() == pytest.approx(
        (5 * np.array(list(QUALITY.values())) + 40) / 6, abs=1.0)


def test_the_grey_zone_holds_the_intervals_across_the_line():
    # With 2 funded (L = 2): an interval [lo, hi] holds 2.5 when lo ≤ 2 < hi.
    table = pd.DataFrame({"rank_90_low": [1, 1, 2, 3, 2, None],
                          "rank_90_high": [2, 3, 4, 5, 2, None]},
                         index=["A", "B", "C", "D", "E", "F"], dtype="Int64")
    assert list(grey_zone(table, 2)[lambda s: s].index) == ["B", "C"]


def test_the_rank_interval_is_the_one_nearest_its_probability():
    # 100 draws: rank 1 in 30, rank 2 in 40, rank 3 in 30. The equal-tailed 50 % interval
    # [1, 3] holds 100 %; [2, 2] holds 40 % and [1, 2] or [2, 3] 70 %: 40 % is nearest.
    ranks = np.array([[1] * 30 + [2] * 40 + [3] * 30])
    low, high = rank_model.rank_intervals(ranks, 0.25, 0.75)
    assert (low[0], high[0]) == (2, 2)
    # The 90 % interval: [1, 3] (100 %) is nearer 90 % than [2, 3] (70 %).
    low, high = rank_model.rank_intervals(ranks, 0.05, 0.95)
    assert (low[0], high[0]) == (1, 3)
