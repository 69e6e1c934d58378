"""Off-policy evaluation: what another policy would have earned on the logged traffic.

Every logged decision i holds its context, the creative shown a_i, the probability the
logging policy gave it p_i (its propensity) and the reward r_i. For a target policy that
gives a_i the probability pi_i (and, in expectation, reward v^_i under a reward model q^):

  replay   mean reward over the decisions where the target's own choice equals a_i
           (unbiased only when the log was uniform, e.g. the holdout's share)
  IPS      mean(w_i r_i), w_i = pi_i / p_i                       unbiased, high variance
  SNIPS    sum(w_i r_i) / sum(w_i)                               small bias, less variance
  DR       mean(v^_i + w_i (r_i - q^(x_i, a_i)))                 unbiased if p or q^ is right

Intervals are 95 % normal intervals from the per-decision terms (for SNIPS, by the delta
method). Pure numpy: tests/test_serving_ope.py checks them on simulated logs whose true
value is known.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Estimate:
    estimator: str
    value: float
    low: float
    high: float
    n: int  # decisions used (replay: matches)

    def covers(self, truth: float) -> bool:
        return self.low <= truth <= self.high


def _normal(name: str, terms: np.ndarray, centre: float | None = None) -> Estimate:
    n = len(terms)
    value = float(terms.mean()) if centre is None else centre
    half = Z95 * float(terms.std(ddof=1)) / math.sqrt(n) if n > 1 else math.inf
    return Estimate(name, value, value - half, value + half, n)


def _weights(logging_p: np.ndarray, target_p: np.ndarray) -> np.ndarray:
    logging_p = np.asarray(logging_p, dtype=np.float64)
    if np.any(logging_p <= 0):
        raise ValueError("Every logged propensity must be positive.")
    return np.asarray(target_p, dtype=np.float64) / logging_p


def ips(rewards, logging_p, target_p) -> Estimate:
    return _normal("IPS", _weights(logging_p, target_p) * np.asarray(rewards, np.float64))


def snips(rewards, logging_p, target_p) -> Estimate:
    w = _weights(logging_p, target_p)
    r = np.asarray(rewards, np.float64)
    if w.sum() <= 0:
        return Estimate("SNIPS", math.nan, math.nan, math.nan, len(r))
    value = float((w * r).sum() / w.sum())
    # Delta method: the ratio's influence terms are w (r - value) / mean(w).
    return _normal("SNIPS", w * (r - value) / w.mean(), centre=value)


def doubly_robust(rewards, logging_p, target_p, q_logged, q_target) -> Estimate:
    """q_logged: the reward model at the logged creative; q_target: its expectation under
    the target policy, sum_a pi(a | x_i) q^(x_i, a)."""
    w = _weights(logging_p, target_p)
    r = np.asarray(rewards, np.float64)
    terms = np.asarray(q_target, np.float64) + w * (r - np.asarray(q_logged, np.float64))
    return _normal("DR", terms)


def replay(rewards, logged_actions, target_actions) -> Estimate:
    r = np.asarray(rewards, np.float64)
    matched = r[np.asarray(logged_actions) == np.asarray(target_actions)]
    if not len(matched):
        return Estimate("replay", math.nan, math.nan, math.nan, 0)
    return _normal("replay", matched)


def all_estimates(
    rewards, logging_p, target_p, q_logged, q_target, logged_actions, target_actions
) -> list[Estimate]:
    return [
        replay(rewards, logged_actions, target_actions),
        ips(rewards, logging_p, target_p),
        snips(rewards, logging_p, target_p),
        doubly_robust(rewards, logging_p, target_p, q_logged, q_target),
    ]


def mean_reward_model(contexts, actions, rewards, prior_mean: float, prior_weight: float = 20.0):
    """q^(x, a): the mean reward per (context, creative) in the log, shrunk towards
    `prior_mean` with `prior_weight` pseudo-decisions. Returns a lookup function."""
    sums: dict[tuple, float] = {}
    counts: dict[tuple, int] = {}
    for x, a, r in zip(contexts, actions, rewards, strict=True):
        sums[(x, a)] = sums.get((x, a), 0.0) + float(r)
        counts[(x, a)] = counts.get((x, a), 0) + 1

    def q(x, a) -> float:
        n = counts.get((x, a), 0)
        return (sums.get((x, a), 0.0) + prior_weight * prior_mean) / (n + prior_weight)

    return q
