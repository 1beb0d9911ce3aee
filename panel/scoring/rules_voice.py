"""Community voice (DESIGN.md §3): how each group shaped the ranking, how far the groups
agree, and whether moderation moved them toward each other. Pure, like
:mod:`panel.scoring.rules`; :mod:`panel.scoring.figures` calls :func:`community_voice`."""
from __future__ import annotations

import numpy as np
import pandas as pd

from panel.scoring.rules import SCORE_DECIMALS, Ranking

MIN_AGREEMENT = 3  # fewer applications scored by both groups: no agreement figure
SAME = 1e-9  # initial group scores closer than this are the same view (d = 0)


def community_voice(final: Ranking, initial: Ranking, without: dict[str, Ranking],
                    criterion_values: pd.DataFrame, groups: list[str],
                    criteria: list[str] | None = None) -> dict[str, dict]:
    """Per group ``g``: ``rank_shift`` (Series by reference), ``funded_because`` and
    ``displaced_by`` (references), ``agreement`` {h: {spearman, kendall}},
    ``moved_toward`` {h: number} and ``criterion_gap`` {h: {criterion: points}}.
    ``criterion_values`` holds the criterion scores of the counting final sheets, with
    each sheet's ``group``. Every criterion in ``criteria`` has a gap, None where a
    group scored it nowhere (absent values are null, DESIGN.md §8). Agreement is
    symmetric, so each pair is computed once and read both ways."""
    means = _criterion_means(criterion_values)
    if criteria is not None:
        means = means.reindex([str(c) for c in criteria])
    pairs = {}
    for g in groups:
        for h in groups:
            if g != h and (h, g) not in pairs:
                pairs[(g, h)] = agreement(final.group_scores[g], final.group_scores[h])
    voice = {}
    for g in groups:
        others = [h for h in groups if h != g]
        alone = without[g].table
        voice[g] = {
            "rank_shift": (alone["rank"] - final.table["rank"]).astype("Int64"),
            "funded_because": _references(final.table["funded"] & ~alone["funded"]),
            "displaced_by": _references(~final.table["funded"] & alone["funded"]),
            "agreement": {h: pairs.get((g, h)) or pairs[(h, g)] for h in others},
            "moved_toward": {h: moved_toward(initial.group_scores[g], final.group_scores[g],
                                             initial.group_scores[h], final.group_scores[h])
                             for h in others},
            "criterion_gap": {h: criterion_gap(means, g, h) for h in others},
        }
    return voice


def agreement(mine: pd.Series, theirs: pd.Series) -> dict[str, float | None]:
    """Spearman ρ and Kendall τ-b over applications both groups scored, each score
    rounded to 6 decimal places first (ties averaged); None with fewer than 3 of them or
    when either side is constant."""
    # Rounded as the ranking rounds, so that whether two group scores tie never depends
    # on floating-point arithmetic (DESIGN.md §3).
    both = pd.DataFrame({"mine": mine, "theirs": theirs}).dropna().round(SCORE_DECIMALS)
    if (len(both) < MIN_AGREEMENT or both["mine"].nunique() < 2
            or both["theirs"].nunique() < 2):
        return {"spearman": None, "kendall": None}
    # scipy takes half a second to import: only where agreement is worked out
    from scipy import stats

    rho = stats.spearmanr(both["mine"], both["theirs"]).statistic
    tau = stats.kendalltau(both["mine"], both["theirs"], variant="b").statistic
    return {"spearman": _number(rho), "kendall": _number(tau)}


def moved_toward(mine_initial: pd.Series, mine_final: pd.Series, theirs_initial: pd.Series,
                 theirs_final: pd.Series) -> float | None:
    """Mean of sign(d) × (G_g,final − G_g,init), d = G_h,init − G_g,init ≠ 0, over
    applications where both groups have initial and final scores. Positive: ``g``
    moved toward ``h``'s view."""
    frame = pd.DataFrame({"start": mine_initial, "end": mine_final, "theirs": theirs_initial,
                          "theirs_end": theirs_final})
    frame = frame.dropna()
    d = frame["theirs"] - frame["start"]
    frame = frame[d.abs() > SAME]
    if frame.empty:
        return None
    moves = np.sign(d[frame.index]) * (frame["end"] - frame["start"])
    return _number(moves.mean())


def criterion_gap(means: pd.DataFrame, g: str, h: str) -> dict[str, float | None]:
    """Mean of ``g``'s scores on each criterion minus ``h``'s, in scale points."""
    if g not in means.columns or h not in means.columns:
        return {str(c): None for c in means.index}
    return {str(c): _number(v) for c, v in (means[g] - means[h]).items()}


def _criterion_means(values: pd.DataFrame) -> pd.DataFrame:
    numbers = values.assign(value=pd.to_numeric(values["value"], errors="coerce"))
    numbers = numbers.dropna(subset=["value", "group"])
    if numbers.empty:
        return pd.DataFrame()
    return numbers.groupby(["criterion", "group"])["value"].mean().unstack("group")


def _references(mask: pd.Series) -> list[str]:
    return [str(reference) for reference in mask[mask.fillna(False)].index]


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
