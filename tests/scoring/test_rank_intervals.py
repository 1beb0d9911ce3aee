"""The interval plot of how sure the ranking is (DESIGN.md §3a;
panel/scoring/rank_intervals.py): its rows, its sentence, its geometry and, in a large
round, the region around the funding line it shows — with hand-worked numbers."""
from __future__ import annotations

from panel.scoring.rank_intervals import (
    MOST,
    from_result,
    interval_chart,
    sides,
    summary,
)


def kept(rows: list[tuple], line: int) -> dict:
    """A kept model result (panel/reports/rank_model_jobs.as_json's shape) from rows of
    (reference, expected rank, 50 % interval, 90 % interval)."""
    return {"line": line, "applications": {
        "reference": [r[0] for r in rows], "expected_rank": [r[1] for r in rows],
        "rank_interval_50": [r[2] for r in rows], "rank_interval_90": [r[3] for r in rows],
        # §3a: in the grey zone when the 90 % interval [lo, hi] has lo ≤ L < hi
        "grey_zone": [None if r[1] is None else r[3][0] <= line < r[3][1] for r in rows]}}


# A4 first in the kept columns: the plot sorts by expected rank. A5 has no score.
FOUR = [("A4", 3.8, [4, 4], [3, 4]), ("A1", 1.2, [1, 1], [1, 2]),
        ("A2", 2.1, [2, 2], [1, 3]), ("A3", 2.9, [3, 3], [2, 4]), ("A5", None, None, None)]


def test_rows_in_expected_rank_order_with_the_grey_zone_marked():
    found = from_result(kept(FOUR, 2), {"A1": "Allotments"})
    assert [r.reference for r in found.rows] == ["A1", "A2", "A3", "A4"]
    assert [r.grey_zone for r in found.rows] == [False, True, True, False]
    assert found.rows[0].title == "Allotments" and found.rows[0].interval_90 == (1, 2)
    assert (found.ranked, found.grey_zone, found.line, found.window) == (4, 2, 2, "")
    assert found.sentence == (
        "These 2 applications are too close to call: their 90 % intervals reach across "
        "the funding line (after rank 2), so the panel's scores cannot tell whether they "
        "belong above or below it.")


def test_how_many_are_clearly_on_each_side():
    found = from_result(kept(FOUR, 2), {})
    assert (found.clear_above, found.clear_below) == (1, 1)  # A1 [1, 2]; A4 [3, 4]
    assert found.in_words == ("Of the 4 applications with a score, 1 is clearly above the "
                              "funding line, 1 clearly below it and 2 too close to call.")
    assert sides(1, 0, 1, 0) == ("Of the one application with a score, none is clearly "
                                 "above the funding line and 1 clearly below it.")
    assert sides(5, 0, 0, 5) == ("Of the 5 applications with a score, none are clearly "
                                 "above the funding line, none clearly below it and 5 too "
                                 "close to call.")


def test_the_sentence_minds_its_plurals():
    assert summary(1, 5).startswith("This application is too close to call: its 90 % "
                                    "interval reaches across the funding line (after rank 5)")
    assert summary(1, 5).endswith("whether it belongs above or below it.")
    assert summary(1_200, 3_000).startswith("These 1,200 applications are")
    assert summary(0, 2) == ("Every application's 90 % interval stays on one side of the "
                             "funding line (after rank 2): the panel's scores are clear "
                             "about which are funded.")
    assert "no funding line" in summary(0, 0)


def test_geometry_puts_the_funding_line_between_ranks_two_and_three():
    chart = from_result(kept(FOUR, 2), {}).chart
    # Ranks 1..4 over the plot's width: the label column is "Rank" wide (4 characters of
    # 11.16 units, × 1.1 = 49.1), plus 12: the plot runs from x = 61.1 to 348 (360 − 12).
    # The line at rank 2.5 is in the middle: 61.1 + 0.5 × 286.9 = 204.55.
    assert abs(chart.funding.x1 - 204.55) < 0.06 and chart.funding.x1 == chart.funding.x2
    # A2's 50 % interval [2, 2] is drawn from rank 1.6 to 2.4: 61.1 + 1.1/4 × 286.9 = 140.0
    assert chart.narrow[1].x1 == 140.0
    # Two shaded bands, on the grey-zone rows (the second and third), the width of the plot
    assert [(y, h) for _, y, _, h in chart.bands] == [(86.0, 30.0), (116.0, 30.0)]
    assert {t.text for t in chart.texts if t.strong} == {
        "Expected rank (1 = best)", "A2", "A3", "Funding line"}  # grey-zone labels in bold
    assert {t.text for t in chart.texts if t.anchor == "end" and t.y > chart.height - 10} \
        == {"1", "2", "3", "4"}  # a short axis is labelled at every rank
    assert all(0 <= t.x <= chart.width for t in chart.texts)


def test_a_large_round_shows_the_grey_zone_and_five_either_side():
    # 100 applications ranked 1..100; the line after 50; 48..53 too close to call.
    rows = [(f"A{n:03}", float(n), [n, n], [n - 3, n + 3]) for n in range(1, 101)]
    found = from_result(kept(rows, 50), {})
    assert found.grey_zone == 6  # 48 to 53: lo ≤ 50 < hi
    assert [r.expected_rank for r in found.rows] == [float(n) for n in range(43, 59)]
    assert found.window == ("The plot shows the 16 applications nearest the funding line "
                            "(expected ranks 43.0 to 58.0) of the 100 ranked; the ranking "
                            "table has them all.")


def test_a_huge_grey_zone_is_cut_to_the_rows_nearest_the_line():
    rows = [(f"A{n:05}", float(n), [n, n], [1, 20_000]) for n in range(1, 20_001)]
    found = from_result(kept(rows, 9_000), {})
    assert found.grey_zone == 20_000 and len(found.rows) == MOST == 40
    assert (found.rows[0].expected_rank, found.rows[-1].expected_rank) == (8_981, 9_020)
    assert len(found.chart.dots) == 40
    # A long axis is labelled at its ends only: the shown rows' 90 % intervals, 1 to 20,000.
    bottom = [t.text for t in found.chart.texts if t.y > found.chart.height - 10]
    assert bottom == ["1", "20,000"]
    assert "20,000 ranked" in found.window


def test_no_funding_line_draws_none():
    chart = interval_chart(from_result(kept(FOUR, 0), {}).rows, 0)
    assert chart.funding is None
