"""Placements: keys stored hashed, shown once by the admin, rotation."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import AdFormat, Placement
from campaigns.serving.services.placements import (
    key_hash,
    placement_authenticate,
    placement_create,
    placement_rotate_key,
)

pytestmark = pytest.mark.django_db


def test_keys_are_stored_hashed_and_rotation_revokes(campaign):
    fmt = AdFormat.objects.get(slug="square-1080")
    placement, key = placement_create(campaign=campaign, name="feed", format=fmt)
    assert placement.api_key_hash == key_hash(key) and key not in placement.api_key_hash
    assert placement_authenticate(raw_key=key).id == placement.pk
    new_key = placement_rotate_key(placement=placement)
    assert placement_authenticate(raw_key=key) is None
    assert placement_authenticate(raw_key=new_key).id == placement.pk
    with pytest.raises(ValidationError):
        placement_create(campaign=campaign, name="feed", format=fmt)
    with pytest.raises(ValidationError):
        placement_create(
            campaign=campaign, name="x", format=AdFormat.objects.exclude(
                pk__in=campaign.formats.all()).first()
        )  # fmt: skip


def test_admin_shows_the_key_once(client, campaign):
    admin = get_user_model().objects.create_superuser("root", "r@example.com", "pw-root-123")
    client.force_login(admin)
    fmt = AdFormat.objects.get(slug="square-1080")
    response = client.post(
        reverse("admin:campaigns_placement_add"),
        {"campaign": campaign.pk, "name": "app", "format": fmt.pk,
         "media": "image", "rate_limit_per_minute": 100, "is_active": "on"},
        follow=True,
    )  # fmt: skip
    key = re.search(r"(sk_[\w-]{20,})", response.content.decode()).group(1)
    placement = Placement.objects.get()
    other_format = AdFormat.objects.exclude(pk__in=campaign.formats.all()).first()
    refused = client.post(
        reverse("admin:campaigns_placement_add"),
        {"campaign": campaign.pk, "name": "tv", "format": other_format.pk,
         "rate_limit_per_minute": 100},
    )  # fmt: skip
    assert refused.status_code == 200 and "has no format" in refused.content.decode()
    assert placement_authenticate(raw_key=key).id == placement.pk
    page = client.get(reverse("admin:campaigns_placement_change", args=[placement.pk]))
    assert key not in page.content.decode()
    response = client.post(
        reverse("admin:campaigns_placement_changelist"),
        {"action": "rotate_key", "_selected_action": [placement.pk]},
        follow=True,
    )
    new_key = re.search(r"(sk_[\w-]{20,})", response.content.decode()).group(1)
    assert new_key != key and placement_authenticate(raw_key=key) is None
