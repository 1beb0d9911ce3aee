"""Properties of the numbers of DESIGN.md §3 that hold for any round."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panel.scoring.figures import REPORT, Frames, figures
from panel.scoring.rules import Rules

GROUPS = ("academic", "lived_experience", "community")
REFERENCES = [f"A{n}" for n in range(1, 9)]

value = st.one_of(st.none(), st.integers(1, 5))
sheet_rows = st.lists(st.fixed_dictionaries({
    "member": st.integers(0, 5), "reference": st.sampled_from(REFERENCES),
    "revision": st.integers(0, 2), "status": st.sampled_from(["submitted", "submitted", "draft"]),
    "q": value, "n": value,
}), max_size=30)
conflict_rows = st.lists(st.tuples(st.integers(0, 5), st.sampled_from(REFERENCES),
                                   st.sampled_from(["step_out", "declared"]),
                                   st.sampled_from(["pending", "confirmed", "dismissed"])),
                         max_size=4)
round_settings = st.builds(
    Rules, budget=st.integers(0, 300), funding_rule=st.sampled_from(["strict", "fill"]),
    weighting=st.sampled_from(["equal_groups", "equal_people"]),
    group_weights=st.just({g: w for g, w in zip(GROUPS, (1.0, 2.0, 1.0))}),
    criterion_weights=st.just({"q": 3.0, "n": 1.0}))
WEIGHTS = {"q": 3.0, "n": 1.0}
amounts = st.lists(st.integers(0, 120), min_size=len(REFERENCES), max_size=len(REFERENCES))
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def frames(rows, money, conflicts) -> Frames:
    """The round as the database would hand it over (tests/scoring/test_counting.py holds the
    database to the same rule): submitted sheets only, none of a member stepped out of
    that application, each marked with the figures it counts in."""
    # Member m is in group m % 2, so the third group never scores anything.
    kept = _unique(rows)
    out = {(m, r) for m, r, level, status in conflicts
           if level == "step_out" and status != "dismissed"}
    latest = {}
    for r in kept:
        if r["status"] == "submitted":
            key = (r["member"], r["reference"])
            latest[key] = max(latest.get(key, -1), r["revision"])
    sheets, values = [], []
    for i, r in enumerate(kept):
        key = (r["member"], r["reference"])
        initial = r["revision"] == 0
        final = latest.get(key) == r["revision"]
        if r["status"] != "submitted" or key in out or not (initial or final):
            continue
        scored = {c: r[c] for c in ("q", "n") if r[c] is not None}
        sheets.append({"sheet": i, "member": r["member"], "group": GROUPS[r["member"] % 2],
                       "reference": r["reference"], "initial": initial, "final": final,
                       "points": sum(WEIGHTS[c] * (v - 1) for c, v in scored.items())
                       if scored else None,
                       "weight": sum(WEIGHTS[c] for c in scored) if scored else None})
        values += [{"sheet": i, "criterion": c, "value": r[c]} for c in ("q", "n")]
    return Frames(
        rules=Rules(),
        applications=pd.DataFrame({"reference": REFERENCES, "title": REFERENCES,
                                   "requested_amount": money}),
        sheets=pd.DataFrame(sheets, columns=["sheet", "member", "group", "reference",
                                             "initial", "final", "points", "weight"]).astype(
            {"initial": bool, "final": bool, "points": float, "weight": float}),
        decisions=pd.DataFrame(columns=["reference", "outcome", "rationale"]),
        criterion_values=pd.DataFrame(values, columns=["sheet", "criterion", "value"]))


def _unique(rows):
    # One sheet per member, application and revision, as the database insists.
    seen, kept = set(), []
    for row in rows:
        key = (row["member"], row["reference"], row["revision"])
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def run(round_frames: Frames, settings_: Rules):
    return figures(replace(round_frames, rules=settings_), REPORT)


def summary(ranking):
    table = ranking.table.sort_index()
    scores = [None if pd.isna(s) else round(s, 9) for s in table["score"]]
    ranks = [None if pd.isna(r) else int(r) for r in table["rank"]]
    return scores, ranks, table["funded"].tolist()


@SETTINGS
@given(sheet_rows, amounts, conflict_rows, round_settings)
def test_a_group_that_scored_nothing_changes_nothing(rows, money, conflicts, settings_):
    round_frames = frames(rows, money, conflicts)
    result = run(round_frames, settings_)
    assert summary(result.without["community"]) == summary(result.final)
    assert result.voice["community"]["funded_because"] == []
    assert result.voice["community"]["displaced_by"] == []


@SETTINGS
@given(sheet_rows, amounts, conflict_rows, round_settings, st.randoms(use_true_random=False))
def test_the_order_of_input_rows_changes_nothing(rows, money, conflicts, settings_, random):
    round_frames = frames(rows, money, conflicts)
    before = run(round_frames, settings_)
    shuffled = {name: getattr(round_frames, name).sample(
        frac=1, random_state=random.randint(0, 2**31))
        for name in ("applications", "sheets", "criterion_values", "decisions")}
    after = run(replace(round_frames, **shuffled), settings_)
    assert summary(after.final) == summary(before.final)
    assert summary(after.initial) == summary(before.initial)


@SETTINGS
@given(sheet_rows, amounts, conflict_rows, round_settings)
def test_ranks_are_one_to_n_without_gaps_and_funding_stays_in_budget(
        rows, money, conflicts, settings_):
    round_frames = frames(rows, money, conflicts)
    result = run(round_frames, settings_)
    for ranking in (result.final, result.initial, *result.without.values()):
        table = ranking.table
        ranks = sorted(table["rank"].dropna().tolist())
        assert ranks == list(range(1, table["score"].notna().sum() + 1))
        spent = round_frames.applications.set_index("reference")["requested_amount"][
            table["funded"]].sum()
        assert spent <= settings_.budget
        assert not table.loc[table["score"].isna(), "funded"].any()


@SETTINGS
@given(sheet_rows, amounts, conflict_rows, round_settings)
def test_strict_funds_a_prefix_of_the_ranking_and_fill_funds_a_superset(
        rows, money, conflicts, settings_):
    round_frames = frames(rows, money, conflicts)
    strict = run(round_frames,
                 Rules(**{**settings_.__dict__, "funding_rule": "strict"})).final
    fill = run(round_frames,
               Rules(**{**settings_.__dict__, "funding_rule": "fill"})).final
    flags = strict.in_rank_order()["funded"].tolist()
    assert flags == sorted(flags, reverse=True)  # True… then False…
    assert set(strict.table.index[strict.table["funded"]]) <= set(
        fill.table.index[fill.table["funded"]])
