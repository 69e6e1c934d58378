"""Domain events: one place where services announce what happened, after commit.

Services call `emit(...)` inside their transaction; subscribers (webhooks today;
cache invalidation and alerts next) hear the event only once the transaction has
committed, so a rolled-back write never notifies anyone, and no service imports
another feature's code to tell it something.

A subscriber is `def handler(event: DomainEvent) -> None`, connected with
`subscribe(handler)`. A failing subscriber is logged and never breaks the service
or the other subscribers.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

JOB_SUCCEEDED = "job.succeeded"
JOB_FAILED = "job.failed"
VARIANT_APPROVED = "variant.approved"
VARIANT_REJECTED = "variant.rejected"
CASE_OPENED = "moderation_case.opened"
CASE_DECIDED = "moderation_case.decided"
EXPORT_READY = "export.ready"
EXPORT_FAILED = "export.failed"
CREATIVE_FATIGUED = "creative.fatigued"

EVENT_TYPES: dict[str, str] = {
    JOB_SUCCEEDED: "A generation job finished",
    JOB_FAILED: "A generation job failed",
    VARIANT_APPROVED: "A variant was approved",
    VARIANT_REJECTED: "A variant was rejected",
    CASE_OPENED: "A moderation case was opened",
    CASE_DECIDED: "A moderation case was decided (cleared, fixed or blocked)",
    EXPORT_READY: "An export is ready to download",
    EXPORT_FAILED: "An export failed",
    CREATIVE_FATIGUED: "A creative wore out in a segment (and what the fatigue action did)",
}


@dataclass(frozen=True)
class DomainEvent:
    type: str
    brand_id: int
    data: dict
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    occurred_at: str = field(default_factory=lambda: timezone.now().isoformat())

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "type": self.type,
            "occurred_at": self.occurred_at,
            "data": self.data,
        }


Handler = Callable[[DomainEvent], None]
_subscribers: list[Handler] = []


def subscribe(handler: Handler) -> Handler:
    if handler not in _subscribers:
        _subscribers.append(handler)
    return handler


def emit(event_type: str, *, brand_id: int, data: dict) -> DomainEvent:
    """Announce `event_type` to every subscriber once the current transaction commits
    (at once when there is none)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown domain event {event_type!r}.")
    event = DomainEvent(type=event_type, brand_id=brand_id, data=data)
    transaction.on_commit(lambda: _publish(event))
    return event


def _publish(event: DomainEvent) -> None:
    for handler in list(_subscribers):
        try:
            handler(event)
        except Exception:
            logger.exception("domain event %s: subscriber %r failed", event.type, handler)


# --- What each event carries: ids and states, never a secret or a raw user id -----------


def job_finished(job) -> DomainEvent:
    kind = JOB_SUCCEEDED if job.status == "succeeded" else JOB_FAILED
    data = {
        "job_id": job.pk,
        "campaign_id": job.campaign_id,
        "status": job.status,
        "error": job.error or "",
    }
    return emit(kind, brand_id=job.campaign.brand_id, data=data)


def variant_reviewed(variant, *, user, comment: str) -> DomainEvent:
    kind = VARIANT_APPROVED if variant.status == "approved" else VARIANT_REJECTED
    data = {
        "variant_id": variant.pk,
        "campaign_id": variant.campaign_id,
        "segment_id": variant.segment_id,
        "status": variant.status,
        "reviewer": getattr(user, "username", ""),
        "comment": comment,
    }
    return emit(kind, brand_id=variant.campaign.brand_id, data=data)


def case_changed(case, *, opened: bool) -> DomainEvent:
    data = {
        "case_id": case.pk,
        "variant_id": case.variant_id,
        "campaign_id": case.variant.campaign_id,
        "status": case.status,
        "reasons": [r.get("code", "") for r in case.reasons or []],
    }
    kind = CASE_OPENED if opened else CASE_DECIDED
    return emit(kind, brand_id=case.variant.campaign.brand_id, data=data)


def export_finished(export) -> DomainEvent:
    kind = EXPORT_READY if export.status == "succeeded" else EXPORT_FAILED
    data = {
        "export_id": export.pk,
        "campaign_id": export.campaign_id,
        "status": export.status,
        "sha256": export.sha256,
        "counts": {k: v for k, v in (export.counts or {}).items() if k != "sheets"},
    }
    return emit(kind, brand_id=export.campaign.brand_id, data=data)


def creative_fatigued(event) -> DomainEvent:
    """A fatigue episode opened (campaigns.serving.services.fatigue_actions)."""
    data = {
        "campaign_id": event.campaign_id,
        "variant_id": event.variant_id,
        "segment_id": event.segment_id,
        "earlier_rate": event.earlier_rate,
        "recent_rate": event.recent_rate,
        "action": event.action,
        "outcome": event.outcome,
        "job_id": event.job_id,
    }
    return emit(CREATIVE_FATIGUED, brand_id=event.campaign.brand_id, data=data)
