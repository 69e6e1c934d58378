"""Renditions in decisions load for an ad client without a session, through a signed,
expiring link; nothing else is served that way, and /media/ stays behind login."""

import json
import time

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign, ModerationCase, Rendition, Variant
from campaigns.serving.services.rendition_links import RenditionRef, rendition_link_url
from tests.serving_helpers import TRAIL_USER, activate, make_placement, make_variants, post

pytestmark = pytest.mark.django_db
DECIDE = reverse("campaigns:api_decide")


@pytest.fixture
def served(campaign, segments):
    activate(campaign, segments)
    variants = make_variants(campaign, segments[0], 1)
    _, key = make_placement(campaign)
    return variants[0], key


@pytest.fixture
def anonymous():
    """An ad client: no cookies, no session, never logged in."""
    return Client(raise_request_exception=False)


def link(rendition, **kwargs):
    return rendition_link_url(ref=RenditionRef(rendition.pk, rendition.version), **kwargs)


def test_the_rendition_of_a_decision_loads_without_a_session(anonymous, served, settings):
    variant, key = served
    answer = post(anonymous, DECIDE, key, {"consent": False, "features": TRAIL_USER})
    data = answer.json()
    assert data["variant_id"] == variant.pk
    response = anonymous.get(data["rendition_url"])
    assert response.status_code == 200
    rendition = Rendition.objects.get(variant=variant, format__slug="square-1080")
    with rendition.image.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()
    assert response["Content-Type"] == "image/png"
    # No server path, storage name or media URL anywhere in the answer.
    text = json.dumps(data)
    for leak in (settings.MEDIA_ROOT, "/media/", "variants/renditions", rendition.image.name):
        assert leak not in text


def test_media_urls_still_need_a_login(anonymous, served):
    rendition = served[0].renditions.first()
    response = anonymous.get(rendition.image.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_tampered_link_is_403(anonymous, served):
    url = link(served[0].renditions.first())
    forged = url[:-3] + ("aaa" if not url.endswith("aaa") else "bbb")
    response = anonymous.get(forged)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "invalid_link"
    # A valid signature over another rendition's id cannot be spliced in either.
    other = make_variants(served[0].campaign, served[0].segment, 1)[0].renditions.first()
    token = url.rstrip("/").rsplit("/", 1)[1]
    spliced = url.replace(token, f"{other.pk}.1:" + token.split(":", 1)[1])
    assert anonymous.get(spliced).status_code == 403


def test_an_expired_link_is_403(anonymous, served, settings):
    rendition = served[0].renditions.first()
    age = settings.STUDIO_SERVING["rendition_url_max_age_seconds"]
    response = anonymous.get(link(rendition, now=time.time() - age - 5))
    assert response.status_code == 403 and "expired" in response.json()["error"]["message"]
    assert anonymous.get(link(rendition, now=time.time() - age + 120)).status_code == 200


@pytest.mark.parametrize(
    "status", [Variant.Status.DRAFT, Variant.Status.PENDING, Variant.Status.REJECTED]
)
def test_a_variant_that_is_not_approved_is_not_served(anonymous, campaign, segments, status):
    activate(campaign, segments)
    variant = make_variants(campaign, segments[0], 1, status=status)[0]
    assert anonymous.get(link(variant.renditions.first())).status_code == 404


@pytest.mark.parametrize("case_status", [ModerationCase.Status.OPEN, ModerationCase.Status.BLOCKED])
def test_a_held_or_blocked_variant_is_not_served(anonymous, served, case_status):
    variant = served[0]
    url = link(variant.renditions.first())
    assert anonymous.get(url).status_code == 200
    ModerationCase.objects.create(variant=variant, status=case_status, reasons=[])
    assert anonymous.get(url).status_code == 404


def test_a_paused_campaign_stops_its_links(anonymous, served):
    variant = served[0]
    url = link(variant.renditions.first())
    Campaign.objects.filter(pk=variant.campaign_id).update(status=Campaign.Status.PAUSED)
    assert anonymous.get(url).status_code == 404


def test_a_re_rendered_rendition_stops_the_old_link(anonymous, served):
    rendition = served[0].renditions.first()
    url = link(rendition)
    Rendition.objects.filter(pk=rendition.pk).update(version=rendition.version + 1)
    assert anonymous.get(url).status_code == 404


def test_only_get_and_head(anonymous, served):
    url = link(served[0].renditions.first())
    assert anonymous.head(url).status_code == 200
    assert anonymous.post(url).status_code == 405
