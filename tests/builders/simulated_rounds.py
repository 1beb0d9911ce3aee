"""Rounds simulated with a known true quality, for the rank model's coverage test
(:mod:`panel.scoring.rank_model`): each group sees an application's quality in its own
way (a group offset and a per-application view), each reviewer is more or less lenient,
and each sheet is noisy. The true rank is the rank of the true combined score, formed
from the groups' true effects as §3 forms C."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Simulated:
    sheets: pd.DataFrame  # member, group, reference, score: the final counting sheets
    references: np.ndarray
    true_rank: pd.Series  # by reference
    group_weights: dict[str, float]
    weighting: str


GROUPS = {"academic": (8, 3), "lived_experience": (6, 2)}  # reviewers, sheets per application


def simulate(seed: int, applications: int = 30, weighting: str = "equal_groups",
             group_weights: dict[str, float] | None = None) -> Simulated:
    rng = np.random.default_rng(seed)
    weights = group_weights or {g: 1.0 for g in GROUPS}
    references = np.array([f"S{n:03d}" for n in range(applications)], dtype=object)
    quality = rng.normal(50, 12, applications)
    rows, total, weight = [], np.zeros(applications), np.zeros(applications)
    member = 0
    for offset, (group, (reviewers, per_application)) in enumerate(GROUPS.items()):
        effect = quality + rng.normal(0, 5, applications) + 8 * offset  # the group's view
        leniency = rng.normal(0, 8, reviewers)
        for a in range(applications):
            for r in rng.choice(reviewers, per_application, replace=False):
                rows.append((member + int(r), group, references[a],
                             effect[a] + leniency[r] + rng.normal(0, 10)))
        member += reviewers
        w = per_application if weighting == "equal_people" else weights[group]
        total += w * effect
        weight += w
    true_score = total / weight
    true_rank = pd.Series((-true_score).argsort().argsort() + 1, index=references)
    sheets = pd.DataFrame(rows, columns=["member", "group", "reference", "score"])
    return Simulated(sheets, references, true_rank, weights, weighting)
