"""Which creative to show one user: Thompson sampling over Beta posteriors of CTR, within
frequency caps, without repeating recent creatives or showing near duplicates back to back.

Caps are hard: when they leave nothing, nothing is shown (a "no fill"). No-repeat and
near-duplicate rules are soft: when they would leave nothing, they are relaxed and the
explanation says so, because showing a recent creative beats showing none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

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
    """Beta(alpha, beta) posteriors of the creatives one segment may be shown."""

    ids: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    index: dict[int, int] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        ids: Sequence[int],
        priors: Sequence[tuple[float, float]],
        counts: Mapping[int, tuple[int, int]] | None = None,
    ) -> ArmSet:
        """Posteriors from priors plus (impressions, clicks) per id."""
        counts = counts or {}
        alpha = np.array([p[0] for p in priors], dtype=np.float64)
        beta = np.array([p[1] for p in priors], dtype=np.float64)
        for pos, variant_id in enumerate(ids):
            impressions, clicks = counts.get(variant_id, (0, 0))
            alpha[pos] += clicks
            # A click may arrive without its impression; never let beta fall.
            beta[pos] += max(impressions - clicks, 0)
        ids_array = np.asarray(ids, dtype=np.int64)
        return cls(ids_array, alpha, beta, {int(v): i for i, v in enumerate(ids_array)})

    def __len__(self) -> int:
        return len(self.ids)

    def means(self) -> np.ndarray:
        return self.alpha / (self.alpha + self.beta)

    def observe(self, position: int, clicked: bool) -> None:
        """Update one posterior in place (the simulation; the studio rebuilds from stats)."""
        if clicked:
            self.alpha[position] += 1
        else:
            self.beta[position] += 1


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
    if strategy == "thompson":
        sampled = np.where(mask, rng.beta(arms.alpha, arms.beta), -np.inf)
        position = int(np.argmax(sampled))
        sample = float(sampled[position])
    elif strategy == "greedy":
        # Random tie-break, so untried arms with equal priors are not taken in id order.
        noise = rng.random(len(arms)) * 1e-12
        position = int(np.argmax(masked_means + noise))
        sample = None
    else:
        position = int(rng.choice(np.flatnonzero(mask)))
        sample = None
    return Choice(
        variant_id=int(arms.ids[position]),
        position=position,
        sampled=sample,
        posterior_mean=float(means[position]),
        exploration=bool(means[position] < masked_means.max()),
        caps_applied=notes,
        candidates=int(mask.sum()),
    )


def remember(seen: Seen, variant_id: int, now: float, caps: Caps) -> list[tuple[int, float]]:
    """The user's history with one more creative, trimmed to what the rules still need."""
    keep = max(caps.per_campaign, caps.no_repeat, 1)
    kept = [(v, t) for v, t in seen if now - t < caps.window_seconds]
    return [*kept, (variant_id, now)][-keep:]
