"""Placements and their API keys: create, rotate, authenticate, rate limit.

Keys are random, shown once, and stored as SHA-256 only. An authenticated placement is
cached by key hash, so a decision does not look the key up in the database each time.
"""

from __future__ import annotations

import hashlib
import math
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
    media: str = "image"  # "video": answered with a clip of the format (Placement.media)


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def _cache_key(hashed: str) -> str:
    return f"serving:placement:{hashed}"


def _new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def placement_create(
    *,
    campaign: Campaign,
    name: str,
    format: AdFormat,
    rate_limit_per_minute: int | None = None,
    media: str = Placement.Media.IMAGE,
) -> tuple[Placement, str]:
    """Create a placement; returns it with its raw API key, which is not stored.
    A video placement (`media`) is answered with the creatives' clips of its format."""
    if not campaign.formats.filter(pk=format.pk).exists():
        raise ValidationError({"format": f"The campaign has no format {format.slug!r}."})
    if media not in Placement.Media.values:
        raise ValidationError({"media": f"Unknown media {media!r}: image or video."})
    if Placement.objects.filter(campaign=campaign, name=name).exists():
        raise ValidationError({"name": "This campaign already has a placement of that name."})
    raw_key = _new_key()
    placement = Placement.objects.create(
        campaign=campaign,
        name=name,
        format=format,
        api_key_hash=key_hash(raw_key),
        api_key_prefix=raw_key[:10],
        media=media,
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
        media=placement.media,
    )


RATE_WINDOW_SECONDS = 60
_RATE_KEY_TTL = 3 * RATE_WINDOW_SECONDS  # a window is read while the next one runs


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int = 0  # whole seconds until a request would pass; 0 when allowed


def _rate_key(placement_id: int, window: int) -> str:
    return f"serving:rate:{placement_id}:{window}"


def rate_limit_check(*, placement: PlacementInfo, now: float | None = None) -> RateDecision:
    """Take one request from the placement's per-minute allowance, or refuse it.

    A sliding-window counter (two adjacent one-minute windows in the cache, the earlier
    weighted by how much of it still overlaps the last 60 s): a fixed window let a
    full allowance through on each side of a minute boundary, twice the limit within a
    second. Now a burst at a boundary gets one allowance, not two, and (checked on random
    and boundary-crowding traffic in tests/test_rate_limit.py) any interval of d seconds
    admits at most limit × (1 + d/60), what a token bucket holding one minute's
    allowance admits. The weighting assumes the earlier window's requests were spread
    evenly; that is the approximation, and the reason for the bound's d/60 term.

    Atomic enough for locmem and Redis with add/incr/decr only: a request counts itself
    first (incr) and decides on the total it saw, so concurrent requests can only see
    more than their share and refuse, never admit beyond the limit; a refused request
    gives its count back (decr), so a client hammering past the limit is not locked out
    longer than the window says.
    """
    now = time.time() if now is None else now
    limit = placement.rate_limit_per_minute
    window, offset = divmod(now, RATE_WINDOW_SECONDS)
    window = int(window)
    key = _rate_key(placement.id, window)
    previous = cache.get(_rate_key(placement.id, window - 1), 0)
    cache.add(key, 0, _RATE_KEY_TTL)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.add(key, 1, _RATE_KEY_TTL)
        count = 1
    weight = 1 - offset / RATE_WINDOW_SECONDS
    if previous * weight + count <= limit:
        return RateDecision(True)
    try:
        cache.decr(key)
    except ValueError:
        pass  # expired meanwhile: nothing left to give back
    return RateDecision(False, _retry_after(limit, previous, count - 1, offset))


def _retry_after(limit: int, previous: int, count: int, offset: float) -> int:
    """Seconds until previous × weight + count + 1 <= limit, the weight falling linearly
    to 0 over this window; from the next window on, this window's count is the one
    weighted."""
    span = RATE_WINDOW_SECONDS
    if count + 1 <= limit and previous:
        wait = span * (1 - (limit - count - 1) / previous) - offset
    else:  # this window alone is full: wait into the next one
        carried = max(count, 1)
        wait = (span - offset) + span * max(0.0, 1 - (limit - 1) / carried)
    return max(1, min(2 * span, math.ceil(wait)))


def rate_limit_exceeded(*, placement: PlacementInfo, now: float | None = None) -> bool:
    """Whether this request is over the placement's limit (see rate_limit_check)."""
    return not rate_limit_check(placement=placement, now=now).allowed
