"""Time and memory of the rank model (DESIGN.md §3a, panel/scoring/rank_model.py) on
rounds of 300 and 20,000 applications (the latter 100,000 initial sheets, some
revisions, 2 groups), in memory, each beside a floor measured in the same run: the
plain figures of the same round (final and initial rankings, the ranking page's
numbers), which the model's job computes first anyway.

    .venv/bin/python benchmarks/rank_model.py [--seed N] [--only 300|20000]

Prints figures; never asserts. Targets on a 2-core machine: ≤ 1 s at 300 applications,
≤ 30 s and ≤ 2 GB at 20,000."""
from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import ranking as plain

from panel.scoring import figures, rank_model, rules


def measure(applications: int, seed: int) -> None:
    raw = plain.make_round(seed, applications)
    settings = rules.Rules(budget=applications * 10_000, group_weights=plain.GROUPS,
                           criterion_weights=plain.CRITERIA)
    loaded = plain.as_frames(raw, settings)
    started = time.perf_counter()
    found = figures.figures(loaded, figures.RANKING)
    floor = time.perf_counter() - started
    counting, references = found.counting, found.applications["reference"]
    started = time.perf_counter()
    model = rank_model.rank_model(counting, references, settings.weighting,
                                  settings.group_weights)
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    rank_model.rank_model(counting, references, settings.weighting, settings.group_weights)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    line = int(found.final.table["funded"].sum())
    grey = int(rank_model.grey_zone(model.applications, line).sum())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{applications:,} applications, {len(counting):,} final counting sheets, "
          f"{model.draws} draws:")
    print(f"  rank model: {elapsed:.2f} s; peak traced allocations {peak / 2**20:.0f} MiB; "
          f"process peak RSS so far {rss:.0f} MiB")
    print(f"  floor (the plain figures of the same round): {floor:.2f} s")
    print(f"  funded {line:,}; grey zone {grey:,}; mean 90 % interval width "
          f"{(model.applications['rank_90_high'] - model.applications['rank_90_low'] + 1).mean():.1f} ranks")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", type=int, choices=(300, 20_000))
    options = parser.parse_args()
    for size in (300, 20_000):
        if options.only in (None, size):
            measure(size, options.seed)


if __name__ == "__main__":
    main()
