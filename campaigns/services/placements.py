"""Placements and their API keys: create, rotate, authenticate, rate limit.

Keys are random, shown once, and stored as SHA-256 only. An authenticated placement is
cached by key hash, so a decision does not look the key up in the database each time.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from campaigns.models import AdFormat, Campaign, Placement

KEY_PREFIX = "sk_"
_CACHE_SECONDS = 300


@dataclass(frozen=True)
class PlacementInfo:
    id: int
    name: str
    campaign_id: int
    format_slug: str
    rate_limit_per_minute: int


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def _cache_key(hashed: str) -> str:
    return f"serving:placement:{hashed}"


def _new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def placement_create(
    *, campaign: Campaign, name: str, format: AdFormat, rate_limit_per_minute: int | None = None
) -> tuple[Placement, str]:
    """Create a placement; returns it with its raw API key, which is not stored."""
    if not campaign.formats.filter(pk=format.pk).exists():
        raise ValidationError({"format": f"The campaign has no format {format.slug!r}."})
    if Placement.objects.filter(campaign=campaign, name=name).exists():
        raise ValidationError({"name": "This campaign already has a placement of that name."})
    raw_key = _new_key()
    placement = Placement.objects.create(
        campaign=campaign,
        name=name,
        format=format,
        api_key_hash=key_hash(raw_key),
        api_key_prefix=raw_key[:10],
        rate_limit_per_minute=rate_limit_per_minute
        or settings.STUDIO_SERVING["default_rate_limit"],
    )
    return placement, raw_key


@transaction.atomic
def placement_rotate_key(*, placement: Placement) -> str:
    """Replace the key; the old one stops working at once."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    cache.delete(_cache_key(placement.api_key_hash))
    raw_key = _new_key()
    placement.api_key_hash = key_hash(raw_key)
    placement.api_key_prefix = raw_key[:10]
    placement.save(update_fields=["api_key_hash", "api_key_prefix"])
    return raw_key


def placement_forget(*, api_key_hash: str) -> None:
    """Drop the cached lookup (on any change to the placement)."""
    cache.delete(_cache_key(api_key_hash))


def placement_authenticate(*, raw_key: str) -> PlacementInfo | None:
    """The active placement this key belongs to, or None."""
    if not raw_key.startswith(KEY_PREFIX) or len(raw_key) > 100:
        return None
    hashed = key_hash(raw_key)
    info = cache.get(_cache_key(hashed))
    if info is None:
        placement = (
            Placement.objects.select_related("format")
            .filter(api_key_hash=hashed, is_active=True)
            .first()
        )
        # Unknown keys are cached too (as False), so guessing costs no database work.
        info = False if placement is None else _info(placement)
        cache.set(_cache_key(hashed), info, _CACHE_SECONDS)
    return info or None


def _info(placement: Placement) -> PlacementInfo:
    return PlacementInfo(
        id=placement.pk,
        name=placement.name,
        campaign_id=placement.campaign_id,
        format_slug=placement.format.slug,
        rate_limit_per_minute=placement.rate_limit_per_minute,
    )


def rate_limit_exceeded(*, placement: PlacementInfo, now: float | None = None) -> bool:
    """Fixed one-minute window per placement, counted in the cache."""
    window = int((now if now is not None else time.time()) // 60)
    key = f"serving:rate:{placement.id}:{window}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, 120)
        count = 1
    return count > placement.rate_limit_per_minute
