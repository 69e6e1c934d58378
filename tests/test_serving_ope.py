"""Off-policy estimators on simulated logs whose true value is known (pure numpy)."""

import numpy as np
import pytest

from studio.serving import ope
from studio.serving.wearout import discounted_totals, fatigue_test

K, CONTEXTS = 5, 4


def world(seed):
    rng = np.random.default_rng(seed)
    ctr = rng.uniform(0.02, 0.2, (CONTEXTS, K))
    return rng, ctr


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def simulate_log(rng, ctr, logging, n):
    x = rng.integers(0, CONTEXTS, n)
    p = logging[x]
    a = (p.cumsum(axis=1) > rng.random((n, 1))).argmax(axis=1)
    r = (rng.random(n) < ctr[x, a]).astype(float)
    return x, a, p[np.arange(n), a], r


def estimates(seed, n=20_000, uniform_log=False):
    rng, ctr = world(seed)
    logging = (
        np.full((CONTEXTS, K), 1 / K) if uniform_log else softmax(rng.normal(0, 1, (CONTEXTS, K)))
    )
    target = softmax(8 * ctr / ctr.max())  # leans to the best creative per context
    truth = float((target * ctr).sum(axis=1).mean())  # contexts are equally likely
    x, a, p, r = simulate_log(rng, ctr, logging, n)
    q = ope.mean_reward_model(x, a, r, prior_mean=float(r.mean()))
    q_table = np.array([[q(c, k) for k in range(K)] for c in range(CONTEXTS)])
    target_actions = target[x].argmax(axis=1)
    found = ope.all_estimates(
        r,
        p,
        target[x, a],
        q_table[x, a],
        (target[x] * q_table[x]).sum(axis=1),
        a,
        target_actions,
    )
    greedy_truth = float(ctr[np.arange(CONTEXTS), target.argmax(axis=1)].mean())
    return truth, greedy_truth, {e.estimator: e for e in found}


@pytest.mark.parametrize("name", ["IPS", "SNIPS", "DR"])
def test_estimators_cover_the_truth_in_most_seeds(name):
    hits, errors = 0, []
    for seed in range(20):
        truth, _, found = estimates(seed)
        hits += found[name].covers(truth)
        errors.append(found[name].value - truth)
    assert hits >= 16, hits  # 95 % intervals: 19 of 20 expected, 16 leaves room for luck
    assert abs(np.mean(errors)) < 0.004  # no systematic bias


def test_dr_is_tighter_than_ips():
    widths = {"IPS": [], "DR": []}
    for seed in range(5):
        _, _, found = estimates(seed)
        for name in widths:
            widths[name].append(found[name].high - found[name].low)
    assert np.mean(widths["DR"]) < np.mean(widths["IPS"])


def test_replay_on_a_uniform_log_estimates_the_deterministic_target():
    hits = 0
    for seed in range(10):
        _, greedy_truth, found = estimates(seed, uniform_log=True)
        hits += found["replay"].covers(greedy_truth)
        assert found["replay"].n == pytest.approx(20_000 / K, rel=0.1)
    assert hits >= 8


def test_a_zero_propensity_is_refused():
    with pytest.raises(ValueError, match="positive"):
        ope.ips([1.0], [0.0], [1.0])


def test_fatigue_is_flagged_only_when_the_rate_falls():
    steady = [(d, 1000, 30) for d in range(10)]
    falling = [(d, 1000, 40 if d < 7 else 15) for d in range(10)]
    assert not fatigue_test(steady).fatigued
    result = fatigue_test(falling)
    assert result.fatigued and result.recent_rate < result.earlier_rate
    assert fatigue_test([(0, 10, 1), (5, 10, 0)]) is None  # too little to say


def test_discounting_halves_evidence_per_half_life():
    daily = [("a", 100, (1000, 50, 0, 0)), ("a", 86, (1000, 10, 0, 0))]
    totals = {"a": (2500, 60, 0, 0)}  # 500 impressions older than the daily rows
    found = discounted_totals(daily, totals, today=100, half_life_days=14, lookback_days=28)
    assert found["a"][0] == pytest.approx(1000 + 500 + 500 * 0.25)
    assert found["a"][1] == pytest.approx(50 + 5)
