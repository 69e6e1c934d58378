"""POST /api/v1/events: validation, idempotency per (token, type), atomic totals."""

import threading
import uuid

import pytest
from django.core import signing
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from campaigns.models import DailyStats, Event, VariantSegmentStats
from campaigns.serving.services.tokens import TOKEN_SALT, TrackingToken, token_sign
from tests.serving_helpers import TRAIL_USER, activate, make_placement, make_variants, post

pytestmark = pytest.mark.django_db
DECIDE = reverse("campaigns:api_decide")
EVENTS = reverse("campaigns:api_events")


@pytest.fixture
def served(campaign, segments):
    activate(campaign, segments)
    make_variants(campaign, segments[0], 2)
    placement, key = make_placement(campaign)
    return placement, key


def served_token(client, key, consent=True):
    payload = {"user_id": "u1", "features": TRAIL_USER, "consent": consent}
    return post(client, DECIDE, key, payload).json()


def test_events_update_the_totals_and_duplicates_count_once(client, served):
    _, key = served
    decision = served_token(client, key)
    token = decision["tracking_token"]
    first = post(client, EVENTS, key, {"token": token, "type": "impression"})
    assert first.status_code == 201 and first.json()["recorded"] is True
    again = post(client, EVENTS, key, {"token": token, "type": "impression"})
    assert again.status_code == 200 and again.json() == {
        "recorded": False,
        "duplicate": True,
        "decision_id": decision["decision_id"],
        "type": "impression",
    }
    post(client, EVENTS, key, {"token": token, "type": "click"})
    post(client, EVENTS, key, {"token": token, "type": "click"})
    post(client, EVENTS, key, {"token": token, "type": "conversion", "value": 49.9})
    post(client, EVENTS, key, {"token": token, "type": "conversion", "value": 49.9})
    stats = VariantSegmentStats.objects.get()
    assert stats.variant_id == decision["variant_id"]
    assert stats.segment_id == decision["explanation"]["segment"]["id"]
    assert (stats.impressions, stats.clicks, stats.conversions) == (1, 1, 1)
    assert str(stats.revenue) == "49.90"
    daily = DailyStats.objects.get()
    assert daily.day == timezone.now().date() and daily.clicks == 1
    assert Event.objects.count() == 3


def test_events_without_consent_still_count_anonymously(client, served):
    _, key = served
    token = served_token(client, key, consent=False)["tracking_token"]
    assert post(client, EVENTS, key, {"token": token, "type": "impression"}).status_code == 201
    assert VariantSegmentStats.objects.get().impressions == 1


def test_invalid_events_are_4xx_json(client, served, campaign):
    placement, key = served
    token = served_token(client, key)["tracking_token"]
    _, other_key = make_placement(campaign, name="sidebar")
    gone = signing.dumps(
        {"t": uuid.uuid4().hex, "p": placement.pk, "v": 10**9, "s": 1}, salt=TOKEN_SALT
    )
    cases = [
        ({"token": token}, "invalid_payload"),
        ({"type": "click"}, "invalid_payload"),
        ({"token": token, "type": "view"}, "invalid_payload"),
        ({"token": token, "type": "click", "value": 3}, "invalid_payload"),
        ({"token": token, "type": "conversion", "value": -1}, "invalid_payload"),
        ({"token": token, "type": "conversion", "value": "12"}, "invalid_payload"),
        ({"token": token, "type": "conversion", "value": 1e12}, "invalid_payload"),
        ({"token": token, "type": "conversion", "value": 10**400}, "invalid_payload"),
        ({"token": token, "type": "click", "extra": 1}, "invalid_payload"),
        ({"token": 12, "type": "click"}, "invalid_payload"),
        ({"token": "garbage", "type": "click"}, "invalid_token"),
        ({"token": token[:-2] + "xx", "type": "click"}, "invalid_token"),
        ({"token": signing.dumps({"t": "zz"}, salt=TOKEN_SALT), "type": "click"}, "invalid_token"),
        ({"token": signing.dumps({"t": 1}, salt="other"), "type": "click"}, "invalid_token"),
    ]
    for payload, code in cases:
        response = post(client, EVENTS, key, payload)
        assert response.status_code == 400, (payload, response.content)
        assert response.json()["error"]["code"] == code
    wrong_key = post(client, EVENTS, other_key, {"token": token, "type": "click"})
    assert wrong_key.status_code == 400
    assert "another placement" in wrong_key.json()["error"]["message"]
    assert post(client, EVENTS, "sk_nope", {"token": token, "type": "click"}).status_code == 401
    assert client.get(EVENTS).status_code == 405
    # A token whose creative is gone is refused, not a 500.
    response = post(client, EVENTS, key, {"token": gone, "type": "click"})
    assert response.status_code == 400 and "no longer exists" in response.json()["error"]["message"]
    assert VariantSegmentStats.objects.count() == 0


def test_expired_tokens_are_refused(client, served, settings):
    _, key = served
    token = served_token(client, key)["tracking_token"]
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "token_max_age_seconds": -1}
    response = post(client, EVENTS, key, {"token": token, "type": "click"})
    assert response.status_code == 400 and "expired" in response.json()["error"]["message"]


def test_events_are_rate_limited_per_key(client, campaign, segments):
    activate(campaign, segments)
    make_variants(campaign, segments[0], 1)
    _, key = make_placement(campaign, rate=2)
    token = served_token(client, key)["tracking_token"]
    assert post(client, EVENTS, key, {"token": token, "type": "impression"}).status_code == 201
    assert post(client, EVENTS, key, {"token": token, "type": "click"}).status_code == 429


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_duplicates_count_once(campaign, segments):
    from campaigns.serving.services.placements import placement_authenticate
    from campaigns.serving.services.tracking import event_record

    activate(campaign, segments)
    variant = make_variants(campaign, segments[0], 1)[0]
    placement, key = make_placement(campaign)
    info = placement_authenticate(raw_key=key)
    tokens = [
        token_sign(TrackingToken(uuid.uuid4(), placement.pk, variant.pk, segments[0].pk))
        for _ in range(5)
    ]
    outcomes = []

    def send(token):
        try:
            for kind in ("impression", "click", "impression"):
                outcomes.append(event_record(placement=info, token=token, type=kind).recorded)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(t,)) for t in tokens for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stats = VariantSegmentStats.objects.get()
    assert (stats.impressions, stats.clicks) == (5, 5)
    assert outcomes.count(True) == 10 and Event.objects.count() == 10
