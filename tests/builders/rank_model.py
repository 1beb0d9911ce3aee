"""A kept rank-model result for the worked example (DESIGN.md §3a), hand-made rather than
sampled, so pages that show how sure the ranking is can be checked with known numbers."""
from __future__ import annotations

from panel.extensions import db
from panel.moderation.meeting import version
from panel.reports.rank_model_jobs import inputs_of
from panel.scoring.figures import RANKING, round_figures
from panel.scoring.models import RankModelResult

# A result kept for the worked example's sheets as they are (hand-made, not sampled): A3
# clearly first; A2 and A1 both reach across the line after rank 2.
HAND_MADE = {"line": 2, "draws": 1000, "applications": {
    "reference": ["A1", "A2", "A3"], "score": [44.0, 75.0, 87.5],
    "expected_rank": [2.7, 2.2, 1.1], "rank_interval_50": [[3, 3], [2, 2], [1, 1]],
    "rank_interval_90": [[2, 3], [1, 3], [1, 2]], "grey_zone": [True, True, False]},
    "reviewers": {"member": [], "group": [], "sheets": [], "leniency": [],
                  "leniency_90": []}, "groups": {}}


def keep(round_, result: dict) -> None:
    inputs = inputs_of(round_figures(round_, RANKING), round_)
    db.session.add(RankModelResult(round_id=round_.id, version=version(round_),
                                   inputs=inputs.digest, seconds=0.1, result=result))
    db.session.commit()


def keep_hand_made(round_) -> None:
    """Turn the model on for the worked example and keep :data:`HAND_MADE` for it."""
    round_.rank_model = "on"
    keep(round_, HAND_MADE)
