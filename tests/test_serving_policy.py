"""The Django-free serving policy: Thompson sampling, caps, priors, matching, intervals."""

import numpy as np
import pytest

from campaigns.rules import parse_rules
from studio.serving.policy import ArmSet, Caps, choose, remember
from studio.serving.priors import PriorConfig, prior_from_scores, quality
from studio.serving.segments import SegmentInfo, match_by_embedding, match_by_rules
from studio.serving.similarity import near_duplicates
from studio.serving.stats import beta_pdf, wilson_interval

NO_CAPS = Caps(per_variant=10**9, per_campaign=10**9, no_repeat=0)


def flat_arms(n):
    return ArmSet.build(list(range(1, n + 1)), [(0.2, 9.8)] * n)


def test_thompson_converges_to_the_best_variant_with_a_fixed_seed():
    true_ctr = np.array([0.02, 0.035, 0.05, 0.03, 0.08, 0.04])
    rng = np.random.default_rng(7)
    arms = flat_arms(len(true_ctr))
    picks = []
    for _ in range(6000):
        choice = choose(arms, seen=[], caps=NO_CAPS, neighbours={}, rng=rng, now=0.0)
        arms.observe(choice.position, bool(rng.random() < true_ctr[choice.position]))
        picks.append(choice.position)
    last = np.array(picks[-1000:])
    assert np.bincount(last, minlength=6).argmax() == 4
    assert (last == 4).mean() > 0.8
    assert int(np.argmax(arms.means())) == 4


def test_choice_explains_itself():
    arms = ArmSet.build([1, 2], [(1, 99), (50, 50)])
    choice = choose(arms, seen=[], caps=NO_CAPS, neighbours={}, rng=np.random.default_rng(0), now=0)
    assert choice.variant_id == 2 and choice.posterior_mean == pytest.approx(0.5)
    assert choice.exploration is False and choice.candidates == 2
    greedy = choose(
        arms,
        seen=[],
        caps=NO_CAPS,
        neighbours={},
        rng=np.random.default_rng(0),
        now=0,
        strategy="greedy",
    )
    assert greedy.variant_id == 2
    with pytest.raises(ValueError, match="Unknown strategy"):
        choose(
            arms,
            seen=[],
            caps=NO_CAPS,
            neighbours={},
            rng=np.random.default_rng(0),
            now=0,
            strategy="oracle",
        )


def test_per_variant_cap_excludes_and_campaign_cap_gives_no_fill():
    arms = ArmSet.build([1, 2], [(90, 10), (1, 99)])  # 1 is far better
    caps = Caps(per_variant=2, per_campaign=3, window_seconds=100, no_repeat=0)
    rng = np.random.default_rng(1)
    seen = [(1, 10.0), (1, 20.0)]
    choice = choose(arms, seen=seen, caps=caps, neighbours={}, rng=rng, now=30.0)
    assert choice.variant_id == 2
    assert any("variant cap" in note for note in choice.caps_applied)
    seen = remember(seen, 2, 30.0, caps)
    full = choose(arms, seen=seen, caps=caps, neighbours={}, rng=rng, now=40.0)
    assert full.variant_id is None and "campaign cap" in full.no_fill
    # Outside the window the history no longer counts.
    later = choose(arms, seen=seen, caps=caps, neighbours={}, rng=rng, now=500.0)
    assert later.variant_id == 1 and later.caps_applied == []


def test_every_variant_capped_is_a_no_fill():
    arms = ArmSet.build([1], [(1, 1)])
    caps = Caps(per_variant=1, per_campaign=10, no_repeat=0)
    choice = choose(
        arms, seen=[(1, 0.0)], caps=caps, neighbours={}, rng=np.random.default_rng(0), now=1
    )
    assert choice.variant_id is None and "per-user cap" in choice.no_fill


def test_no_repeat_and_near_duplicates_hold_back_then_relax():
    arms = ArmSet.build([1, 2, 3], [(90, 10), (80, 20), (1, 99)])
    caps = Caps(per_variant=99, per_campaign=99, no_repeat=1)
    rng = np.random.default_rng(2)
    # 1 was just shown; 2 is its near duplicate: only 3 is left.
    choice = choose(
        arms, seen=[(1, 0.0)], caps=caps, neighbours={1: frozenset({2})}, rng=rng, now=1
    )
    assert choice.variant_id == 3
    assert {n.split(":")[0] for n in choice.caps_applied} == {"no_repeat", "near_duplicate"}
    # With only near duplicates left, the rule relaxes instead of showing nothing.
    small = ArmSet.build([1, 2], [(90, 10), (80, 20)])
    choice = choose(
        small, seen=[(1, 0.0)], caps=caps, neighbours={1: frozenset({2})}, rng=rng, now=1
    )
    assert choice.variant_id == 2
    assert any("near_duplicate relaxed" in n for n in choice.caps_applied)


def test_remember_keeps_what_the_rules_need():
    caps = Caps(per_variant=3, per_campaign=2, window_seconds=10, no_repeat=1)
    seen = remember([(1, 0.0), (2, 5.0)], 3, 12.0, caps)
    assert seen == [(2, 5.0), (3, 12.0)]


def test_priors_from_scores():
    config = PriorConfig(base_ctr=0.02, strength=10)
    assert quality({"text_fit": None, "alignment": None}) is None
    assert quality({"text_fit": 50.0, "segment_fit": 1.0}) == pytest.approx(0.75)
    alpha, beta = prior_from_scores({}, config)
    assert alpha + beta == pytest.approx(10) and alpha / 10 == pytest.approx(0.02)
    good = prior_from_scores({"text_fit": 90.0}, config)
    bad = prior_from_scores({"text_fit": 10.0}, config)
    assert good[0] > alpha > bad[0]


def test_clicks_without_impressions_never_shrink_beta():
    arms = ArmSet.build([1], [(1.0, 9.0)], {1: (0, 3)})
    assert arms.alpha[0] == 4.0 and arms.beta[0] == 9.0


def test_rules_pick_the_most_specific_match_and_embedding_is_the_fallback():
    everyone = SegmentInfo(1, "Everyone", parse_rules({}), 0, "anyone")
    runners = SegmentInfo(2, "Runners", parse_rules({"interests": ["running"]}), 1, "runners")
    young = SegmentInfo(
        3, "Young runners", parse_rules({"interests": ["running"], "age": {"max": 30}}), 2, "y"
    )
    segments = [everyone, runners, young]
    match = match_by_rules({"age": 25, "interests": ["running"]}, segments)
    assert match.segment is young and "most specific of 3" in match.why
    assert match_by_rules({"age": 50}, segments[1:]) is None
    personas = np.eye(3, dtype=np.float32)
    fallback = match_by_embedding(np.array([0, 0.6, 0.8], np.float32), segments, personas)
    assert fallback.segment is young and fallback.by == "embedding"
    assert fallback.similarity == pytest.approx(0.8)


def test_near_duplicates_by_cosine():
    found = near_duplicates([1, 2, 3, 4], [[1, 0], [0.99, 0.05], [0, 1], None], 0.95)
    assert found == {1: frozenset({2}), 2: frozenset({1})}


def test_wilson_interval_and_beta_density():
    low, high = wilson_interval(10, 100)
    assert low == pytest.approx(0.0552, abs=1e-4) and high == pytest.approx(0.1744, abs=1e-4)
    assert wilson_interval(0, 0) is None
    assert wilson_interval(0, 10)[0] == 0.0
    assert beta_pdf(0.5, 1, 1) == pytest.approx(1.0)
    assert beta_pdf(0.5, 2, 2) == pytest.approx(1.5)
