"""Hide and report events from the ad client: validation, negative feedback, moderation."""

import pytest
from django.urls import reverse

from campaigns.models import Event, ModerationCase, VariantSegmentStats
from campaigns.serving.services.state import state_for
from tests.serving_helpers import TRAIL_USER, activate, make_placement, make_variants, post

pytestmark = pytest.mark.django_db
DECIDE = reverse("campaigns:api_decide")
EVENTS = reverse("campaigns:api_events")


@pytest.fixture
def served(campaign, segments, settings):
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "posterior_refresh_seconds": 0,
                               "half_life_days": 0}  # fmt: skip
    activate(campaign, segments)
    variants = make_variants(campaign, segments[0], 2)
    _, key = make_placement(campaign)
    return key, variants


def decision(client, key):
    payload = {"user_id": "u1", "features": TRAIL_USER, "consent": True}
    return post(client, DECIDE, key, payload).json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"type": "report"}, "reason"),
        ({"type": "report", "reason": "spam!"}, "reason"),
        ({"type": "hide", "reason": "offensive"}, "reason"),
        ({"type": "like"}, "type"),
        ({"type": "report", "reason": ["offensive"]}, "reason"),
    ],
)
def test_bad_hide_and_report_payloads_are_400_and_store_nothing(client, served, payload, field):
    key, _ = served
    token = decision(client, key)["tracking_token"]
    response = post(client, EVENTS, key, {"token": token, **payload})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert not Event.objects.exists() and not ModerationCase.objects.exists()


def test_a_hide_is_negative_feedback_for_the_policy(client, served, campaign):
    key, variants = served
    served_first = decision(client, key)
    response = post(client, EVENTS, key, {"token": served_first["tracking_token"], "type": "hide"})
    assert response.status_code == 201
    hidden = served_first["variant_id"]
    assert VariantSegmentStats.objects.get(variant_id=hidden).hides == 1
    state = state_for(campaign_id=campaign.pk)
    arms, _ = state.arms_for(variants[0].segment_id, "square-1080")
    means = dict(zip(arms.ids.tolist(), arms.means(), strict=True))
    other = next(v.pk for v in variants if v.pk != hidden)
    assert means[hidden] < means[other]  # same priors: only the hide differs


def test_a_report_opens_a_case_with_the_explanation_and_stops_serving(client, served):
    key, _ = served
    first = decision(client, key)
    body = {"token": first["tracking_token"], "type": "report", "reason": "misleading"}
    assert post(client, EVENTS, key, body).status_code == 201
    case = ModerationCase.objects.get()
    assert case.variant_id == first["variant_id"] and case.status == "open"
    assert case.reason_codes == ["user_report"]
    evidence = case.reasons[0]["evidence"]
    assert evidence["reason"] == "misleading"
    assert evidence["explanation"]["segment"]["name"] == "Trail runners"
    assert case.events.get().action == "opened"
    # The same token again: a duplicate, nothing more.
    assert post(client, EVENTS, key, body).status_code == 200
    assert len(ModerationCase.objects.get().reasons) == 1
    # The reported creative is held back while the case is open.
    for _ in range(4):
        assert decision(client, key)["variant_id"] != first["variant_id"]
