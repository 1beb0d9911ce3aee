"""Time and memory of the numbers of DESIGN.md §3 on a large round, in memory (no
database): 20,000 applications, 2,000 panellists in 2 groups, 100,000 initial sheets
over 6 criteria, some revisions, unscored criteria, drafts and step_out conflicts.
It times :func:`panel.scoring.figures.figures` alone, on the frames the database would
hand over (:func:`as_frames` does the database's part in pandas): what a user waits for
is timed by report.py, ranking_page.py and meeting.py.

    .venv/bin/python benchmarks/ranking.py [--seed N]

Prints figures; never asserts. Target on a 2-core machine: ≤ 3 s and ≤ 1 GB."""
from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from panel.scoring import figures, rules  # noqa: E402

APPLICATIONS, PANELLISTS, SHEETS = 20_000, 2_000, 100_000
CRITERIA = {"benefit": 4, "community": 3, "delivery": 2, "value": 1, "reach": 1, "equity": 2}
GROUPS = {"academic": 1.0, "lived_experience": 1.0}


def make_round(seed: int, applications: int = APPLICATIONS) -> dict[str, pd.DataFrame]:
    """The round's raw tables; ``applications`` scales it (panellists and sheets in the
    same proportion: 10 applications and 50 initial sheets per 1 panellist)."""
    rng = np.random.default_rng(seed)
    panellists = max(10, PANELLISTS * applications // APPLICATIONS)
    sheets_count = SHEETS // APPLICATIONS * applications
    references = np.array([f"A{n:05d}" for n in range(1, applications + 1)], dtype=object)
    apps = pd.DataFrame({"reference": references,
                         "requested_amount": rng.integers(5, 60, applications) * 1000})
    members = np.arange(panellists)
    member_group = np.where(members % 3 == 0, "lived_experience", "academic")
    # Five distinct reviewers per application: application i goes to members i*5..i*5+4.
    application_of = np.repeat(np.arange(applications), sheets_count // applications)
    member_of = (application_of * 5 + np.tile(np.arange(5), applications)) % panellists
    initial = pd.DataFrame({"member": member_of, "reference": references[application_of],
                            "revision": 0,
                            "status": np.where(rng.random(sheets_count) < 0.02, "draft",
                                               "submitted")})
    revised = initial.sample(frac=0.1, random_state=seed).assign(revision=1, status="submitted")
    sheets = pd.concat([initial, revised], ignore_index=True)
    sheets["sheet"] = np.arange(len(sheets))
    sheets["group"] = member_group[sheets["member"].to_numpy()]
    values = rng.integers(1, 6, (len(sheets), len(CRITERIA))).astype(float)
    values[rng.random(values.shape) < 0.05] = np.nan  # "I don't feel able to score this"
    scores = pd.DataFrame({"sheet": np.repeat(sheets["sheet"].to_numpy(), len(CRITERIA)),
                           "criterion": np.tile(list(CRITERIA), len(sheets)),
                           "value": values.ravel()})
    stepped = initial.sample(n=sheets_count // 100, random_state=seed + 1)
    conflicts = pd.DataFrame({"member": stepped["member"], "reference": stepped["reference"],
                              "level": "step_out", "status": "confirmed"})
    decisions = pd.DataFrame({"reference": references[:50], "outcome": "fund",
                              "rationale": "Chair's decision"})
    return {"applications": apps, "sheets": sheets, "scores": scores,
            "conflicts": conflicts, "decisions": decisions}


def as_frames(raw: dict[str, pd.DataFrame], settings: rules.Rules) -> figures.Frames:
    """What the database hands :func:`figures.figures`: submitted sheets of members who
    did not step out, each marked initial and/or final, with its criteria summed."""
    sheets = raw["sheets"][raw["sheets"]["status"] == "submitted"]
    out = pd.MultiIndex.from_frame(raw["conflicts"][["member", "reference"]])
    sheets = sheets[~pd.MultiIndex.from_frame(sheets[["member", "reference"]]).isin(out)]
    latest = sheets.groupby(["member", "reference"])["revision"].transform("max")
    sheets = sheets.assign(initial=sheets["revision"] == 0, final=sheets["revision"] == latest)
    sheets = sheets[sheets["initial"] | sheets["final"]]
    scores = raw["scores"].dropna(subset=["value"])
    weight = scores["criterion"].map(settings.criterion_weights)
    sums = pd.DataFrame({"sheet": scores["sheet"], "weight": weight,
                         "points": weight * (scores["value"] - settings.scale_min)}
                        ).groupby("sheet")[["points", "weight"]].sum()
    sheets = sheets.join(sums, on="sheet")
    finals = sheets.loc[sheets["final"], "sheet"]
    return figures.Frames(
        rules=settings, applications=raw["applications"].assign(title=""),
        sheets=sheets[["sheet", "member", "group", "reference", "initial", "final", "points",
                       "weight"]],
        decisions=raw["decisions"],
        criterion_values=raw["scores"][raw["scores"]["sheet"].isin(finals)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    seed = parser.parse_args().seed
    frames = make_round(seed)
    settings = rules.Rules(budget=200_000_000, group_weights=GROUPS, criterion_weights=CRITERIA)
    print(f"{len(frames['applications']):,} applications, {PANELLISTS:,} panellists, "
          f"{len(frames['sheets']):,} sheets ({(frames['sheets']['revision'] > 0).sum():,} "
          f"revisions), {len(frames['scores']):,} criterion scores, "
          f"{len(frames['conflicts']):,} step_out conflicts")
    loaded = as_frames(frames, settings)
    tracemalloc.start()
    started = time.perf_counter()
    result = figures.figures(loaded, figures.REPORT)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    started = time.perf_counter()  # again, without tracemalloc's overhead
    figures.figures(loaded, figures.REPORT)
    untraced = time.perf_counter() - started
    started = time.perf_counter()
    figures.figures(loaded, figures.RANKING)
    page_only = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"full calculation (final, initial, without each group, voice, decisions): "
          f"{untraced:.2f} s ({elapsed:.2f} s under tracemalloc)")
    print(f"final and initial rankings and decisions (the ranking page's and the meeting's "
          f"numbers): {page_only:.2f} s")
    print(f"peak traced Python allocations: {peak / 2**20:.0f} MiB; "
          f"process peak RSS: {rss:.0f} MiB")
    print(f"funded: {int(result.final.table['funded'].sum()):,}; "
          f"ties: {int(result.final.table['tie'].sum()):,}")


if __name__ == "__main__":
    main()
