"""How sure the ranking is (DESIGN.md §3a): a Bayesian model of the counting sheets,
pure numpy, no database (:mod:`panel.scoring.rank_model_jobs` loads a round, runs it in
the background and keeps the result per round version).

The model, for each group ``g`` on its own, over the group's final counting sheets
(score ``S`` of §3, 0–100)::

    S_i = μ_g(a_i) + b(r_i) + ε_i,        ε_i ~ N(0, σ_g²)
    μ_g(a) ~ N(m_g, τ_g²)                  the application's effect for group g
    b(r) ~ N(0, ω_g²), with Σ_r n_r b(r) = 0 over the group's reviewers
                                           (n_r: the reviewer's counting sheets)
    m_g flat;  σ_g², τ_g², ω_g² ~ InvGamma(PRIOR_SHAPE, PRIOR_SCALE)

The leniency ``b`` is relative to the reviewer's own group: its sheet-weighted sum over
the group is zero, so calibrating a group's sheets (``S − b``) leaves their total — the
group's level — as it was, and a group scoring everything 20 points above another keeps
that difference. Groups share no parameter, so a group's posterior never depends on
another group's sheets: the model without a group is the other groups' draws as they are.

The combined score of each draw is formed from the groups' application effects exactly
as §3 forms ``C`` from group means: ``equal_groups``: Σ W_g μ_g(a) / Σ W_g over the
groups with a counting sheet on ``a``; ``equal_people``: the mean of all counting sheets,
that is Σ n_g(a) μ_g(a) / Σ n_g(a) (members in no group count here as one more group).
Each draw ranks the applications with a score (1 = best); the expected rank is the
posterior mean of the rank. Its 50 % and 90 % intervals are whole ranks: of the
equal-tailed quantile interval and the same without its lowest, highest or both end
ranks, the one whose posterior probability is nearest 50 % (90 %) — plain quantile
intervals of a whole number hold far more than their nominal share (docs/ranking.md).

The sampler is Gibbs with conjugate steps (each vectorised over the group's sheets);
the leniencies are drawn from their conditional given the sum-to-zero constraint
(a Gaussian draw corrected onto the constraint's plane, which is exact). Each group's
random stream is seeded from a hash of the group's own sheets, so a run is reproducible
and the same round always gives the same result.
"""
from __future__ import annotations

import bisect
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

NO_GROUP = ""  # the key members in no group are modelled under (equal_people only)
PRIOR_SHAPE = 1.0
PRIOR_SCALE = 10.0  # points², on the 0–100 scale of S
DRAWS = 1000
BURN_IN = 250
# The 50 % and 90 % intervals as (lower, upper) quantiles of the rank.
# Two runs with different random streams give each application an expected rank within
# this share of its 90 % interval's width (hi − lo + 1) of each other: measured at most
# 0.12 over simulated rounds of 30 to 300 applications (docs/ranking.md). The same round
# always gives the same result: its streams are seeded from its sheets.
EXPECTED_RANK_TOLERANCE = 0.15
INTERVALS = {"50": (0.25, 0.75), "90": (0.05, 0.95)}


@dataclass(frozen=True)
class Settings:
    draws: int = DRAWS
    burn_in: int = BURN_IN
    prior_shape: float = PRIOR_SHAPE
    prior_scale: float = PRIOR_SCALE
    salt: str = ""  # changes every group's seed (the stability measurement)


@dataclass
class GroupDraws:
    """One group's posterior draws."""

    references: np.ndarray  # the applications the group scored, in code order
    members: np.ndarray  # the group's reviewers, in code order
    sheets_per_application: np.ndarray
    sheets_per_member: np.ndarray
    effects: np.ndarray  # draws × applications: μ_g(a)
    leniency: np.ndarray  # draws × members: b(r)
    noise_sd: np.ndarray  # draws: σ_g
    leniency_sd: np.ndarray  # draws: ω_g
    seed: int

    @property
    def level(self) -> np.ndarray:
        """Per draw, the group's level: the sheet-weighted mean of its application
        effects (the mean of its calibrated sheets)."""
        n = self.sheets_per_application
        return np.einsum("da,a->d", self.effects, n / n.sum())


@dataclass
class Fit:
    """Every group's draws, and how they combine (the round's rules)."""

    groups: dict[str, GroupDraws]
    references: pd.Index  # every application of the round
    weighting: str
    group_weights: Mapping[str, float]
    settings: Settings = field(default_factory=Settings)


@dataclass
class RankModel:
    """What the model says of a round.

    ``applications`` (index reference, every application of the round): ``score`` (the
    posterior mean combined score), ``expected_rank``, ``rank_50_low``/``_high``,
    ``rank_90_low``/``_high`` (missing for an application with no counting sheet).
    ``reviewers`` (index member id): ``group``, ``sheets``, ``leniency`` (posterior mean,
    points of 0–100 above the reviewer's group), ``leniency_low``/``_high`` (90 %).
    ``groups`` (index group key): ``level``, ``noise_sd``, ``leniency_sd``, ``reviewers``,
    ``sheets``."""

    applications: pd.DataFrame
    reviewers: pd.DataFrame
    groups: pd.DataFrame
    draws: int


# Fitting --------------------------------------------------------------------------------

def fit(counting: pd.DataFrame, references, weighting: str,
        group_weights: Mapping[str, float], settings: Settings = Settings()) -> Fit:
    """The posterior draws from ``counting`` (final counting sheets: ``member``,
    ``group``, ``reference``, ``score``, as :attr:`panel.scoring.figures.Figures.counting`)."""
    sheets = counting[["member", "group", "reference", "score"]]
    keys = sheets["group"].astype(object).where(sheets["group"].notna(), NO_GROUP)
    groups = {}
    for key in [*group_weights, NO_GROUP]:
        own = sheets[keys.to_numpy() == key]
        if len(own) and (key != NO_GROUP or weighting == "equal_people"):
            groups[key] = fit_group(own, key, settings)
    return Fit(groups, pd.Index(references, name="reference"), weighting, dict(group_weights),
               settings)


def fit_group(sheets: pd.DataFrame, key: str, settings: Settings = Settings()) -> GroupDraws:
    """One group's posterior draws, seeded from the group's own sheets."""
    app_codes, references = pd.factorize(sheets["reference"].astype(str), sort=True)
    member_codes, members = pd.factorize(sheets["member"], sort=True)
    y = sheets["score"].to_numpy(dtype=float)
    seed = seed_of(key, references.to_numpy()[app_codes], sheets["member"].to_numpy(), y,
                   settings.salt)
    draws = _gibbs(y, app_codes, member_codes, len(references), len(members),
                   np.random.default_rng(seed), settings)
    return GroupDraws(references.to_numpy(dtype=object), members.to_numpy(),
                      np.bincount(app_codes, minlength=len(references)),
                      np.bincount(member_codes, minlength=len(members)), *draws, seed=seed)


def seed_of(key: str, references: np.ndarray, members: np.ndarray, scores: np.ndarray,
            salt: str = "") -> int:
    """A seed from the group's sheets, whatever their order: the same sheets, the same
    draws."""
    order = np.lexsort((np.round(scores, 9), members.astype(str), references.astype(str)))
    digest = hashlib.sha256(f"{key}\x00{salt}\x00".encode())
    digest.update("\x1f".join(references[order].astype(str)).encode())
    digest.update("\x1f".join(members[order].astype(str)).encode())
    digest.update(np.ascontiguousarray(np.round(scores[order], 9)).tobytes())
    return int.from_bytes(digest.digest()[:8], "big")


def inputs_digest(counting: pd.DataFrame, references, weighting: str,
                  group_weights: Mapping[str, float], line: int,
                  settings: Settings = Settings(), blocks: SheetBlocks | None = None) -> str:
    """A digest of everything the model's result depends on: the counting sheets, the
    applications, how they combine, the funding line (the grey zone) and the settings.
    A kept result holds while this is unchanged. ``blocks``: ``counting`` as
    :class:`SheetBlocks`, when the caller keeps them (the same digest, without sorting
    every sheet again)."""
    digest = hashlib.sha256(repr((weighting, sorted(group_weights.items()), int(line),
                                  settings)).encode())
    digest.update("\x1f".join(sorted(map(str, references))).encode())
    blocks = SheetBlocks.of(counting) if blocks is None else blocks
    digest.update(str(blocks.seed()).encode())
    return digest.hexdigest()


class SheetBlocks:
    """The counting sheets as :func:`inputs_digest` hashes them (:func:`seed_of` over
    reference, group and member, score), kept one block per application in reference
    order, so that after a few applications' sheets change only their blocks are made
    again (:meth:`updated`): :meth:`seed` is the same as hashing every sheet afresh, at
    the cost of joining 20,000 blocks instead of sorting 110,000 sheets by strings."""

    def __init__(self, blocks: dict[str, tuple[str, str, bytes]],
                 order: list[str] | None = None) -> None:
        self.blocks = blocks
        self.order = sorted(blocks) if order is None else order  # the blocks' references

    @classmethod
    def of(cls, counting: pd.DataFrame) -> SheetBlocks:
        references, members, scores = _digested(counting)
        order = np.lexsort((scores, members, references))
        references, members = references[order].tolist(), members[order].tolist()
        scores = np.ascontiguousarray(scores[order])
        starts = np.flatnonzero(np.r_[True, np.asarray(references[1:], dtype=object)
                                      != np.asarray(references[:-1], dtype=object)]
                                ).tolist() if references else []
        blocks = {}
        for start, stop in zip(starts, starts[1:] + [len(references)]):
            blocks[references[start]] = ("\x1f".join(references[start:stop]),
                                         "\x1f".join(members[start:stop]),
                                         scores[start:stop].tobytes())
        return cls(blocks)

    def updated(self, counting: pd.DataFrame, changed) -> SheetBlocks:
        """These blocks after the counting sheets of the applications ``changed``
        (references) became ``counting`` (theirs alone)."""
        made = SheetBlocks.of(counting).blocks
        blocks, order = dict(self.blocks), list(self.order)
        for ref in {str(ref) for ref in changed} - made.keys():
            if blocks.pop(ref, None) is not None:  # no counting sheet left
                del order[bisect.bisect_left(order, ref)]
        for ref, block in made.items():
            if ref not in blocks:
                bisect.insort(order, ref)
            blocks[ref] = block
        return SheetBlocks(blocks, order)

    def seed(self) -> int:
        """:func:`seed_of` (key and salt empty) of the sheets."""
        digest = hashlib.sha256(b"\x00\x00")
        chosen = [self.blocks[ref] for ref in self.order]
        digest.update("\x1f".join(block[0] for block in chosen).encode())
        digest.update("\x1f".join(block[1] for block in chosen).encode())
        digest.update(b"".join(block[2] for block in chosen))
        return int.from_bytes(digest.digest()[:8], "big")


def _digested(counting: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reference, group and member, and score (rounded) of each sheet, as strings and
    floats, as :func:`seed_of` orders and hashes them."""
    keys = counting["group"].astype(object).where(counting["group"].notna(), NO_GROUP)
    members = (keys + "\x1e" + counting["member"].astype(str)).to_numpy()
    return (counting["reference"].to_numpy(dtype=object).astype(str), members.astype(str),
            np.round(counting["score"].to_numpy(dtype=float), 9))


def _gibbs(y: np.ndarray, app: np.ndarray, rev: np.ndarray, n_apps: int, n_revs: int,
           rng: np.random.Generator, settings: Settings):
    shape, scale = settings.prior_shape, settings.prior_scale
    n_a = np.bincount(app, minlength=n_apps).astype(float)
    n_r = np.bincount(rev, minlength=n_revs).astype(float)
    mu = np.bincount(app, y, n_apps) / n_a
    b = np.zeros(n_revs)
    m = mu.sum() / n_apps
    tau2 = max(float(mu.var()), 1.0)
    sigma2 = max(float(np.var(y - mu[app])), 1.0)
    omega2 = sigma2
    kept, steps = settings.draws, settings.burn_in + settings.draws
    # The scalar draws of every step at once (one call each, not one per step).
    gamma_tau = rng.standard_gamma(shape + n_apps / 2, steps)
    gamma_omega = rng.standard_gamma(shape + (n_revs - 1) / 2, steps)
    gamma_sigma = rng.standard_gamma(shape + len(y) / 2, steps)
    normal_m = rng.standard_normal(steps)
    effects = np.empty((kept, n_apps), dtype=np.float32)
    leniency = np.empty((kept, n_revs), dtype=np.float32)
    noise_sd, leniency_sd = np.empty(kept), np.empty(kept)
    # Buffers reused at every step: a large round's per-sheet arrays are not remade.
    per_sheet, per_sheet_b = np.empty(len(y)), np.empty(len(y))
    normal = np.empty(n_apps + n_revs)
    for step in range(steps):
        rng.standard_normal(out=normal)
        # Application effects given the leniencies.
        np.subtract(y, np.take(b, rev, out=per_sheet_b), out=per_sheet)
        precision = n_a / sigma2 + 1 / tau2
        mean = (np.bincount(app, per_sheet, n_apps) / sigma2 + m / tau2) / precision
        mu = mean + normal[:n_apps] / np.sqrt(precision)
        # Leniencies given the effects, on the plane Σ n_r b_r = 0.
        np.subtract(y, np.take(mu, app, out=per_sheet), out=per_sheet)
        variance = 1 / (n_r / sigma2 + 1 / omega2)
        free = (np.bincount(rev, per_sheet, n_revs) / sigma2 * variance
                + normal[n_apps:] * np.sqrt(variance))
        spread = variance * n_r
        b = free - spread * (_dot(n_r, free) / _dot(n_r, spread))
        # The group's mean effect and the three variances.
        m = mu.sum() / n_apps + normal_m[step] * np.sqrt(tau2 / n_apps)
        centred = mu - m
        tau2 = (scale + 0.5 * _dot(centred, centred)) / gamma_tau[step]
        omega2 = (scale + 0.5 * _dot(b, b)) / gamma_omega[step]
        np.subtract(per_sheet, np.take(b, rev, out=per_sheet_b), out=per_sheet)
        sigma2 = (scale + 0.5 * _dot(per_sheet, per_sheet)) / gamma_sigma[step]
        kept_at = step - settings.burn_in
        if kept_at >= 0:
            effects[kept_at], leniency[kept_at] = mu, b
            noise_sd[kept_at], leniency_sd[kept_at] = np.sqrt(sigma2), np.sqrt(omega2)
    return effects, leniency, noise_sd, leniency_sd


def _dot(x: np.ndarray, y: np.ndarray) -> float:
    # Not BLAS (``@``): on a busy machine its threads wait for each other, and a dot of
    # a few thousand numbers took milliseconds instead of microseconds.
    return float(np.einsum("i,i->", x, y))


# Combining ------------------------------------------------------------------------------

def combined_draws(found: Fit, without: str | None = None) -> tuple[pd.Index, np.ndarray]:
    """The scored applications and, per application, its combined score in each draw
    (applications × draws), formed as §3 forms C; ``without`` leaves a group out (its
    counterfactual: the other groups' draws as they are)."""
    index = pd.Index(found.references.astype(str))
    # Single precision: the draws' scores only order the applications in each draw.
    total = np.zeros((len(index), found.settings.draws), dtype=np.float32)
    weight = np.zeros(len(index))
    for key, draws in found.groups.items():
        if key == without:
            continue
        rows = index.get_indexer(draws.references)
        if found.weighting == "equal_people":
            w = draws.sheets_per_application.astype(np.float32)
        else:
            w = np.full(len(rows), found.group_weights.get(key, 1.0), dtype=np.float32)
        # Applications as rows: each group's effects are added to whole rows.
        effects = np.ascontiguousarray(draws.effects.T)
        effects *= w[:, None]
        if len(rows) == len(index) and (rows == np.arange(len(index))).all():
            total += effects
        else:
            total[rows] += effects
        weight[rows] += w
    scored = weight > 0
    if not scored.all():
        total = total[scored]
    total /= weight[scored, None].astype(np.float32)
    return found.references[scored], total


def ranks_of(scores: np.ndarray, block: int = 100) -> np.ndarray:
    """Each application's rank in each draw (``scores``: applications × draws), as
    applications × draws: 1 = highest score. A block of draws at a time, so that the
    sort's indices stay small."""
    count, draws = scores.shape
    ranks = np.empty((draws, count), dtype=np.int32)
    places = np.arange(1, count + 1, dtype=np.int32)
    for start in range(0, draws, block):
        order = np.argsort(-np.ascontiguousarray(scores[:, start:start + block].T), axis=1)
        rows = np.arange(order.shape[0])[:, None]
        ranks[start:start + block][rows, order] = places
    return np.ascontiguousarray(ranks.T)


def rank_intervals(ranks: np.ndarray, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """Per application (``ranks``: applications × draws, each row sorted), the rank
    interval [lo, hi] for the quantiles ``low`` and ``high``.

    A rank is a whole number, so the equal-tailed interval (lo the ``low`` quantile, hi
    the ``high`` one) usually holds more than ``high − low`` of the posterior — often
    far more when an application's ranks spread over a few places only. Of that interval
    and the same without its lowest, its highest or both end ranks, the one whose
    posterior probability is nearest ``high − low`` is taken (the widest on a tie)."""
    draws = ranks.shape[1]
    lo = ranks[:, max(int(np.ceil(low * draws)) - 1, 0)]
    hi = ranks[:, max(int(np.ceil(high * draws)) - 1, 0)]
    below_lo = _count(ranks, lo, "left")
    upto_lo = _count(ranks, lo, "right")
    below_hi = _count(ranks, hi, "left")
    upto_hi = _count(ranks, hi, "right")
    mass = (upto_hi - below_lo) / draws
    at_lo, at_hi = (upto_lo - below_lo) / draws, (upto_hi - below_hi) / draws
    narrower = lo < hi
    candidates = np.stack([mass, np.where(narrower, mass - at_lo, np.inf),
                           np.where(narrower, mass - at_hi, np.inf),
                           np.where(lo + 1 < hi, mass - at_lo - at_hi, np.inf)])
    choice = np.abs(candidates - (high - low)).argmin(axis=0)
    return lo + np.isin(choice, (1, 3)), hi - np.isin(choice, (2, 3))


def _count(rows: np.ndarray, values: np.ndarray, side: str) -> np.ndarray:
    """Per sorted row, how many of its entries are below (``left``) or at most
    (``right``) the row's value."""
    if side == "left":
        return (rows < values[:, None]).sum(axis=1)
    return (rows <= values[:, None]).sum(axis=1)


def summarise(found: Fit, without: str | None = None) -> RankModel:
    """Expected ranks and intervals per application, leniency per reviewer, levels per
    group."""
    scored, scores = combined_draws(found, without)
    table = pd.DataFrame({"score": scores.mean(axis=1, dtype=float)}, index=scored)
    ranks = ranks_of(scores)
    ranks.sort(axis=1)
    del scores
    table["expected_rank"] = ranks.mean(axis=1)
    for name, (low, high) in INTERVALS.items():
        table[f"rank_{name}_low"], table[f"rank_{name}_high"] = rank_intervals(ranks, low, high)
    table = table.reindex(found.references)
    for column in [c for c in table.columns if c.startswith("rank_")]:
        table[column] = table[column].astype("Int64")
    kept = {k: d for k, d in found.groups.items() if k != without}
    return RankModel(table, _reviewers(kept), _groups(kept), found.settings.draws)


def _reviewers(groups: dict[str, GroupDraws]) -> pd.DataFrame:
    frames = []
    for key, draws in groups.items():
        low, high = np.quantile(draws.leniency, [0.05, 0.95], axis=0)
        frames.append(pd.DataFrame({
            "member": draws.members, "group": key, "sheets": draws.sheets_per_member,
            "leniency": draws.leniency.mean(axis=0, dtype=float),
            "leniency_low": low.astype(float), "leniency_high": high.astype(float)}))
    columns = ["member", "group", "sheets", "leniency", "leniency_low", "leniency_high"]
    found = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return found.set_index("member")


def _groups(groups: dict[str, GroupDraws]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"group": key, "level": float(d.level.mean()), "noise_sd": float(d.noise_sd.mean()),
          "leniency_sd": float(d.leniency_sd.mean()), "reviewers": len(d.members),
          "sheets": int(d.sheets_per_application.sum())} for key, d in groups.items()],
        columns=["group", "level", "noise_sd", "leniency_sd", "reviewers", "sheets"],
    ).set_index("group")


def rank_model(counting: pd.DataFrame, references, weighting: str,
               group_weights: Mapping[str, float], settings: Settings = Settings()
               ) -> RankModel:
    """:func:`fit` then :func:`summarise`."""
    return summarise(fit(counting, references, weighting, group_weights, settings))


# The grey zone -----------------------------------------------------------------------------

def grey_zone(applications: pd.DataFrame, line: int) -> pd.Series:
    """Per application, whether its 90 % rank interval [lo, hi] contains ``line`` + 0.5
    (``lo ≤ line < hi``), ``line`` the number the score-based funding line funds."""
    low = applications["rank_90_low"]
    high = applications["rank_90_high"]
    return ((low <= line) & (high > line)).fillna(False).astype(bool)
