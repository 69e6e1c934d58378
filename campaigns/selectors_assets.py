"""Reads of the brand asset library."""

from __future__ import annotations

from django.db.models import QuerySet

from campaigns.models import BrandAsset
from campaigns.models.asset import BACKDROP_KINDS
from campaigns.selectors import brands_for_user


def assets_for_user(user) -> QuerySet[BrandAsset]:
    """Assets of the brands the user may see (another brand's asset is a 404)."""
    return BrandAsset.objects.filter(brand__in=brands_for_user(user)).select_related("brand")


def assets_for_backdrops(*, brand_id: int) -> QuerySet[BrandAsset]:
    """The brand's photos a backdrop can be built on (not extra product angles)."""
    return BrandAsset.objects.filter(brand_id=brand_id, kind__in=BACKDROP_KINDS).order_by("pk")
