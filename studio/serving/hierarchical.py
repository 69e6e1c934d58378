"""The studio's default policy: Thompson sampling per (segment, coarse context bucket)
that borrows strength from the whole segment, with discounted (wear-out) evidence.

For a user in bucket b of segment s, each creative's posterior is

    prior (from the engine's scores)
    + own evidence of bucket b                       (weight 1)
    + evidence of the segment's other buckets, worth at most `pooled` impressions per
      creative (all of it while there is little; a fixed amount once there is a lot)

the evidence multiplied by `sharpen` (>= 1: a tempered posterior, less exploration, which matters
when most creatives never get many impressions). Sub-groups that prefer other creatives
are learnt from their own evidence; small buckets lean on the segment's. Pure numpy: the
simulation benchmark and the serving state use it as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from studio.serving.policy import ArmSet


@dataclass(frozen=True)
class HierarchicalConfig:
    pooled: float = 300.0  # impressions the other buckets' evidence is worth at most
    sharpen: float = 3.0  # evidence multiplier (tempering; 3 won the simulations)
    prior_strength: float = 10.0  # pseudo-impressions of the score prior (PriorConfig)


@dataclass
class HierarchicalArms:
    """Counts of one segment's creatives: in total and per context bucket."""

    ids: list[int]
    prior_alpha: np.ndarray
    prior_beta: np.ndarray
    config: HierarchicalConfig = HierarchicalConfig()
    trials: np.ndarray = field(init=False)
    successes: np.ndarray = field(init=False)
    buckets: dict[object, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def __post_init__(self):
        self.trials = np.zeros(len(self.ids))
        self.successes = np.zeros(len(self.ids))

    @classmethod
    def build(cls, ids: Sequence[int], priors: Sequence[tuple[float, float]], config=None):
        alpha = np.array([p[0] for p in priors], dtype=np.float64)
        beta = np.array([p[1] for p in priors], dtype=np.float64)
        return cls(list(ids), alpha, beta, config or HierarchicalConfig())

    def add(self, bucket, position: int, trials: float, successes: float) -> None:
        own = self.buckets.setdefault(bucket, (np.zeros(len(self.ids)), np.zeros(len(self.ids))))
        own[0][position] += trials
        own[1][position] += successes
        self.trials[position] += trials
        self.successes[position] += successes

    def discount(self, factor: float) -> None:
        """Evidence fades (wear-out): every count times `factor`."""
        self.trials *= factor
        self.successes *= factor
        for own_trials, own_successes in self.buckets.values():
            own_trials *= factor
            own_successes *= factor

    def arms_for(self, bucket) -> ArmSet:
        """The Beta posteriors a user of this bucket is served from."""
        zero = np.zeros(len(self.ids))
        own_n, own_s = self.buckets.get(bucket, (zero, zero))
        c = self.config
        other_n = np.maximum(self.trials - own_n, 0.0)
        other_s = np.maximum(self.successes - own_s, 0.0)
        weight = np.minimum(1.0, c.pooled / np.maximum(other_n, 1e-9))
        n = own_n + weight * other_n
        s = own_s + weight * other_s
        alpha = self.prior_alpha + c.sharpen * s
        beta = self.prior_beta + c.sharpen * np.maximum(n - s, 0.0)
        ids = np.asarray(self.ids, dtype=np.int64)
        return ArmSet(ids, alpha, beta, {int(v): i for i, v in enumerate(ids)})
