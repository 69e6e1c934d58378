"""Slow serving work happens off the request: the counts behind the posteriors are re-read,
and an aged decision state rebuilt, in a background thread while requests keep serving
what they have; the thread swaps its result in whole, arms and propensities prepared."""

import threading
import time

import pytest

from campaigns.models import Variant
from campaigns.serving.services.decisions import DecideRequest, decision_make
from campaigns.serving.services.placements import placement_authenticate
from campaigns.serving.services.state import state_for
from campaigns.serving.services.tracking import event_record
from studio.serving import policy
from tests.serving_helpers import TRAIL_USER, activate, make_placement, make_variants

# The background thread reads with its own connection: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def setup(campaign, segments, settings):
    activate(campaign, segments)
    variants = make_variants(campaign, segments[0], 3)
    _, key = make_placement(campaign)
    return placement_authenticate(raw_key=key), variants


def ask(placement):
    return decision_make(placement=placement, request=DecideRequest(TRAIL_USER, False))


def join(name):
    for thread in threading.enumerate():
        if thread.name == name:
            thread.join(timeout=30)


def test_counts_are_reread_in_the_background_and_swapped_in_whole(setup, settings):
    placement, variants = setup
    campaign = variants[0].campaign
    campaign.objective = campaign.Objective.TRAFFIC  # a click objective
    campaign.save()
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "posterior_refresh_seconds": 3600}
    first = ask(placement)  # builds the state and reads the counts on the request
    state = state_for(campaign_id=placement.campaign_id)
    (key,) = state._posteriors[1]
    arms_before, _ = state._posteriors[1][key]
    for _ in range(20):
        token = ask(placement).tracking_token
        event_record(placement=placement, token=token, type="impression")
        event_record(placement=placement, token=token, type="click")
    assert state._posteriors[1][key][0] is arms_before  # not re-read yet
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "posterior_refresh_seconds": 0.01}
    time.sleep(0.02)
    assert ask(placement).variant_id  # starts the re-read, served meanwhile
    join("serving-counts")
    counts, arms = state._posteriors
    assert sum(c[1] for c in counts.values()) == 20  # the clicks
    new_arms, _ = arms[key]
    assert new_arms is not arms_before
    assert new_arms.alpha.sum() > arms_before.alpha.sum()
    # The all-eligible propensities of the new arms are cached before any request.
    assert (policy._posterior_key(new_arms), b"\x01" * len(new_arms)) in policy._propensities
    assert first.variant_id in state.creatives


def test_an_aged_state_is_rebuilt_in_the_background(setup, settings):
    placement, variants = setup
    ask(placement)
    old = state_for(campaign_id=placement.campaign_id)
    # A change this process hears nothing of (another process's, with a per-process cache).
    Variant.objects.filter(pk=variants[0].pk).update(headline="Changed elsewhere")
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "state_max_age_seconds": 0.01}
    time.sleep(0.02)
    assert ask(placement).variant_id  # served from the old state, the rebuild started
    join("serving-state")
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "state_max_age_seconds": 3600}
    new = state_for(campaign_id=placement.campaign_id)
    assert new is not old
    assert new.creatives[variants[0].pk].headline == "Changed elsewhere"
    # Counts read and the arms in use prepared by the thread, not by the next request.
    assert new.counts_at and set(new._posteriors[1]) == set(old._posteriors[1])
