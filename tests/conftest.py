"""Fixtures shared by the whole suite: media in a temp dir, demo data, users."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from campaigns.models import AdFormat, AudienceSegment, Brand, Campaign


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    return settings.MEDIA_ROOT


@pytest.fixture
def brand(db):
    return Brand.objects.create(
        name="Acme Sports",
        voice="Playful and warm",
        palette=["#0F172A", "#F97316", "#FFFFFF"],
        banned_terms="cheapest\nguaranteed",
        disclaimer="Terms apply.",
    )


@pytest.fixture
def campaign(brand):
    campaign = Campaign.objects.create(
        brand=brand,
        name="Spring launch",
        product_name="Aero running shoe",
        description="A light running shoe with springy foam.",
        objective=Campaign.Objective.CONVERSION,
        landing_url="https://acme.example/aero",
    )
    campaign.formats.set(AdFormat.objects.filter(slug__in=["square-1080", "mrec-300x250"]))
    return campaign


@pytest.fixture
def segments(campaign):
    return [
        AudienceSegment.objects.create(
            campaign=campaign,
            name="Trail runners",
            persona="Outdoorsy runners who love muddy mountain trails and nature.",
            rules={"age": {"min": 25, "max": 45}, "interests": ["trail running"]},
        ),
        AudienceSegment.objects.create(
            campaign=campaign,
            name="Commuters",
            persona="City office workers who jog to work and want comfort and style.",
            rules={"locales": ["en"], "devices": ["mobile"]},
        ),
    ]


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("casey", password="pw-casey-123")


@pytest.fixture
def groups(db):
    from campaigns import roles

    return roles.ensure_roles()


@pytest.fixture
def make_user(groups):
    """make_user(username, role=None, brand=None, superuser=False); password "pw-<username>"."""

    def make(username, role=None, brand=None, superuser=False):
        user = get_user_model().objects.create_user(
            username, password="pw-" + username, is_superuser=superuser, is_staff=superuser
        )
        if role:
            user.groups.add(groups[role])
        if brand is not None:
            brand.members.add(user)
        return user

    return make
