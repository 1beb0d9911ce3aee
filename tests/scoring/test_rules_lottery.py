"""The draw near the funding line (DESIGN.md §3a), worked out by hand.

The draw: r = bytes 0x00…0x1f, p = "7 19 42", the committed event's hash h =
"0123456789abcdef" four times. The keys below were computed with nothing but hashlib:

    sha256(r)                      = 630dcd29…d710dd
    seed = sha256(r ‖ "7 19 42" ‖ h) = 068b6524…83f848
    key(A1) = 7c90…, key(A2) = 9b40…, key(A3) = 557c…, key(A4) = 3590…
    → draw order A4, A3, A1, A2 (ascending key).

The funding: budget 100; in rank order R1 30, R2 20, R3 25, R4 40, R5 10, R6 15. The
provisional line, walked as fill, funds R1, R2, R3 (75), skips R4 (115), funds R5 (85)
and R6 (100): L = 5. Grey zone R3–R6, so above it R1 and R2 (50) and B' = 100 − 50 = 50.
Drawn order R4, R6, R3, R5: R4 40 fits (40); R6 15 would make 55: skipped; R3 25 would
make 65: skipped; R5 10 fits (50). Funded R1, R2, R4, R5.
"""
from __future__ import annotations

from dataclasses import replace

from panel.scoring import rules_lottery
from panel.scoring.figures import figures
from panel.scoring.rules import Rules
from tests.builders.frames import frames, sheet

SECRET = bytes(range(32))
PUBLIC_INPUT = "7 19 42"
COMMITTED_HASH = "0123456789abcdef" * 4
KEYS = {
    "A1": "7c90272df573c38beb047b1296e7b0810480b4a3c40267e56d028056fd228a2f",
    "A2": "9b40f1a30ef36ef7c05d47efac5e9ae05d39449d330ff7b5b2023ca1021fc2a7",
    "A3": "557c35642a88720eacb502d7cc6ec9e7ce071e4f54232931278a37b32761eddc",
    "A4": "35907a2096e32feaf87cc727cf973bb3e285094920b5a4de6a0e23003de8a125",
}


def test_the_commitment_is_sha256_of_the_secret():
    assert rules_lottery.commitment(SECRET) == (
        "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd")


def test_the_seed_joins_secret_public_input_and_the_commitments_hash():
    assert rules_lottery.seed(SECRET, PUBLIC_INPUT, COMMITTED_HASH).hex() == (
        "068b652451fde5760f106ec82374f06ffc3c80215f21fa4759435099e183f848")


def test_a_draw_worked_by_hand():
    drawn = rules_lottery.draw(SECRET, PUBLIC_INPUT, COMMITTED_HASH, ["A1", "A2", "A3", "A4"])
    assert drawn == [("A4", KEYS["A4"]), ("A3", KEYS["A3"]), ("A1", KEYS["A1"]),
                     ("A2", KEYS["A2"])]


def test_the_order_does_not_depend_on_the_order_the_grey_zone_is_given_in():
    assert rules_lottery.draw(SECRET, PUBLIC_INPUT, COMMITTED_HASH, ["A4", "A2", "A1", "A3"]) \
        == rules_lottery.draw(SECRET, PUBLIC_INPUT, COMMITTED_HASH, ["A1", "A2", "A3", "A4"])


def test_a_changed_public_input_changes_the_draw():
    # p = "7 19 43": keys A1 02e5…, A4 04d2…, A3 9229…, A2 ea49…
    drawn = rules_lottery.draw(SECRET, "7 19 43", COMMITTED_HASH, list(KEYS))
    assert [reference for reference, _ in drawn] == ["A1", "A4", "A3", "A2"]


def test_a_changed_secret_changes_the_draw():
    # r = bytes 0x01…0x20: keys A3 0024…, A2 a55e…, A4 b1b4…, A1 f6aa…
    drawn = rules_lottery.draw(bytes(range(1, 33)), PUBLIC_INPUT, COMMITTED_HASH, list(KEYS))
    assert [reference for reference, _ in drawn] == ["A3", "A2", "A4", "A1"]


def test_a_changed_commitment_hash_changes_the_draw():
    drawn = rules_lottery.draw(SECRET, PUBLIC_INPUT, "f" * 64, list(KEYS))
    assert [key for _, key in drawn] != sorted(KEYS.values())


AMOUNTS = {"R1": 3000, "R2": 2000, "R3": 2500, "R4": 4000, "R5": 1000, "R6": 1500}  # pence
PROVISIONAL = ["R1", "R2", "R3", "R5", "R6"]
ZONE = ["R3", "R4", "R5", "R6"]


def test_the_budget_left_for_the_grey_zone():
    above, left = rules_lottery.budget_left(PROVISIONAL, ZONE, AMOUNTS, 10_000)
    assert above == ["R1", "R2"]
    assert left == 5000


def test_the_grey_zone_is_funded_in_draw_order_skipping_what_does_not_fit():
    result = rules_lottery.funding(PROVISIONAL, ZONE, ["R4", "R6", "R3", "R5"], AMOUNTS, 10_000)
    assert result.drawn_funded == ["R4", "R5"]
    assert result.skipped == ["R6", "R3"]
    assert result.funded == ["R1", "R2", "R4", "R5"]


def test_another_order_funds_others():
    result = rules_lottery.funding(PROVISIONAL, ZONE, ["R3", "R6", "R5", "R4"], AMOUNTS, 10_000)
    assert result.funded == ["R1", "R2", "R3", "R6", "R5"]  # 25 + 15 + 10 = 50; R4 skipped
    assert result.skipped == ["R4"]


def test_with_no_grey_zone_the_lottery_funds_as_fill():
    result = rules_lottery.funding(PROVISIONAL, [], [], AMOUNTS, 10_000)
    assert result.funded == PROVISIONAL and result.budget_left == 0


# Through the round's figures: one academic scores R1 … R6 from 5 down to 1 (R5 and R6
# both 1: a tie broken by reference), so the ranking is R1 … R6.
SCORES = {"R1": 5, "R2": 4, "R3": 3, "R4": 2, "R5": 1, "R6": 1}
LOTTERY = Rules(budget=100, funding_rule="lottery", group_weights={"academic": 1},
                criterion_weights={"q": 1})


def _frames(decisions=(), drawn=None):
    found = frames([sheet("m1", "academic", ref, q=score) for ref, score in SCORES.items()],
                   {ref: pence / 100 for ref, pence in AMOUNTS.items()}, LOTTERY, decisions)
    return replace(found, drawn=drawn)


def test_before_the_draw_the_lottery_round_shows_the_provisional_line():
    table = figures(_frames()).final.table
    assert table.index[table["funded"]].tolist() == PROVISIONAL


def test_after_the_draw_the_figures_fund_as_drawn():
    drawn = rules_lottery.Drawn(ZONE, ["R4", "R6", "R3", "R5"])
    table = figures(_frames(drawn=drawn)).final.table
    assert table.index[table["funded"]].tolist() == ["R1", "R2", "R4", "R5"]
    assert table["running_total"].tolist() == [30, 50, 50, 90, 100, 100]


def test_decisions_still_override_the_draw_and_are_listed():
    drawn = rules_lottery.Drawn(ZONE, ["R4", "R6", "R3", "R5"])
    found = figures(_frames(decisions=[("R6", "fund", "Local need"),
                                       ("R4", "do_not_fund", "Duplicate")], drawn=drawn))
    assert found.decisions["final_funded"].to_dict() == {
        "R1": True, "R2": True, "R3": False, "R4": False, "R5": True, "R6": True}
    assert [(o["reference"], o["funded"], o["final_funded"]) for o in found.overrides] == [
        ("R4", True, False), ("R6", False, True)]
