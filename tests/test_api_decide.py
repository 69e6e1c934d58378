"""POST /api/v1/decide: the contract, consent, caps, eligibility, privacy rules."""

import json

import pytest
from django.urls import reverse

from campaigns.models import Decision, ModerationCase, Variant
from campaigns.services import reviews
from campaigns.serving.services.tokens import user_hash
from tests.serving_helpers import (
    COMMUTER,
    TRAIL_USER,
    activate,
    make_placement,
    make_variants,
    post,
)

pytestmark = pytest.mark.django_db
URL = reverse("campaigns:api_decide")


@pytest.fixture
def served(campaign, segments):
    activate(campaign, segments)
    trail = make_variants(campaign, segments[0], 3)
    commute = make_variants(campaign, segments[1], 2)
    placement, key = make_placement(campaign)
    return {"placement": placement, "key": key, "trail": trail, "commute": commute}


def decide(client, key, features=TRAIL_USER, consent=True, user_id="user-1", **more):
    payload = {"user_id": user_id, "features": features, "consent": consent, **more}
    return post(client, URL, key, payload)


def test_valid_decision_has_every_field(client, served, segments):
    response = decide(client, served["key"])
    assert response.status_code == 200
    data = response.json()
    assert data["variant_id"] in {v.pk for v in served["trail"]}
    assert data["rendition_url"].startswith("http://testserver/api/v1/renditions/")
    assert data["format"] == "square-1080"
    assert set(data["copy"]) == {"headline", "body", "cta"}
    assert data["tracking_token"] and data["decision_id"]
    why = data["explanation"]
    assert why["segment"] == {"id": segments[0].pk, "name": "Trail runners"}
    assert why["matched_by"] == "rules" and "trail running" in why["why"]
    assert 0 < why["posterior_mean"] < 1 and isinstance(why["exploration"], bool)
    assert why["caps_applied"] == [] and why["candidates"] == 3


def test_another_format_and_expected_campaign(client, served, campaign):
    response = decide(client, served["key"], format="mrec-300x250", campaign=campaign.pk)
    assert response.status_code == 200
    assert response.json()["format"] == "mrec-300x250"


def test_consent_stores_only_a_hash_and_no_consent_stores_no_user(client, served):
    decide(client, served["key"], user_id="alice@example.com")
    decision = Decision.objects.get()
    assert decision.user_hash == user_hash("alice@example.com")
    assert "alice" not in json.dumps(decision.explanation) + decision.user_hash
    response = decide(client, served["key"], consent=False, user_id="bob@example.com")
    assert response.status_code == 200 and response.json()["variant_id"]
    assert response.json()["tracking_token"]
    assert "no consent" in " ".join(response.json()["explanation"]["caps_applied"])
    # Logged for offline evaluation, but with nothing that identifies the user.
    anonymous = Decision.objects.get(consented=False)
    assert anonymous.user_hash == ""
    assert "bob" not in json.dumps(anonymous.explanation) + json.dumps(anonymous.context)
    # Without consent the user id may be left out entirely.
    response = post(client, URL, served["key"], {"consent": False, "features": TRAIL_USER})
    assert response.status_code == 200


def test_no_consent_keeps_no_history_so_no_caps(client, served, settings):
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "cap_per_campaign": 1}
    for _ in range(3):
        response = decide(client, served["key"], consent=False)
        assert response.json()["variant_id"] is not None
    assert set(Decision.objects.values_list("user_hash", flat=True)) == {""}


def test_frequency_caps_per_variant_and_per_campaign(client, served, settings):
    settings.STUDIO_SERVING = {
        **settings.STUDIO_SERVING,
        "cap_per_variant": 1,
        "cap_per_campaign": 4,
        "no_repeat": 0,
    }
    shown = [decide(client, served["key"]).json()["variant_id"] for _ in range(3)]
    assert sorted(shown) == sorted(v.pk for v in served["trail"])  # each at most once
    # The segment has no uncapped creative left: no fill, with the reason.
    data = decide(client, served["key"]).json()
    assert data["variant_id"] is None and data["tracking_token"] is None
    assert "per-user cap" in data["explanation"]["no_fill"]
    # Another user is not affected; the campaign cap counts across segments.
    assert decide(client, served["key"], user_id="user-2").json()["variant_id"]
    assert decide(client, served["key"], features=COMMUTER).json()["variant_id"]
    data = decide(client, served["key"], features=COMMUTER).json()
    assert "campaign cap" in data["explanation"]["no_fill"]


def test_no_repeat_within_n_decisions(client, served, settings):
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "no_repeat": 2, "cap_per_variant": 99}
    shown = [decide(client, served["key"]).json()["variant_id"] for _ in range(9)]
    for i in range(2, len(shown)):
        assert shown[i] not in shown[i - 2 : i]


def test_only_approved_and_cleared_variants_are_served(client, served, campaign, segments, user):
    pending = make_variants(campaign, segments[0], 2, status=Variant.Status.PENDING)
    rejected = make_variants(campaign, segments[0], 1, status=Variant.Status.REJECTED)
    open_case = served["trail"][0]
    ModerationCase.objects.create(variant=open_case, reasons=[{"code": "banned_term"}])
    blocked = served["trail"][1]
    ModerationCase.objects.create(variant=blocked, status=ModerationCase.Status.BLOCKED)
    shown = {decide(client, served["key"], consent=False).json()["variant_id"] for _ in range(40)}
    assert shown == {served["trail"][2].pk}
    # Approving a pending one reaches the cache at once (signals bump the version).
    reviews.variant_approve(variant=pending[0], user=user)
    shown = {decide(client, served["key"], consent=False).json()["variant_id"] for _ in range(60)}
    assert pending[0].pk in shown
    assert not shown & {pending[1].pk, rejected[0].pk, open_case.pk, blocked.pk}


def test_segments_below_k_are_not_targeted(client, served, segments, settings):
    settings.STUDIO_MIN_SEGMENT_SIZE = 10_000
    segments[1].estimated_size = 20_000
    segments[1].save()
    data = decide(client, served["key"]).json()
    # The trail segment (5,000 users) cannot be targeted: the user lands elsewhere.
    assert data["explanation"]["segment"]["name"] == "Commuters"
    assert data["explanation"]["matched_by"] == "embedding"
    assert data["explanation"]["skipped_small_segments"] == 1
    segments[1].estimated_size = None  # unknown size: not targeted either
    segments[1].save()
    data = decide(client, served["key"]).json()
    assert data["variant_id"] is None and "smaller than 10000" in data["explanation"]["no_fill"]


def test_embedding_fallback_when_no_rule_matches(client, served):
    features = {"age": 70, "interests": ["muddy mountain trails", "nature"], "locale": "fr-FR"}
    data = decide(client, served["key"], features=features).json()
    assert data["explanation"]["matched_by"] == "embedding"
    assert data["explanation"]["segment"]["name"] == "Trail runners"
    assert "cosine similarity" in data["explanation"]["why"]


def test_inactive_campaign_gives_a_reasoned_no_fill(client, served, campaign):
    campaign.status = campaign.Status.PAUSED
    campaign.save()
    data = decide(client, served["key"]).json()
    assert data["variant_id"] is None and "paused" in data["explanation"]["no_fill"]


BAD_PAYLOADS = [
    ({"features": TRAIL_USER}, "consent"),
    ({"consent": "yes", "user_id": "u"}, "consent"),
    ({"consent": True}, "user_id"),
    ({"consent": True, "user_id": ""}, "user_id"),
    ({"consent": True, "user_id": 42}, "user_id"),
    ({"consent": True, "user_id": "x" * 300}, "user_id"),
    ({"consent": False, "features": []}, "features"),
    ({"consent": False, "features": {"age": "30"}}, "age"),
    ({"consent": False, "features": {"age": True}}, "age"),
    ({"consent": False, "features": {"age": 400}}, "age"),
    ({"consent": False, "features": {"interests": "running"}}, "interests"),
    ({"consent": False, "features": {"interests": ["x" * 100]}}, "interests"),
    ({"consent": False, "features": {"locale": "english please"}}, "features.locale"),
    ({"consent": False, "features": {"country": "GBR"}}, "features.country"),
    ({"consent": False, "features": {"device": "toaster"}}, None),
    ({"consent": False, "features": {"shoe_size": 44}}, "shoe_size"),
    ({"consent": False, "features": {"religion": "any"}}, "features"),
    ({"consent": False, "features": {"health": "asthma"}}, "features"),
    ({"consent": False, "features": {"sexual_orientation": "x"}}, "features"),
    ({"consent": False, "colour": "red"}, "colour"),
    ({"consent": False, "format": "<script>"}, "format"),
    ({"consent": False, "campaign": "one"}, "campaign"),
    ([1, 2, 3], None),
    ("null", None),
]


@pytest.mark.parametrize(("payload", "field"), BAD_PAYLOADS)
def test_invalid_payloads_are_400_with_a_clear_json_error(client, served, payload, field):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    response = post(client, URL, served["key"], body)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_payload" and len(error["message"]) > 10
    if field:
        assert error.get("field") == field


def test_sensitive_feature_message_names_the_attribute(client, served):
    response = post(client, URL, served["key"], {"consent": False, "features": {"religion": "x"}})
    assert "Sensitive attributes are not accepted: religion" in response.json()["error"]["message"]


def test_protocol_errors_are_json(client, served, campaign):
    key = served["key"]
    cases = [
        (client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}"), 405, "method_not_allowed"),
        (
            client.post(
                URL, "consent=1", content_type="text/plain", HTTP_AUTHORIZATION=f"Bearer {key}"
            ),
            415,
            "unsupported_media_type",
        ),
        (post(client, URL, key, "{not json"), 400, "invalid_json"),
        (post(client, URL, key, b"\xff\xfe"), 400, "invalid_json"),
        (post(client, URL, key, "[" * 5000 + "]" * 5000), 400, "invalid_json"),
        (post(client, URL, key, '{"consent": NaN}'), 400, "invalid_payload"),
        (
            post(client, URL, key, json.dumps({"consent": False, "user_id": "x" * 20_000})),
            413,
            "too_large",
        ),
        (post(client, URL, None, {"consent": False}), 401, "unauthorized"),
        (post(client, URL, "sk_wrong", {"consent": False}), 401, "unauthorized"),
        (
            client.post(URL, "{}", content_type="application/json", HTTP_X_API_KEY="nope"),
            401,
            "unauthorized",
        ),
        (
            post(client, URL, key, {"consent": False, "format": "leaderboard-728x90"}),
            400,
            "invalid_format",
        ),
        (
            post(client, URL, key, {"consent": False, "campaign": campaign.pk + 1}),
            403,
            "wrong_campaign",
        ),
        (post(client, URL, key, {"consent": False, "placement": "other"}), 403, "wrong_placement"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, (code, response.content)
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == code
    assert cases[0][0]["Allow"] == "POST"


def test_x_api_key_header_and_inactive_placement(client, served):
    response = client.post(
        URL,
        json.dumps({"consent": False}),
        content_type="application/json",
        HTTP_X_API_KEY=served["key"],
    )
    assert response.status_code == 200
    served["placement"].is_active = False
    served["placement"].save()
    assert post(client, URL, served["key"], {"consent": False}).status_code == 401


def test_rate_limit_per_key_is_429(client, campaign, segments):
    activate(campaign, segments)
    make_variants(campaign, segments[0], 1)
    _, key = make_placement(campaign, rate=3)
    _, other_key = make_placement(campaign, name="sidebar", rate=3)
    statuses = [post(client, URL, key, {"consent": False}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    limited = post(client, URL, key, {"consent": False})
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 120
    assert post(client, URL, other_key, {"consent": False}).status_code == 200


def _random_json(rng, depth=0):
    kinds = ["int", "float", "str", "bool", "null", "list", "dict"]
    kind = rng.choice(kinds if depth < 3 else kinds[:5])
    if kind == "int":
        return rng.choice([0, -1, 7, 10**20, 2**63])
    if kind == "float":
        return rng.choice([0.5, -3.2, 1e308, 1e-9])
    if kind == "str":
        return rng.choice(["", "x", "en-GB", "mobile", "<script>", "é" * 40, "sk_" + "a" * 60])
    if kind == "bool":
        return rng.choice([True, False])
    if kind == "null":
        return None
    if kind == "list":
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    keys = ["user_id", "features", "consent", "format", "campaign", "placement", "age",
            "interests", "locale", "country", "device", "token", "type", "value", "health"]  # fmt: skip
    return {rng.choice(keys): _random_json(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def test_random_payloads_never_cause_a_500(client, served):
    import random

    rng = random.Random(1234)
    events_url = reverse("campaigns:api_events")
    token = decide(client, served["key"]).json()["tracking_token"]
    statuses = set()
    for _ in range(300):
        # Mostly objects with the real field names and random values, to get deep.
        decide_body = {"consent": rng.choice([True, False]), "user_id": "u",
                       "features": _random_json(rng, 1)}  # fmt: skip
        event_body = {"token": rng.choice([token, _random_json(rng, 2)]),
                      "type": rng.choice(["click", "conversion", _random_json(rng, 2)]),
                      "value": _random_json(rng, 2)}  # fmt: skip
        for url, body in ((URL, decide_body), (events_url, event_body)):
            payload = body if rng.random() < 0.8 else _random_json(rng)
            response = post(client, url, served["key"], json.dumps(payload))
            assert response.status_code < 500, (payload, response.content)
            assert response["Content-Type"] == "application/json"
            statuses.add(response.status_code)
    assert {200, 201, 400} <= statuses
