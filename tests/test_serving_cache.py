"""The decision state is cached: a warm decision does no heavy database work, and every
change to what may be served reaches the cache."""

import pytest

from campaigns.models import AdFormat, ModerationCase, Rendition, Variant
from campaigns.serving.services.decisions import DecideRequest, decision_make
from campaigns.serving.services.placements import placement_authenticate
from campaigns.serving.services.state import state_for
from campaigns.serving.services.tracking import event_record
from tests.serving_helpers import TRAIL_USER, activate, make_placement, make_variants

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(campaign, segments, settings):
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "posterior_refresh_seconds": 3600}
    activate(campaign, segments)
    variants = make_variants(campaign, segments[0], 3)
    _, key = make_placement(campaign)
    return placement_authenticate(raw_key=key), variants


def ask(placement, consent=False, user_id=None):
    request = DecideRequest(features=TRAIL_USER, consent=consent, user_id=user_id)
    return decision_make(placement=placement, request=request)


def test_warm_decisions_do_no_heavy_database_work(setup, django_assert_num_queries):
    placement, _ = setup
    ask(placement)  # builds the state
    # One query each: the logged Decision row (consented or not); nothing else.
    with django_assert_num_queries(20):
        for _ in range(20):
            assert ask(placement).variant_id
    with django_assert_num_queries(1):
        assert ask(placement, consent=True, user_id="u").variant_id


def test_moderation_and_review_changes_invalidate_the_state(setup):
    placement, variants = setup
    state = state_for(campaign_id=placement.campaign_id)
    assert set(state.creatives) == {v.pk for v in variants}
    case = ModerationCase.objects.create(variant=variants[0], reasons=[{"code": "pii"}])
    state = state_for(campaign_id=placement.campaign_id)
    assert set(state.creatives) == {v.pk for v in variants[1:]}
    case.status = ModerationCase.Status.CLEARED
    case.save()
    variants[1].status = Variant.Status.REJECTED
    variants[1].save()
    state = state_for(campaign_id=placement.campaign_id)
    assert set(state.creatives) == {variants[0].pk, variants[2].pk}
    variants[2].renditions.all().delete()
    state = state_for(campaign_id=placement.campaign_id)
    assert set(state.creatives) == {variants[0].pk, variants[2].pk}
    assert state.creatives[variants[2].pk].renditions == {}
    assert all(ask(placement).variant_id == variants[0].pk for _ in range(10))


def test_a_new_rendition_reaches_the_state_without_a_lookup(
    setup, campaign, django_assert_num_queries
):
    placement, variants = setup
    fmt = AdFormat.objects.exclude(campaigns=campaign).first()
    campaign.formats.add(fmt)
    state = state_for(campaign_id=placement.campaign_id)
    assert fmt.slug not in state.creatives[variants[0].pk].renditions
    rendition = Rendition(
        variant=variants[0], format=fmt, image="variants/r.png", width=1, height=1, sha256="0"
    )
    with django_assert_num_queries(1):  # the INSERT; the campaign comes from the variant
        rendition.save()
    state = state_for(campaign_id=placement.campaign_id)
    assert fmt.slug in state.creatives[variants[0].pk].renditions
    # Loaded on its own, the rendition looks its campaign up and still invalidates.
    Rendition.objects.get(pk=rendition.pk).delete()
    state = state_for(campaign_id=placement.campaign_id)
    assert fmt.slug not in state.creatives[variants[0].pk].renditions


def test_posteriors_follow_the_click_counts(setup, settings):
    placement, variants = setup
    campaign = variants[0].campaign
    campaign.objective = campaign.Objective.TRAFFIC  # a click objective
    campaign.save()
    first = ask(placement)
    before = first.explanation["posterior_mean"]
    for _ in range(30):
        token = ask(placement).tracking_token
        event_record(placement=placement, token=token, type="impression")
        event_record(placement=placement, token=token, type="click")
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "posterior_refresh_seconds": 0}
    means = [ask(placement).explanation["posterior_mean"] for _ in range(5)]
    assert max(means) > before * 3


def test_near_duplicates_come_from_the_text_embeddings(campaign, segments):
    activate(campaign, segments)
    a, b = make_variants(campaign, segments[0], 2, text_embedding=[1.0, 0.0, 0.0])
    (c,) = make_variants(campaign, segments[0], 1, text_embedding=[0.0, 1.0, 0.0])
    state = state_for(campaign_id=campaign.pk)
    assert state.neighbours == {a.pk: frozenset({b.pk}), b.pk: frozenset({a.pk})}
    assert c.pk not in state.neighbours
