"""A kept rank-model result for the worked example (DESIGN.md §3a), hand-made rather than
sampled, so pages that show how sure the ranking is can be checked with known numbers."""
from __future__ import annotations

import copy

from sqlalchemy import select

from panel.accounts.models import User
from panel.extensions import db
from panel.moderation.meeting import version
from panel.reports.rank_model_jobs import inputs_of
from panel.rounds.models import PanelMember
from panel.scoring.figures import RANKING, round_figures
from panel.scoring.models import RankModelResult

# A result kept for the worked example's sheets as they are (hand-made, not sampled): A3
# clearly first; A2 and A1 both reach across the line after rank 2.
#
# Reviewers (members filled in by :func:`keep_hand_made`): Academic One sent 3 sheets and
# Academic Two 1, so their leniencies +2 and −6 balance (3 × 2 + 1 × −6 = 0); Lived One
# is the only lived-experience reviewer (0). Levels are the groups' mean final sheets:
# academic (100 + 75 + 50 + 75) / 4 = 75, lived experience (0 + 100 + 100) / 3 = 66.667.
HAND_MADE = {"line": 2, "draws": 1000, "applications": {
    "reference": ["A1", "A2", "A3"], "score": [44.0, 75.0, 87.5],
    "expected_rank": [2.7, 2.2, 1.1], "rank_interval_50": [[3, 3], [2, 2], [1, 1]],
    "rank_interval_90": [[2, 3], [1, 3], [1, 2]], "grey_zone": [True, True, False]},
    "reviewers": {"member": [], "group": ["academic", "academic", "lived_experience"],
                  "sheets": [3, 1, 3], "leniency": [2.0, -6.0, 0.0],
                  "leniency_90": [[0.5, 3.5], [-11.0, -1.0], [-0.4, 0.4]]},
    "groups": {"academic": {"level": 75.0, "noise_sd": 9.0, "leniency_sd": 5.2,
                            "reviewers": 2, "sheets": 4},
               "lived_experience": {"level": 66.667, "noise_sd": 9.0, "leniency_sd": 1.0,
                                    "reviewers": 1, "sheets": 3}}}
REVIEWERS = ["aca1@panel.example", "aca2@panel.example", "lived1@panel.example"]


def keep(round_, result: dict) -> None:
    inputs = inputs_of(round_figures(round_, RANKING), round_)
    db.session.add(RankModelResult(round_id=round_.id, version=version(round_),
                                   inputs=inputs.digest, seconds=0.1, result=result))
    db.session.commit()


def keep_hand_made(round_) -> dict:
    """Turn the model on for the worked example and keep :data:`HAND_MADE` for it, its
    reviewers the round's members (:data:`REVIEWERS`, in that order)."""
    members = dict(db.session.execute(select(User.email, PanelMember.id).join(
        PanelMember, PanelMember.user_id == User.id).where(PanelMember.round_id == round_.id)
        ).all())
    result = copy.deepcopy(HAND_MADE)
    result["reviewers"]["member"] = [members[email] for email in REVIEWERS]
    round_.rank_model = "on"
    keep(round_, result)
    return result
