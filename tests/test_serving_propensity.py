"""Propensities of the serving policy against a 100,000-draw count of Thompson wins."""

import numpy as np
import pytest

from studio.serving.policy import ArmSet, Caps, choose
from studio.serving.propensity import (
    beta_propensities,
    beta_propensity,
    counted_propensities,
    draws_for,
    thompson_propensity,
)

WORLDS = [  # (arms, pseudo-impressions): flat priors, learnt posteriors, tight posteriors
    (5, 10.0),
    (12, 200.0),
    (20, 50.0),
    (60, 100.0),
    (20, 3000.0),
    (20, 0.3),
]


def _arms(rng, k, scale):
    alpha = rng.uniform(0.01, 0.05, k) * scale + 0.2
    return ArmSet.build(list(range(k)), list(zip(alpha, scale - alpha + 5, strict=True)))


@pytest.mark.parametrize(("k", "scale"), WORLDS)
def test_beta_propensity_within_10_percent_of_100k_draws(k, scale):
    rng = np.random.default_rng(k + int(scale))
    arms = _arms(rng, k, scale)
    reference = counted_propensities(arms, rng, 100_000, np.ones(k, bool))
    estimates = np.array([beta_propensity(arms.alpha, arms.beta, i) for i in range(k)])
    assert estimates.sum() == pytest.approx(1.0, abs=0.01)
    # A 100,000-draw count is itself too noisy below ~1 %: compare where it is not.
    for i in np.flatnonzero(reference > 0.01):
        assert estimates[i] == pytest.approx(reference[i], rel=0.10), (i, reference[i])


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.2, 1.0, 30.0])
def test_identical_arms_share_equally_even_with_tiny_alpha(alpha):
    arms = np.full(4, alpha), np.full(4, 10.0)
    assert beta_propensity(*arms, 2) == pytest.approx(0.25, rel=0.02)


def test_value_reward_propensity_by_monte_carlo():
    rng = np.random.default_rng(7)
    arms = _arms(rng, 8, 80.0)
    arms = ArmSet.build(
        list(range(8)),
        list(zip(arms.alpha, arms.beta, strict=True)),
        values={i: (3 + i, 30.0 * (3 + i) / (1 + i % 3)) for i in range(8)},
        value_prior=(3.0, 40.0),
    )
    reference = counted_propensities(arms, rng, 100_000, np.ones(8, bool))
    for i in np.flatnonzero(reference > 0.05):
        draws = arms.sample(rng, (draws_for(8) * 4, 8))
        assert thompson_propensity(draws, int(i)) == pytest.approx(reference[i], rel=0.15)


def test_choice_logs_propensity_and_candidates_for_each_strategy():
    rng = np.random.default_rng(3)
    arms = _arms(rng, 6, 40.0)
    seen = [(int(arms.ids[0]), 0.0)]  # no-repeat holds creative 0 back
    caps = Caps(no_repeat=1)
    for strategy in ("thompson", "greedy", "uniform"):
        choice = choose(
            arms, seen=seen, caps=caps, neighbours={}, rng=rng, now=1.0, strategy=strategy
        )
        assert choice.candidate_ids == [1, 2, 3, 4, 5]
        assert choice.strategy == strategy
        assert 0 < choice.propensity <= 1
    assert choose(
        arms, seen=seen, caps=caps, neighbours={}, rng=rng, now=1.0, strategy="uniform"
    ).propensity == pytest.approx(1 / 5)


def test_propensity_is_cached_per_posteriors_and_mask():
    from studio.serving import policy

    policy._propensities.clear()
    rng = np.random.default_rng(5)
    arms = _arms(rng, 6, 40.0)
    first = choose(arms, seen=[], caps=Caps(), neighbours={}, rng=rng, now=0.0)
    assert len(policy._propensities) == 1  # every arm's propensity, from one pass
    for _ in range(10):
        again = choose(arms, seen=[], caps=Caps(), neighbours={}, rng=rng, now=0.0)
        single = beta_propensity(arms.alpha, arms.beta, again.position)
        assert again.propensity == pytest.approx(single, rel=0.02)
    assert len(policy._propensities) == 1
    # Another mask (a creative held back): its own entry, over the eligible arms only.
    held = choose(arms, seen=[(int(arms.ids[0]), 0.0)], caps=Caps(no_repeat=1), neighbours={},
                  rng=rng, now=1.0)  # fmt: skip
    assert len(policy._propensities) == 2
    assert held.propensity == pytest.approx(
        beta_propensity(arms.alpha[1:], arms.beta[1:], held.position - 1), rel=0.02
    )
    # New evidence: new posteriors, a new entry, and the right probability for them.
    arms.observe(first.position, True)
    third = choose(arms, seen=[], caps=Caps(), neighbours={}, rng=rng, now=0.0)
    assert len(policy._propensities) == 3
    single = beta_propensity(arms.alpha, arms.beta, third.position)
    assert third.propensity == pytest.approx(single, rel=0.02)


@pytest.mark.parametrize(("k", "scale"), WORLDS)
def test_all_arms_in_one_pass_within_10_percent_of_100k_draws(k, scale):
    rng = np.random.default_rng(k + int(scale))
    arms = _arms(rng, k, scale)
    reference = counted_propensities(arms, rng, 100_000, np.ones(k, bool))
    every = beta_propensities(arms.alpha, arms.beta)
    assert every.shape == (k,)
    assert every.sum() == pytest.approx(1.0, abs=0.01)
    for i in np.flatnonzero(reference > 0.01):
        assert every[i] == pytest.approx(reference[i], rel=0.10), (i, reference[i])
    # ... and it agrees with the single integrals wherever the probability is not tiny.
    for i in np.flatnonzero(every > 1e-3):
        assert every[i] == pytest.approx(beta_propensity(arms.alpha, arms.beta, i), rel=0.02)


def test_all_arms_mixes_learnt_and_new_creatives():
    """A segment's usual state: narrow posteriors of creatives with thousands of
    impressions next to wide priors of new ones (what the one-pass grid must resolve)."""
    rng = np.random.default_rng(11)
    shown = np.r_[rng.integers(1_000, 20_000, 12), np.zeros(8, int)]
    clicks = (shown * rng.uniform(0.01, 0.04, 20)).astype(int)
    arms = ArmSet.build(
        list(range(20)), [(0.6, 30.0)] * 20, {i: (shown[i], clicks[i]) for i in range(20)}
    )
    reference = counted_propensities(arms, rng, 100_000, np.ones(20, bool))
    every = beta_propensities(arms.alpha, arms.beta)
    assert every.sum() == pytest.approx(1.0, abs=0.01)
    for i in np.flatnonzero(reference > 0.01):
        assert every[i] == pytest.approx(reference[i], rel=0.10), (i, reference[i])


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.2, 1.0, 30.0])
def test_all_arms_identical_share_equally_even_with_tiny_alpha(alpha):
    assert beta_propensities(np.full(4, alpha), np.full(4, 10.0)) == pytest.approx(
        np.full(4, 0.25), rel=0.02
    )
