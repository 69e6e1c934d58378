"""Retention: delete tracking events and decisions older than the retention period.

The per-(variant, segment) and daily totals stay: they say nothing about any user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from campaigns.models import Decision, Event


@dataclass(frozen=True)
class PurgeResult:
    cutoff: dt.datetime
    events: int
    decisions: int


def events_purge(*, older_than_days: int | None = None, now: dt.datetime | None = None):
    days = settings.STUDIO_EVENT_RETENTION_DAYS if older_than_days is None else older_than_days
    if days < 0:
        raise ValueError("The retention period cannot be negative.")
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    events, _ = Event.objects.filter(created_at__lt=cutoff).delete()
    decisions, _ = Decision.objects.filter(created_at__lt=cutoff).delete()
    return PurgeResult(cutoff, events, decisions)
