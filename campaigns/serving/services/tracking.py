"""Tracking events: impressions, clicks and conversions reported against a signed token.

Attribution: the token names its decision. A conversion counts for that decision when it
arrives within `conversion_window_seconds` (default 30 days) of it, however much later
than the click; after the window it is refused (400) and nothing is stored. The token's
own age limit is stretched to the window for conversions only.

Each (token, type) is stored once; a re-sent event finds the unique constraint and
changes nothing. The per-(variant, segment) and daily totals move in the same
transaction with F() expressions, so concurrent events never lose an increment.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from campaigns.models import (
    AudienceSegment,
    DailyStats,
    Decision,
    Event,
    Variant,
    VariantSegmentStats,
)
from campaigns.serving.services.placements import PlacementInfo
from campaigns.serving.services.reports import report_case_open
from campaigns.serving.services.tokens import TokenError, token_read

COUNTER = {
    Event.Type.IMPRESSION: "impressions",
    Event.Type.CLICK: "clicks",
    Event.Type.CONVERSION: "conversions",
    Event.Type.HIDE: "hides",
    Event.Type.REPORT: "reports",
}


class TrackingError(ValueError):
    """An event that cannot be recorded; the message is for the caller."""


@dataclass(frozen=True)
class EventOutcome:
    recorded: bool  # False: this token already reported this type; nothing was counted
    token_id: str
    type: str


def event_record(
    *,
    placement: PlacementInfo,
    token: str,
    type: str,
    value: Decimal = Decimal(0),
    reason: str = "",
) -> EventOutcome:
    window = int(settings.STUDIO_SERVING["conversion_window_seconds"])
    max_age = None
    if type == Event.Type.CONVERSION:
        max_age = max(window, settings.STUDIO_SERVING["token_max_age_seconds"])
    try:
        parsed = token_read(token, max_age=max_age)
    except TokenError as exc:
        raise TrackingError(str(exc)) from exc
    if type == Event.Type.CONVERSION:
        _check_attribution_window(parsed.token_id, window)
    if parsed.placement_id != placement.id:
        raise TrackingError("The tracking token was issued to another placement.")
    if type not in COUNTER:
        raise TrackingError(f"Unknown event type {type!r}.")
    _check_still_exists(parsed.variant_id, parsed.segment_id)
    with transaction.atomic():
        try:
            with transaction.atomic():
                Event.objects.create(
                    token_id=parsed.token_id,
                    type=type,
                    value=value,
                    reason=reason,
                    placement_id=placement.id,
                    variant_id=parsed.variant_id,
                    segment_id=parsed.segment_id,
                )
        except IntegrityError:
            return EventOutcome(False, str(parsed.token_id), type)
        deltas = {COUNTER[type]: F(COUNTER[type]) + 1, "revenue": F("revenue") + value}
        keys = {"variant_id": parsed.variant_id, "segment_id": parsed.segment_id}
        _bump(VariantSegmentStats, keys, deltas)
        _bump(DailyStats, {**keys, "day": timezone.now().date()}, deltas)
        if type == Event.Type.REPORT:
            report_case_open(variant_id=parsed.variant_id, token_id=parsed.token_id, reason=reason)
    return EventOutcome(True, str(parsed.token_id), type)


def _check_attribution_window(token_id, window: int) -> None:
    made = Decision.objects.filter(token_id=token_id).values_list("created_at", flat=True)
    made = made.first()
    if made is not None and timezone.now() - made > datetime.timedelta(seconds=window):
        days = window / 86400
        raise TrackingError(
            f"The conversion arrived after the {days:g}-day attribution window of its decision."
        )


def _check_still_exists(variant_id: int, segment_id: int) -> None:
    if not Variant.objects.filter(pk=variant_id).exists():
        raise TrackingError("The creative of this token no longer exists.")
    if not AudienceSegment.objects.filter(pk=segment_id).exists():
        raise TrackingError("The segment of this token no longer exists.")


def _bump(model, keys: dict, deltas: dict) -> None:
    """Add to a totals row, creating it first if needed (the unique constraint settles a
    race between two first events)."""
    if model.objects.filter(**keys).update(**deltas):
        return
    try:
        with transaction.atomic():
            model.objects.create(**keys)
    except IntegrityError:
        pass  # another event created it a moment ago
    model.objects.filter(**keys).update(**deltas)
