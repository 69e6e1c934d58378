"""What a hostile client sends the serving API: numbers of thousands of digits, lone
surrogates, sensitive categories as values, a trailing newline; and the JSON 500 an
unexpected error answers with under /api/, with DEBUG off as in production."""

import json
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from campaigns.models import Event
from tests.serving_helpers import TRAIL_USER, activate, make_placement, make_variants, post

pytestmark = pytest.mark.django_db
DECIDE = reverse("campaigns:api_decide")
EVENTS = reverse("campaigns:api_events")
HUGE = "9" * 5000  # past Python's 4,300-digit int() limit


@pytest.fixture
def served(campaign, segments):
    activate(campaign, segments)
    make_variants(campaign, segments[0], 2)
    _, key = make_placement(campaign)
    return key


@pytest.fixture
def prod_client():
    """A client that sees what a production server answers: DEBUG off, and an uncaught
    exception comes back as the response instead of being raised into the test."""
    with override_settings(DEBUG=False):
        yield Client(raise_request_exception=False)


def fill(template: str, *values) -> str:
    """A raw JSON body: each %s or %d in the template replaced by the next value, so
    numbers and escapes go in exactly as a client would write them."""
    pieces = re.split(r"%[sd]", template)
    assert len(pieces) == len(values) + 1
    return "".join(p + str(v) for p, v in zip(pieces, values, strict=False)) + pieces[-1]


def _token(client, key):
    body = {"user_id": "u1", "features": TRAIL_USER, "consent": True}
    return post(client, DECIDE, key, body).json()["tracking_token"]


def _json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return response.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        fill('{"consent": false, "campaign": %s}', HUGE),
        fill('{"consent": false, "features": {"age": %s}}', HUGE),
        fill('{"consent": false, "features": {"age": -%s}}', HUGE),
    ],
)
def test_decide_with_a_5000_digit_number_is_a_400(prod_client, served, body):
    error = _json_error(post(prod_client, DECIDE, served, body), 400)
    assert error["code"] == "invalid_payload" and "at most 20 digits" in error["message"]


def test_event_with_a_5000_digit_value_is_a_400(prod_client, served):
    token = _token(prod_client, served)
    body = fill('{"token": "%s", "type": "conversion", "value": %s}', token, HUGE)
    error = _json_error(post(prod_client, EVENTS, served, body), 400)
    assert error["code"] == "invalid_payload" and "at most 20 digits" in error["message"]
    assert not Event.objects.exists()


@pytest.mark.parametrize("length", ["9" * 5000, "\u00b2", "12345678901"])
def test_an_absurd_content_length_is_a_413(prod_client, served, length):
    response = post(prod_client, DECIDE, served, {"consent": False}, CONTENT_LENGTH=length)
    assert _json_error(response, 413)["code"] == "too_large"


@pytest.mark.parametrize("length", ["9" * 5000, "\u00b2"])
def test_an_absurd_content_length_on_a_page_is_a_413_not_a_500(db, length):
    client = Client(raise_request_exception=False)
    with override_settings(DEBUG=False):
        response = client.post(
            "/accounts/login/", data="x", content_type="text/plain", CONTENT_LENGTH=length
        )
    assert response.status_code == 413


def test_numbers_a_field_can_hold_still_parse(client, served, campaign):
    body = fill('{"consent": false, "campaign": %d, "features": {"age": 30}}', campaign.pk)
    assert post(client, DECIDE, served, body).status_code == 200
    big = fill('{"consent": false, "campaign": %d}', 2**63)
    assert _json_error(post(client, DECIDE, served, big), 403)["code"] == "wrong_campaign"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"consent": true, "user_id": "\\ud800"}', "user_id"),
        ('{"consent": true, "user_id": "abc\\udfffdef"}', "user_id"),
        ('{"consent": false, "features": {"interests": ["run", "\\ud800"]}}', "interests"),
        ('{"consent": false, "placement": "\\udc00"}', "placement"),
        ('{"consent": false, "\\ud800": 1}', None),
    ],
)
def test_lone_surrogates_in_decide_are_a_400(prod_client, served, body, field):
    error = _json_error(post(prod_client, DECIDE, served, body), 400)
    assert error["code"] == "invalid_payload" and "surrogate" in error["message"]
    assert error.get("field") == field


def test_lone_surrogate_in_an_event_token_is_a_400(prod_client, served):
    token = _token(prod_client, served)
    for bad in ("\\ud800", token[:10] + "\\ud800" + token[10:]):
        body = fill('{"token": "%s", "type": "click"}', bad)
        error = _json_error(post(prod_client, EVENTS, served, body), 400)
        assert error["field"] == "token" and "surrogate" in error["message"]
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("interests", "category"),
    [
        (["islam", "hiv treatment"], "religion or belief"),
        (["trail running", "HIV treatment"], "health"),
        (["Health conditions"], "health"),
        (["ｍｕｓｌｉｍｓ"], "religion or belief"),
        (["LGBTQ events"], "sex life or sexual orientation"),
        (["trade union news"], "trade union membership"),
    ],
)
def test_sensitive_categories_as_interest_values_are_refused(client, served, interests, category):
    body = {"consent": False, "features": {"interests": interests}}
    error = _json_error(post(client, DECIDE, served, body), 400)
    assert error["field"] == "interests" and category in error["message"]
    assert error["message"].startswith("Sensitive attributes are not accepted")


def test_ordinary_interests_are_still_served(client, served):
    interests = ["trail running", "marathon race", "hearing aids", "healthy eating"]
    body = {"consent": False, "features": {**TRAIL_USER, "interests": interests}}
    response = post(client, DECIDE, served, body)
    assert response.status_code == 200 and response.json()["variant_id"]


@pytest.mark.parametrize("key", ["Religion", "sexual-orientation", "Political opinion"])
def test_sensitive_keys_are_refused_however_spelt(client, served, key):
    body = {"consent": False, "features": {key: "x"}}
    assert _json_error(post(client, DECIDE, served, body), 400)["field"] == "features"


@pytest.mark.parametrize(
    ("features", "field"),
    [
        ({"consent": False, "format": "square-1080\n"}, "format"),
        ({"consent": False, "features": {"country": "GB\n"}}, "features.country"),
        ({"consent": False, "features": {"locale": "en-GB\n"}}, "features.locale"),
    ],
)
def test_a_trailing_newline_does_not_pass_a_pattern(client, served, features, field):
    error = _json_error(post(client, DECIDE, served, features), 400)
    assert error["field"] == field


def test_an_unexpected_error_under_api_is_a_json_500(prod_client, served, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug nobody foresaw, at /srv/studio/secret/path.py")

    monkeypatch.setattr("campaigns.serving.views.api.decision_make", broken)
    response = post(prod_client, DECIDE, served, {"consent": False})
    error = _json_error(response, 500)
    assert error["code"] == "server_error"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert response["X-Content-Type-Options"] == "nosniff"  # inner layers' headers kept


def test_an_unknown_api_path_is_a_json_404(prod_client):
    error = _json_error(prod_client.get("/api/v1/nothing-here"), 404)
    assert error["code"] == "not_found"


def test_pages_outside_the_api_keep_their_html_errors(prod_client):
    response = prod_client.get("/no-such-page/")
    assert response.status_code == 404 and "application/json" not in response["Content-Type"]


def test_random_payloads_with_huge_numbers_and_surrogates_never_500(prod_client, served):
    import random

    rng = random.Random(7)
    token = _token(prod_client, served)
    atoms = [HUGE, "-" + HUGE, '"\\ud800"', '"x\\udbff"', "1e999", '"sq\\n"', "2", '"islam"']
    for _ in range(120):
        atom = rng.choice(atoms)
        bodies = [
            (DECIDE, fill('{"consent": true, "user_id": "u", "features": {"age": %s}}', atom)),
            (DECIDE, fill('{"consent": false, "features": {"interests": [%s]}}', atom)),
            (DECIDE, fill('{"consent": false, "campaign": %s}', atom)),
            (EVENTS, fill('{"token": "%s", "type": "conversion", "value": %s}', token, atom)),
        ]
        url, body = rng.choice(bodies)
        response = post(prod_client, url, served, body)
        assert response.status_code < 500, (body[:80], response.content[:200])
        json.loads(response.content)
