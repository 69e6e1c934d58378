"""Count the requests serving could not fill, for the delivery report.

One counter row per (day, placement, segment or none, reason, coarse bucket), bumped
with an F() update in place: a no-fill costs one small write, like a served request's
Decision row, and the table grows with the number of distinct buckets, not requests.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from campaigns.models import NoFillDaily

REASONS = frozenset(NoFillDaily.Reason.values)


def no_fill_record(
    *, placement_id: int, segment_id: int | None, reason: str, context: dict[str, str]
) -> None:
    """context: studio.serving.context buckets (never raw features)."""
    if reason not in REASONS:
        raise ValueError(f"Unknown no-fill reason {reason!r}.")
    keys = {
        "day": timezone.now().date(),
        "placement_id": placement_id,
        "segment_id": segment_id,
        "reason": reason,
        "age_band": context.get("age_band", ""),
        "device": context.get("device", ""),
        "country": context.get("country", ""),
    }
    rows = NoFillDaily.objects.filter(**keys)
    if rows.update(requests=F("requests") + 1):
        return
    try:
        with transaction.atomic():
            NoFillDaily.objects.create(**keys, requests=1)
    except IntegrityError:  # another request created the row a moment ago
        rows.update(requests=F("requests") + 1)
