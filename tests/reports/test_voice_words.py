"""The report page's words and its pure figures, hand-worked: named projects in the
headline, rank shifts in words, whole pounds, agreement with a 95 % interval, and the
typical size of the groups' disagreement (which opposite gaps cannot cancel)."""
from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest

from panel.reports import voice_text as words
from panel.reports.voice_gaps import Apart, apart, application_gaps, criterion_apart

# Named projects in the headline -------------------------------------------------------------


def test_the_headline_names_the_projects_a_group_brought_in_and_moved_out():
    assert words.funding_story(
        "Lived experience",
        ["Warm and welcome winter rooms", "A shed for men to make and talk", "C", "D"],
        ["Fix it, share it repair café"]) == (
        "Without the Lived experience group's scores, “Warm and welcome winter rooms”, "
        "“A shed for men to make and talk” and 2 others would not have been funded; "
        "“Fix it, share it repair café” would have been instead.")


def test_up_to_three_titles_are_all_named():
    assert words.titles(["A"]) == "“A”"
    assert words.titles(["A", "B"]) == "“A” and “B”"
    assert words.titles(["A", "B", "C"]) == "“A”, “B” and “C”"
    assert words.titles(["A", "B", "C", "D", "E"]) == "“A”, “B” and 3 others"


def test_the_headline_says_when_a_group_changed_nothing_or_only_one_way():
    assert words.funding_story("Academic", [], []) == (
        "Without the Academic group's scores, the same projects would have been funded.")
    assert words.funding_story("Academic", ["A"], []) == (
        "Without the Academic group's scores, “A” would not have been funded, and no other "
        "project would have been funded in its place.")
    assert words.funding_story("Academic", [], ["A", "B"]) == (
        "Without the Academic group's scores, “A” and “B” would have been funded as well; "
        "every project funded now would still have been funded.")


# Words, not signs; one money format ----------------------------------------------------------

@pytest.mark.parametrize("value,shown", [
    (3, "3 places lower without them"), (1, "1 place lower without them"),
    (-2, "2 places higher without them"), (0, "no change"), (None, "–")])
def test_a_rank_shift_reads_in_words(value, shown):
    assert words.shift(value) == shown


def test_moving_between_ranks_reads_in_words():
    assert words.moved_places(3, 7) == "down 4 places"
    assert words.moved_places(2, 1) == "up 1 place"
    assert words.moved_places(5, 5) == "no change"


@pytest.mark.parametrize("value,shown", [
    (445050, "£445,050"), (445050.49, "£445,050"), (445050.5, "£445,051"), (0, "£0"),
    (Decimal("445050.00"), "£445,050"), (Decimal("1234567.50"), "£1,234,568"),
    (None, "–")])
def test_money_is_whole_pounds_never_pence(value, shown):
    assert words.money(value) == shown


def test_sums_in_a_warning_are_written_in_whole_pounds():
    assert words.in_whole_pounds(
        "After the panel's decisions the funded applications ask for £415,550.00, over the "
        "budget of £400,000.50.") == (
        "After the panel's decisions the funded applications ask for £415,550, over the "
        "budget of £400,001.")


def test_under_five_points_in_a_hundred_is_too_small_to_matter():
    assert words.too_small(4.99) and words.too_small(-4.99) and not words.too_small(5)
    # the same share of a 1 to 5 scale (a range of 4): 0.2 points
    assert words.too_small(0.19, 4) and not words.too_small(0.2, 4)


# Agreement, and how sure we can be -------------------------------------------------------------

def test_the_spearman_interval_by_fisher_z_worked_by_hand():
    # ρ = 0.5 over 28 applications: z = atanh 0.5 = 0.549306; se = 1.06 / √25 = 0.212;
    # z ± 1.96 × 0.212 = 0.133786 … 0.964826; tanh: 0.132994 … 0.746422.
    low, high = words.spearman_interval(0.5, 28)
    assert (low, high) == (pytest.approx(0.132994, abs=1e-6), pytest.approx(0.746422, abs=1e-6))
    assert math.tanh(0.133786) == pytest.approx(low, abs=1e-6)
    assert words.agreement_words(0.5, 28) == "agreed moderately"
    assert words.spearman_interval(0.5, 3) is None


def test_minus_point_one_one_over_twenty_applications_is_too_few_to_tell():
    # z = atanh(−0.11) = −0.110447; se = 1.06 / √17 = 0.257090; ± 0.503896:
    # −0.614343 … 0.393449 → ρ −0.547 … 0.374: both agreement and disagreement.
    low, high = words.spearman_interval(-0.11, 20)
    assert (round(low, 3), round(high, 3)) == (-0.547, 0.374)
    assert words.agreement_words(-0.11, 20) == "too few applications to tell"
    assert words.agreement_sentence("Academic", "Lived experience", -0.11, 20) == (
        "The Academic and Lived experience groups' scores disagreed weakly (Spearman −0.11): "
        "what one group scored high, the other tended to score low. With only 20 "
        "applications scored by both groups, there are too few applications to tell how "
        "far they agree: the true figure could be anywhere from −0.55 to 0.37 (95\u00a0% "
        "interval).")


def test_near_zero_is_no_relationship_and_fewer_than_ten_is_too_few():
    assert words.agreement_words(0.05) == "showed no relationship"
    assert words.agreement_words(-0.0949) == "showed no relationship"
    assert words.agreement_words(0.95, 9) == "too few applications to tell"
    assert words.agreement_words(0.95, 10) == "agreed strongly"


@pytest.mark.parametrize("rho,words_", [
    (0.95, "agreed strongly"), (0.699, "agreed strongly"), (0.45, "agreed moderately"),
    (0.3949, "agreed weakly"), (0.0951, "agreed weakly"), (0.05, "showed no relationship"),
    (-0.0949, "showed no relationship"), (-0.2, "disagreed weakly"),
    (-0.5, "disagreed moderately"), (-0.866, "disagreed strongly")])
def test_agreement_words_follow_the_rounded_spearman(rho, words_):
    assert words.agreement_words(rho) == words_


# The typical size of the disagreement ---------------------------------------------------------

# DESIGN.md §3's worked example, final sheets: criteria q and n per sheet.
WORKED_VALUES = pd.DataFrame(
    [("A1", "academic", 5, 5), ("A1", "academic", 5, 1), ("A1", "lived", 1, 1),
     ("A2", "academic", 3, 3), ("A2", "lived", 5, 5),
     ("A3", "academic", 4, None), ("A3", "lived", 5, None)],
    columns=["reference", "group", "q", "n"]).melt(
    id_vars=["reference", "group"], var_name="criterion", value_name="value")


def test_opposite_gaps_do_not_cancel_in_the_typical_gap():
    # q: A1 5 − 1 = 4, A2 3 − 5 = −2, A3 4 − 5 = −1: typical (4 + 2 + 1) / 3 = 2.33;
    # academic higher on 1 of 3, lived experience on 2.
    # n: A1 3 − 1 = 2, A2 3 − 5 = −2 (A3 unscored): the signed mean is 0, the typical 2.
    found = criterion_apart(WORKED_VALUES, "academic", "lived", ["q", "n"])
    assert found["q"] == Apart(3, pytest.approx(7 / 3), 1, 2)
    assert found["n"] == Apart(2, 2.0, 1, 1)


def test_the_typical_gap_per_application_on_the_hundred_point_score():
    # academic 87.5, 50, 75 against lived experience 0, 100, 100:
    # gaps 87.5, −50, −25: typical 162.5 / 3 = 54.17; academic higher on 1 of 3.
    scores = pd.DataFrame({"academic": [87.5, 50, 75, None], "lived": [0, 100, 100, 80]},
                          index=["A1", "A2", "A3", "A4"])
    gaps = application_gaps(scores, "academic", "lived")
    assert apart(gaps) == Apart(3, pytest.approx(162.5 / 3), 1, 2)


def test_no_gap_at_all_has_no_typical_size():
    assert apart(pd.Series([None, None], dtype=float)) == Apart(0, None, 0, 0)
    assert criterion_apart(WORKED_VALUES, "academic", "other", ["q"]) == {
        "q": Apart(0, None, 0, 0)}
