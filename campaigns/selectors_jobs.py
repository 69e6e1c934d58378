"""Reads about generation rounds: how many of a round's variants moderation holds.

A round "succeeds" when every step ran; its variants may still be held by an open or
blocking moderation case, and the pages say so next to the status.
"""

from __future__ import annotations

from django.db.models import Count, Exists, Q, QuerySet

from campaigns.models import Campaign, GenerationJob, Variant
from campaigns.selectors import BLOCKING_CASE_STATUSES, variants_with_blocking_case

_HELD = Q(variants__moderation_cases__status__in=BLOCKING_CASE_STATUSES)


def jobs_with_held_counts(qs: QuerySet[GenerationJob]) -> QuerySet[GenerationJob]:
    """Each job with `variant_total` and `held_count` (variants with an open or
    blocking moderation case)."""
    return qs.annotate(
        variant_total=Count("variants", distinct=True),
        held_count=Count("variants", filter=_HELD, distinct=True),
    )


def job_with_held_counts(*, job: GenerationJob) -> GenerationJob:
    """The same counts set on one job already loaded."""
    variants = Variant.objects.filter(job=job)
    job.variant_total = variants.count()
    job.held_count = variants.filter(Exists(variants_with_blocking_case())).count()
    return job


def campaign_held_count(*, campaign: Campaign) -> int:
    return campaign.variants.filter(Exists(variants_with_blocking_case())).count()
