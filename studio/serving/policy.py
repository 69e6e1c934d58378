"""Which creative to show one user: Thompson sampling over the posteriors of the
campaign's reward (clicks or conversions per impression: Beta; value per impression:
Beta conversion rate x the mean value of an exponential with a Gamma prior on its rate),
within frequency caps, without repeating recent creatives or showing near duplicates back
to back. Every choice carries the probability the policy gave it (its propensity) and the
ids it chose among, so logged decisions can evaluate other policies offline.

Caps are hard: when they leave nothing, nothing is shown (a "no fill"). No-repeat and
near-duplicate rules are soft: when they would leave nothing, they are relaxed and the
explanation says so, because showing a recent creative beats showing none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from studio.serving.propensity import (
    ALL_ARMS_MAX,
    beta_propensities,
    beta_propensity,
    draws_for,
    thompson_propensity,
)

STRATEGIES = ("thompson", "greedy", "uniform")
# (variant id, unix time) of the creatives shown to one user, oldest first.
Seen = Sequence[tuple[int, float]]


@dataclass(frozen=True)
class Caps:
    per_variant: int = 3  # times one user may see one creative within the window
    per_campaign: int = 20  # creatives one user may be shown within the window
    window_seconds: float = 24 * 3600
    no_repeat: int = 2  # the last N creatives a user saw are not shown again


@dataclass
class ArmSet:
    """Posteriors of the creatives one segment may be shown: Beta(alpha, beta) on the rate
    of the rewarded event per impression and, for value rewards, Gamma(value_shape,
    value_rate) on the rate of the exponential that conversion values follow."""

    ids: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    index: dict[int, int] = field(default_factory=dict)
    value_shape: np.ndarray | None = None
    value_rate: np.ndarray | None = None

    @classmethod
    def build(
        cls,
        ids: Sequence[int],
        priors: Sequence[tuple[float, float]],
        counts: Mapping[int, tuple[float, float]] | None = None,
        *,
        values: Mapping[int, tuple[float, float]] | None = None,
        value_prior: tuple[float, float] | None = None,
    ) -> ArmSet:
        """Posteriors from priors plus (impressions, rewarded events) per id; with
        `value_prior` (shape, rate), also (conversions, summed value) per id in `values`.
        Counts may be fractional (discounted for wear-out)."""
        counts = counts or {}
        alpha = np.array([p[0] for p in priors], dtype=np.float64)
        beta = np.array([p[1] for p in priors], dtype=np.float64)
        for pos, variant_id in enumerate(ids):
            impressions, successes = counts.get(variant_id, (0, 0))
            alpha[pos] += successes
            # A click may arrive without its impression; never let beta fall.
            beta[pos] += max(impressions - successes, 0)
        ids_array = np.asarray(ids, dtype=np.int64)
        arms = cls(ids_array, alpha, beta, {int(v): i for i, v in enumerate(ids_array)})
        if value_prior is not None:
            values = values or {}
            arms.value_shape = np.full(len(ids), value_prior[0], dtype=np.float64)
            arms.value_rate = np.full(len(ids), value_prior[1], dtype=np.float64)
            for pos, variant_id in enumerate(ids):
                conversions, total = values.get(variant_id, (0, 0))
                arms.value_shape[pos] += conversions
                arms.value_rate[pos] += total
        return arms

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def rewards_value(self) -> bool:
        return self.value_shape is not None

    def means(self) -> np.ndarray:
        rate = self.alpha / (self.alpha + self.beta)
        if not self.rewards_value:
            return rate
        # E[1 / lambda] for lambda ~ Gamma(shape, rate) is rate / (shape - 1).
        return rate * self.value_rate / np.maximum(self.value_shape - 1, 1e-9)

    def sample(
        self,
        rng: np.random.Generator,
        size: tuple[int, ...] | None = None,
        positions: np.ndarray | None = None,
    ) -> np.ndarray:
        """Draws of the expected reward per impression of the arms at `positions` (all by
        default), shape `size` (default one per arm, the last axis being the arms)."""
        pick = slice(None) if positions is None else positions
        alpha, beta = self.alpha[pick], self.beta[pick]
        size = size or (len(alpha),)
        draws = rng.beta(alpha, beta, size)
        if self.rewards_value:
            draws = draws / rng.gamma(self.value_shape[pick], 1.0 / self.value_rate[pick], size)
        return draws

    def observe(self, position: int, success: bool, value: float = 0.0) -> None:
        """Update one posterior in place (the simulation; the studio rebuilds from stats)."""
        if success:
            self.alpha[position] += 1
            if self.rewards_value:
                self.value_shape[position] += 1
                self.value_rate[position] += value
        else:
            self.beta[position] += 1

    def discount(self, factor: float, priors: ArmSet) -> None:
        """Forget a share (1 - factor) of the evidence beyond the prior (wear-out)."""
        self.alpha[:] = priors.alpha + factor * (self.alpha - priors.alpha)
        self.beta[:] = priors.beta + factor * (self.beta - priors.beta)
        if self.rewards_value:
            self.value_shape[:] = priors.value_shape + factor * (
                self.value_shape - priors.value_shape
            )
            self.value_rate[:] = priors.value_rate + factor * (self.value_rate - priors.value_rate)


@dataclass
class Choice:
    variant_id: int | None
    position: int | None = None
    sampled: float | None = None
    posterior_mean: float | None = None
    exploration: bool = False
    caps_applied: list[str] = field(default_factory=list)
    candidates: int = 0
    no_fill: str | None = None
    propensity: float | None = None  # P(this creative | the policy, its state, the rules)
    candidate_ids: list[int] = field(default_factory=list)
    strategy: str = ""


def eligible(
    arms: ArmSet, seen: Seen, caps: Caps, neighbours: Mapping[int, frozenset[int]], now: float
) -> tuple[np.ndarray | None, list[str], str | None]:
    """(mask of showable arms, notes on what was applied, no-fill reason)."""
    notes: list[str] = []
    recent = [(v, t) for v, t in seen if now - t < caps.window_seconds]
    if len(recent) >= caps.per_campaign:
        hours = caps.window_seconds / 3600
        return None, notes, f"campaign cap: {len(recent)} creatives shown in {hours:g} h"
    mask = np.ones(len(arms), dtype=bool)
    capped = [v for v, n in Counter(v for v, _ in recent).items() if n >= caps.per_variant]
    if _exclude(arms, mask, capped):
        notes.append(f"variant cap: {len(capped)} creative(s) already seen {caps.per_variant}x")
    if not mask.any():
        return None, notes, "variant cap: every creative reached its per-user cap"
    soft = [("no_repeat", [v for v, _ in seen[-caps.no_repeat :]] if caps.no_repeat else [])]
    if seen:
        soft.append(("near_duplicate", list(neighbours.get(seen[-1][0], ()))))
    for name, ids in soft:
        trial = mask.copy()
        if not _exclude(arms, trial, ids):
            continue
        if trial.any():
            mask = trial
            notes.append(f"{name}: {int((~trial).sum())} creative(s) held back")
        else:
            notes.append(f"{name} relaxed: it would have left nothing to show")
    return mask, notes, None


def _exclude(arms: ArmSet, mask: np.ndarray, variant_ids) -> bool:
    positions = [arms.index[v] for v in variant_ids if v in arms.index]
    hit = bool(positions) and bool(mask[positions].any())
    mask[positions] = False
    return hit


def choose(
    arms: ArmSet,
    *,
    seen: Seen,
    caps: Caps,
    neighbours: Mapping[int, frozenset[int]],
    rng: np.random.Generator,
    now: float,
    strategy: str = "thompson",
    log_propensity: bool = True,
) -> Choice:
    """Pick one arm. `seen` is empty for users who did not consent: no caps then."""
    if strategy not in STRATEGIES:
        raise ValueError(f"Unknown strategy {strategy!r}; use one of {', '.join(STRATEGIES)}.")
    if not len(arms):
        return Choice(None, no_fill="no approved, cleared creative for this segment and format")
    mask, notes, no_fill = eligible(arms, seen, caps, neighbours, now)
    if mask is None:
        return Choice(None, caps_applied=notes, no_fill=no_fill)
    means = arms.means()
    masked_means = np.where(mask, means, -np.inf)
    eligible_count = int(mask.sum())
    if strategy == "thompson":
        sampled = np.where(mask, arms.sample(rng), -np.inf)
        position = int(np.argmax(sampled))
        sample = float(sampled[position])
        # The simulation benchmark skips it: only logged decisions need it.
        propensity = _thompson_propensity(arms, mask, position, rng) if log_propensity else None
    elif strategy == "greedy":
        # Random tie-break, so untried arms with equal priors are not taken in id order.
        noise = rng.random(len(arms)) * 1e-12
        position = int(np.argmax(masked_means + noise))
        sample = None
        propensity = 1.0 / int((masked_means == masked_means.max()).sum())
    else:
        position = int(rng.choice(np.flatnonzero(mask)))
        sample = None
        propensity = 1.0 / eligible_count
    return Choice(
        variant_id=int(arms.ids[position]),
        position=position,
        sampled=sample,
        posterior_mean=float(means[position]),
        exploration=bool(means[position] < masked_means.max()),
        caps_applied=notes,
        candidates=eligible_count,
        propensity=propensity,
        candidate_ids=[int(v) for v in arms.ids[mask]],
        strategy=strategy,
    )


# (posteriors, eligible mask) -> every eligible arm's propensity, or (posteriors, mask,
# chosen position) -> its propensity where one pass over all arms does not pay (value
# rewards, or more than ALL_ARMS_MAX eligible arms). Keyed by the posteriors' contents, so
# a refresh that changed nothing keeps its entries, and most users share a mask (nothing
# capped yet): one grid pass per arm set and mask serves every choice among them.
PROPENSITY_CACHE_SIZE = 20_000
_propensities: dict[tuple, np.ndarray | float] = {}


def _posterior_key(arms: ArmSet) -> bytes:
    parts = [arms.alpha, arms.beta]
    if arms.rewards_value:
        parts += [arms.value_shape, arms.value_rate]
    return b"".join(p.tobytes() for p in parts)


def _remember(key: tuple, value):
    if len(_propensities) >= PROPENSITY_CACHE_SIZE:
        _propensities.clear()
    _propensities[key] = value
    return value


def thompson_propensities(arms: ArmSet, mask: np.ndarray | None = None) -> np.ndarray | None:
    """Every eligible arm's Thompson propensity (in the order of the eligible positions),
    computed in one pass and cached; None when the arms are not all-arms material (value
    rewards, or more than ALL_ARMS_MAX eligible). The serving state calls it for the
    all-eligible mask when it builds arms, off the request path."""
    mask = np.ones(len(arms), dtype=bool) if mask is None else mask
    if arms.rewards_value or not 0 < int(mask.sum()) <= ALL_ARMS_MAX:
        return None
    key = (_posterior_key(arms), mask.tobytes())
    found = _propensities.get(key)
    if found is None:
        found = _remember(key, beta_propensities(arms.alpha[mask], arms.beta[mask]))
    return found


def _thompson_propensity(arms: ArmSet, mask: np.ndarray, position: int, rng) -> float:
    positions = np.flatnonzero(mask)
    chosen = int(np.searchsorted(positions, position))
    every = thompson_propensities(arms, mask)
    if every is not None:
        return float(every[chosen])
    key = (_posterior_key(arms), mask.tobytes(), position)
    found = _propensities.get(key)
    if found is not None:
        return found
    if not arms.rewards_value:
        found = beta_propensity(arms.alpha[positions], arms.beta[positions], chosen)
    else:
        draws = arms.sample(rng, (draws_for(len(positions)), len(positions)), positions)
        found = thompson_propensity(draws, chosen)
    return _remember(key, found)


def remember(seen: Seen, variant_id: int, now: float, caps: Caps) -> list[tuple[int, float]]:
    """The user's history with one more creative, trimmed to what the rules still need."""
    keep = max(caps.per_campaign, caps.no_repeat, 1)
    kept = [(v, t) for v, t in seen if now - t < caps.window_seconds]
    return [*kept, (variant_id, now)][-keep:]
