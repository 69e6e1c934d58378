"""Tracking events: impressions, clicks and conversions reported against a signed token.

Each (token, type) is stored once; a re-sent event finds the unique constraint and
changes nothing. The per-(variant, segment) and daily totals move in the same
transaction with F() expressions, so concurrent events never lose an increment.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from campaigns.models import AudienceSegment, DailyStats, Event, Variant, VariantSegmentStats
from campaigns.services.placements import PlacementInfo
from campaigns.services.tokens import TokenError, token_read

COUNTER = {
    Event.Type.IMPRESSION: "impressions",
    Event.Type.CLICK: "clicks",
    Event.Type.CONVERSION: "conversions",
}


class TrackingError(ValueError):
    """An event that cannot be recorded; the message is for the caller."""


@dataclass(frozen=True)
class EventOutcome:
    recorded: bool  # False: this token already reported this type; nothing was counted
    token_id: str
    type: str


def event_record(
    *, placement: PlacementInfo, token: str, type: str, value: Decimal = Decimal(0)
) -> EventOutcome:
    try:
        parsed = token_read(token)
    except TokenError as exc:
        raise TrackingError(str(exc)) from exc
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
    return EventOutcome(True, str(parsed.token_id), type)


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
