"""What deleting a campaign or a segment would take with it, and whether it may go.

Read by the confirmation pages and by the deletion services (which decide again under a
row lock)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from campaigns.models import (
    AudienceSegment,
    Campaign,
    DailyStats,
    Decision,
    Event,
    Export,
    GenerationJob,
    ModerationCase,
    Placement,
    Rendition,
    Review,
    Variant,
    VariantClip,
    VariantSegmentStats,
)

_BUSY_JOBS = (GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING)
_BUSY_EXPORTS = (Export.Status.QUEUED, Export.Status.RUNNING)


@dataclass(frozen=True)
class DeletionImpact:
    """`counts`: label -> rows that would go with it (zero counts left out).
    `archive_reason`: why it is archived instead of deleted ("" when it is deleted).
    `refusal`: why it can be neither right now ("" when it can)."""

    counts: dict[str, int] = field(default_factory=dict)
    archive_reason: str = ""
    refusal: str = ""


def _counts(pairs: list[tuple[str, int]]) -> dict[str, int]:
    return {label: n for label, n in pairs if n}


def _served(variant_filter: Q, segment_filter: Q) -> int:
    """Decisions served (rows kept, or counted in the totals after the purge)."""
    decisions = Decision.objects.filter(variant_filter | segment_filter).count()
    impressions = sum(
        VariantSegmentStats.objects.filter(variant_filter | segment_filter).values_list(
            "impressions", flat=True
        )
    )
    return max(decisions, impressions)


def campaign_deletion_impact(*, campaign: Campaign) -> DeletionImpact:
    variants = Q(variant__campaign=campaign)
    counts = _counts(
        [
            ("audience segments", campaign.segments.count()),
            ("generation rounds", campaign.jobs.count()),
            ("variants", Variant.objects.filter(campaign=campaign).count()),
            ("renditions (image files)", Rendition.objects.filter(variants).count()),
            ("clips (video and banner files)", VariantClip.objects.filter(variants).count()),
            ("reviews", Review.objects.filter(variants).count()),
            ("moderation cases", ModerationCase.objects.filter(variants).count()),
            ("exports (ZIP files)", campaign.exports.count()),
            ("placements (API keys)", Placement.objects.filter(campaign=campaign).count()),
            ("tracked events", Event.objects.filter(placement__campaign=campaign).count()),
            ("daily statistics rows", DailyStats.objects.filter(variants).count()),
        ]
    )
    if campaign.jobs.filter(status__in=_BUSY_JOBS).exists():
        return DeletionImpact(
            counts, refusal="A generation round is still running: wait for it to finish."
        )
    if campaign.exports.filter(status__in=_BUSY_EXPORTS).exists():
        return DeletionImpact(
            counts, refusal="An export is still being built: wait for it to finish."
        )
    served = _served(variants, Q(segment__campaign=campaign))
    if served:
        return DeletionImpact(
            counts,
            archive_reason=f"It has served {served} decision{'s' if served != 1 else ''}: "
            "it is archived instead, so its analytics stay.",
        )
    if "moderation cases" in counts:
        return DeletionImpact(
            counts,
            archive_reason="It has moderation cases, whose audit trail is kept: "
            "it is archived instead.",
        )
    return DeletionImpact(counts)


def segment_deletion_impact(*, segment: AudienceSegment) -> DeletionImpact:
    variants = Q(variant__segment=segment)
    counts = _counts(
        [
            ("variants", Variant.objects.filter(segment=segment).count()),
            ("renditions (image files)", Rendition.objects.filter(variants).count()),
            ("clips (video and banner files)", VariantClip.objects.filter(variants).count()),
            ("reviews", Review.objects.filter(variants).count()),
            ("moderation cases", ModerationCase.objects.filter(variants).count()),
        ]
    )
    if segment.jobs.filter(status__in=_BUSY_JOBS).exists():
        return DeletionImpact(counts, refusal="A generation round for it is still running.")
    served = _served(variants, Q(segment=segment))
    if served:
        return DeletionImpact(
            counts,
            refusal=f"It has served {served} decision{'s' if served != 1 else ''}; deleting "
            "it would erase the campaign's analytics. Archive the campaign instead.",
        )
    if "moderation cases" in counts:
        return DeletionImpact(
            counts, refusal="Its variants have moderation cases, whose audit trail is kept."
        )
    return DeletionImpact(counts)
