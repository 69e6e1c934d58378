"""Serving that learns: logged propensities and context, rewards by objective, the
conversion attribution window, wear-out and the holdout share."""

import datetime
import math

import numpy as np
import pytest
from django.utils import timezone

from campaigns.models import Campaign, DailyStats, Decision, VariantSegmentStats
from campaigns.serving.services.decisions import DecideRequest, decision_make
from campaigns.serving.services.placements import placement_authenticate
from campaigns.serving.services.state import state_for, state_invalidate
from campaigns.serving.services.tracking import TrackingError, event_record
from studio.serving.context import AGE_BANDS, CONTEXT_KEYS, DEVICE_BUCKETS
from tests.serving_helpers import TRAIL_USER, activate, make_placement, make_variants

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(campaign, segments, settings):
    settings.STUDIO_SERVING = {
        **settings.STUDIO_SERVING,
        "posterior_refresh_seconds": 0,
        "holdout_share": 0.0,
    }
    activate(campaign, segments)
    variants = make_variants(campaign, segments[0], 4)
    _, key = make_placement(campaign)
    return placement_authenticate(raw_key=key), variants


def ask(placement, consent=True, user_id="user-1", features=None, seed=None):
    features = features or {**TRAIL_USER, "country": "DE"}
    request = DecideRequest(features=features, consent=consent, user_id=user_id)
    rng = None if seed is None else np.random.default_rng(seed)
    return decision_make(placement=placement, request=request, rng=rng)


def set_objective(campaign, objective):
    campaign.objective = objective
    campaign.save()


def test_every_decision_logs_propensity_policy_candidates_and_coarse_context(setup):
    placement, variants = setup
    result = ask(placement)
    ask(placement, consent=False, user_id=None)
    for decision in Decision.objects.all():
        assert 0 < decision.propensity <= 1
        assert decision.policy == "thompson/conversions"
        assert decision.policy_version.startswith("v2;")
        assert sorted(decision.candidate_ids) == sorted(v.pk for v in variants)
        assert decision.variant_id in decision.candidate_ids
        assert set(decision.context) <= set(CONTEXT_KEYS)
        assert decision.context == {"age_band": "25-34", "device": "desktop", "country": "DE"}
        assert decision.context["age_band"] in {label for _, _, label in AGE_BANDS}
        assert decision.context["device"] in DEVICE_BUCKETS
    assert Decision.objects.get(token_id=result.decision_id).consented
    anonymous = Decision.objects.get(consented=False)
    assert anonymous.user_hash == ""
    # Interests, locale and the exact age are raw features: never stored (the explanation
    # quotes the segment's rules, not the user's features).
    assert "interests" not in anonymous.context and "de-DE" not in str(anonymous.explanation)


def test_thompson_propensities_of_a_campaign_sum_to_one(setup):
    placement, variants = setup
    from studio.serving.propensity import beta_propensity

    state = state_for(campaign_id=placement.campaign_id)
    arms, _ = state.arms_for(variants[0].segment_id, "square-1080")
    total = sum(beta_propensity(arms.alpha, arms.beta, k) for k in range(len(arms)))
    assert total == pytest.approx(1.0, abs=0.01)


def _totals(variant, impressions, clicks, conversions, revenue):
    VariantSegmentStats.objects.create(
        variant=variant,
        segment=variant.segment,
        impressions=impressions,
        clicks=clicks,
        conversions=conversions,
        revenue=revenue,
    )


def test_objective_switches_the_reward(setup, campaign, settings):
    # Undated totals count as old evidence under wear-out; here all history counts.
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "half_life_days": 0}
    placement, variants = setup
    clicker, converter, earner = variants[:3]
    _totals(clicker, 2000, 400, 2, 20)  # many clicks, few conversions
    _totals(converter, 2000, 40, 100, 1000)  # many conversions of little value
    _totals(earner, 2000, 40, 60, 30000)  # fewer conversions worth far more
    best = {}
    for objective in ("traffic", "conversion", "sales"):
        set_objective(campaign, objective)
        state = state_for(campaign_id=campaign.pk)
        arms, _ = state.arms_for(clicker.segment_id, "square-1080")
        best[state.reward] = int(arms.ids[int(np.argmax(arms.means()))])
    assert best == {"clicks": clicker.pk, "conversions": converter.pk, "value": earner.pk}
    served = {ask(placement, consent=False, user_id=None, seed=i).variant_id for i in range(5)}
    assert served == {earner.pk}
    assert Decision.objects.filter(policy="thompson/value").count() == 5


def test_delayed_conversion_is_attributed_within_the_window(setup, settings):
    placement, _ = setup
    settings.STUDIO_SERVING = {
        **settings.STUDIO_SERVING,
        "token_max_age_seconds": 7 * 86400,
        "conversion_window_seconds": 30 * 86400,
    }
    result = ask(placement)
    decision = Decision.objects.get(token_id=result.decision_id)
    # Ten days later: past the click token's week, within the conversion window.
    Decision.objects.filter(pk=decision.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )
    outcome = event_record(placement=placement, token=result.tracking_token, type="conversion")
    assert outcome.recorded and outcome.token_id == str(decision.token_id)
    assert VariantSegmentStats.objects.get(variant=decision.variant).conversions == 1
    late = ask(placement, seed=1)
    Decision.objects.filter(token_id=late.decision_id).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    with pytest.raises(TrackingError, match="30-day attribution window"):
        event_record(placement=placement, token=late.tracking_token, type="conversion")
    assert VariantSegmentStats.objects.get(variant=decision.variant).conversions == 1


def test_wear_out_moves_traffic_off_a_tired_creative(setup, campaign, settings):
    placement, variants = setup
    set_objective(campaign, "traffic")
    tired, fresh = variants[:2]
    today = timezone.now().date()
    # The tired one was great three weeks ago and poor since; the fresh one steady.
    for age, variant, clicks in [
        (21, tired, 300),
        (1, tired, 20),
        (21, fresh, 100),
        (1, fresh, 100),
    ]:
        row = dict(impressions=2000, clicks=clicks)
        DailyStats.objects.create(
            day=today - datetime.timedelta(days=age),
            variant=variant,
            segment=variant.segment,
            **row,
        )
    for variant in (tired, fresh):
        days = DailyStats.objects.filter(variant=variant)
        _totals(variant, sum(d.impressions for d in days), sum(d.clicks for d in days), 0, 0)

    def shares():
        state_invalidate(campaign_id=campaign.pk)
        chosen = [ask(placement, seed=i, user_id=f"u{i}").variant_id for i in range(40)]
        return chosen.count(tired.pk), chosen.count(fresh.pk)

    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "half_life_days": 0}
    all_history = shares()
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "half_life_days": 5}
    discounted = shares()
    assert all_history[0] > all_history[1]  # all history equal: the tired one leads
    assert discounted[1] > discounted[0]  # discounted: the fresh one takes the traffic


def test_holdout_share_is_served_by_uniform_rotation(setup, settings):
    placement, variants = setup
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "holdout_share": 0.2}
    n = 400
    for i in range(n):
        ask(placement, consent=False, user_id=None, seed=i)
    held = Decision.objects.filter(holdout=True)
    share = held.count() / n
    assert abs(share - 0.2) <= 3 * math.sqrt(0.2 * 0.8 / n)
    assert set(held.values_list("policy", flat=True)) == {"uniform/conversions"}
    assert all(d.propensity == pytest.approx(1 / len(variants)) for d in held)
    assert (
        Decision.objects.filter(holdout=False).exclude(policy="thompson/conversions").count() == 0
    )
    assert Campaign.objects.get(pk=placement.campaign_id).status == "active"
