"""The contextual policy: it learns sub-group preferences, its propensities match a
large-sample count, its state round-trips from the training worker to a web process, and
the campaign's policy setting is validated."""

import numpy as np
import pytest
from django.core.cache import cache
from django.test import Client

from campaigns import roles
from campaigns.models import Campaign, Decision
from campaigns.serving.services import contextual_serving
from campaigns.serving.services.contextual_policy import policy_train
from campaigns.serving.services.decisions import DecideRequest, decision_make
from campaigns.serving.services.placements import placement_authenticate
from campaigns.serving.services.tracking import event_record
from campaigns.tasks import train_contextual_policies
from studio.serving.contextual import Cells, SegmentModel, choose, fit, project
from studio.serving.propensity import counted_propensities
from tests.integrations.api_helpers import ApiClient
from tests.serving_helpers import activate, make_placement, make_variants

KEYS = ["bucket=a", "bucket=b"]


def _simulate(decisions=6000, seed=3):
    """Two sub-groups of one segment, each with its own best creative; evidence reaches
    the model in batches (as the worker's periodic training)."""
    rng = np.random.default_rng(seed)
    rates = np.full((2, 5), 0.02)
    rates[0, 0] = rates[1, 1] = 0.08
    z = project([list(rng.normal(size=16)) for _ in range(5)], 4)
    n, s = np.zeros((5, 2)), np.zeros((5, 2))
    chosen = np.zeros((2, 5))
    model = None
    for i in range(decisions):
        if i % 200 == 0:
            arm, bucket = np.divmod(np.arange(10), 2)
            cells = Cells(arm, bucket[:, None], n.ravel(), s.ravel())
            model = fit(list(range(5)), np.full(5, 0.02), z, KEYS, cells, base_rate=0.02)
        bucket = int(rng.integers(2))
        position, _ = choose(model, np.array([bucket]), np.ones(5, bool), rng)
        n[position, bucket] += 1
        s[position, bucket] += rng.random() < rates[bucket, position]
        if i >= decisions - 2000:
            chosen[bucket, position] += 1
    return chosen


def test_the_contextual_policy_learns_what_each_sub_group_prefers():
    chosen = _simulate()
    assert chosen[0].argmax() == 0 and chosen[1].argmax() == 1
    # Mostly its own favourite, not one creative for the whole segment.
    assert chosen[0, 0] / chosen[0].sum() > 0.6 and chosen[1, 1] / chosen[1].sum() > 0.6


def test_propensities_match_a_100000_draw_count():
    rng = np.random.default_rng(5)
    z = project([list(rng.normal(size=32)) for _ in range(6)], 8)
    arm, bucket = np.divmod(np.arange(12), 2)
    cells = Cells(arm, bucket[:, None], np.full(12, 40.0), rng.binomial(40, 0.04, 12) * 1.0)
    model = fit(list(range(6)), np.full(6, 0.02), z, KEYS, cells, base_rate=0.02)
    ctx = np.array([1])
    mask = np.array([True, True, False, True, True, True])

    class Sampler:
        def sample(self, rng, size):
            return model.sample(rng, ctx, size[0])

    counted = counted_propensities(Sampler(), np.random.default_rng(6), 100_000, mask)
    computed = np.array([model.propensity(rng, ctx, mask, p) if mask[p] else 0 for p in range(6)])
    assert computed.sum() == pytest.approx(1.0, abs=0.03)
    big = counted > 0.02
    assert big.sum() >= 2
    assert np.all(np.abs(computed[big] - counted[big]) <= 0.1 * counted[big])
    # All at once (offline evaluation's distribution): the same integral on the same
    # draws of the shared term, so the same numbers as one call per creative.
    together = model.propensities(np.random.default_rng(7), ctx, mask)
    one_by_one = [model.propensity(np.random.default_rng(7), ctx, mask, p) for p in range(6)]
    assert together[~mask].sum() == 0
    assert np.allclose(together[mask], np.array(one_by_one)[mask], rtol=1e-9, atol=1e-12)


@pytest.fixture
def contextual_campaign(campaign, segments, settings):
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "holdout_share": 0.0}
    campaign.serving_policy = "contextual"
    campaign.save()
    activate(campaign, segments)
    variants = make_variants(campaign, segments[0], 4)
    _, key = make_placement(campaign)
    return placement_authenticate(raw_key=key), variants


def _ask(placement, device, seed):
    features = {"age": 30, "interests": ["trail running"], "device": device, "country": "DE"}
    request = DecideRequest(features=features, consent=False)
    return decision_make(placement=placement, request=request, rng=np.random.default_rng(seed))


@pytest.mark.django_db
def test_state_round_trips_from_the_worker_to_a_web_process(contextual_campaign):
    placement, variants = contextual_campaign
    # Before any training the campaign is served by the Beta policy, and says so.
    first = _ask(placement, "mobile", 1)
    assert Decision.objects.get(token_id=first.decision_id).policy.startswith("thompson/")
    for i in range(60):
        result = _ask(placement, "mobile" if i % 2 else "desktop", 100 + i)
        event_record(placement=placement, token=result.tracking_token, type="impression")
        if result.variant_id == variants[0].pk and i % 2:
            event_record(placement=placement, token=result.tracking_token, type="conversion")
    trained = policy_train(campaign_id=placement.campaign_id)  # what the beat task calls
    assert trained.version == 1 and trained.metrics["events"] > 60
    assert trained.events_to >= trained.events_from > 0
    # The worker's models, as it made them (not re-read from the database).
    worker_models = {
        int(k): SegmentModel.from_dict(v) for k, v in trained.state["segments"].items()
    }
    # A web process: nothing in memory, the version number only through the database.
    contextual_serving._loaded.clear()
    cache.clear()
    served = [_ask(placement, "mobile", seed) for seed in range(5)]
    loaded = contextual_serving.policy_load(campaign_id=placement.campaign_id)
    assert loaded.version == 1
    everything = np.ones(len(variants), bool)
    for seed, result in enumerate(served):
        decision = Decision.objects.get(token_id=result.decision_id)
        assert decision.policy == "contextual/conversions"
        assert ";ctx=1;" in decision.policy_version
        assert decision.context["device"] == "mobile"
        ids = [v.pk for v in variants]
        worker = worker_models[decision.segment_id].restrict(ids, [0.005] * len(ids))
        web = loaded.model_for(decision.segment_id, _arms(placement, decision))
        for name in ("theta", "delta", "u", "z"):
            assert np.array_equal(getattr(worker, name), getattr(web, name))
        # The worker's model, given the same seed, makes the same choice with the same
        # probability (up to the Monte Carlo error of the shared term).
        ctx = worker.context_index(decision.context)
        rng = np.random.default_rng(seed)
        rng.random()  # the holdout coin decision_make draws first
        position, _ = choose(worker, ctx, everything, rng)
        assert ids[position] == decision.variant_id
        expected = worker.propensity(np.random.default_rng(0), ctx, everything, position)
        assert decision.propensity == pytest.approx(expected, rel=0.1, abs=1e-3)
    # A second training makes version 2, which the web process serves without restarting.
    result = _ask(placement, "desktop", 9)
    event_record(placement=placement, token=result.tracking_token, type="impression")
    assert train_contextual_policies() == [2]  # the Celery beat task
    assert _ask(placement, "desktop", 10).variant_id is not None
    latest = Decision.objects.order_by("-pk").first()
    assert ";ctx=2;" in latest.policy_version
    assert policy_train(campaign_id=placement.campaign_id) is None  # no new events


def _arms(placement, decision):
    from campaigns.serving.services.state import state_for

    state = state_for(campaign_id=placement.campaign_id)
    return state.arms_for(decision.segment_id, "square-1080")[0]


@pytest.mark.django_db
def test_the_policy_setting_is_validated(campaign, make_user):
    manager = make_user("mia", roles.CAMPAIGN_MANAGER, campaign.brand)
    api = ApiClient(Client(), manager)
    bad = api.send("patch", f"/campaigns/{campaign.pk}", {"serving_policy": "psychic"})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "serving_policy"
    assert Campaign.objects.get(pk=campaign.pk).serving_policy == ""
    good = api.send("patch", f"/campaigns/{campaign.pk}", {"serving_policy": "contextual"})
    assert good.status_code == 200 and good.json()["serving_policy"] == "contextual"
    assert Campaign.objects.get(pk=campaign.pk).serving_policy == "contextual"


def test_training_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["train-contextual-policies"]
    assert entry["task"] == train_contextual_policies.name
    assert entry["schedule"] == settings.STUDIO_SERVING["contextual_train_seconds"] > 0


@pytest.mark.django_db
def test_the_studio_default_is_the_contextual_policy_and_thompson_stays_selectable(
    campaign, segments, settings
):
    # bench/bandit_sim.py chose it (README "Serving benchmarks"); STUDIO_SERVING_POLICY
    # is unset here, as on a fresh install.
    assert settings.STUDIO_SERVING["policy"] == "contextual"
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "holdout_share": 0.0}
    activate(campaign, segments)
    variants = make_variants(campaign, segments[0], 3)
    _, key = make_placement(campaign)
    placement = placement_authenticate(raw_key=key)
    for i in range(20):
        result = _ask(placement, "mobile", i)
        event_record(placement=placement, token=result.tracking_token, type="impression")
    assert campaign.serving_policy == ""
    assert train_contextual_policies() == [1]  # the default campaign is trained
    decision = Decision.objects.get(token_id=_ask(placement, "mobile", 99).decision_id)
    assert decision.policy.startswith("contextual/") and decision.variant_id in {
        v.pk for v in variants
    }
    # A campaign that chooses the per-segment policy is neither trained nor served by it.
    campaign.serving_policy = "thompson"
    campaign.save()
    result = _ask(placement, "mobile", 100)
    event_record(placement=placement, token=result.tracking_token, type="impression")
    assert train_contextual_policies() == []
    decision = Decision.objects.get(token_id=_ask(placement, "mobile", 101).decision_id)
    assert decision.policy.startswith("thompson/")
