"""The feedback loop: "generate more like the winners".

Per segment, the winners are the served variants with the highest posterior mean CTR
among those with enough impressions to judge. Their copy and image prompts go into a new
generation job as inspiration, which the copywriters blend into what they write.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from campaigns.models import AudienceSegment, Campaign, GenerationJob, VariantSegmentStats
from campaigns.services import generation
from studio.serving.priors import PriorConfig, prior_from_scores

MIN_IMPRESSIONS = 100
TOP_PER_SEGMENT = 3


def winners_by_segment(
    *, campaign: Campaign, min_impressions: int = MIN_IMPRESSIONS, top: int = TOP_PER_SEGMENT
) -> dict[AudienceSegment, list]:
    """{segment: [variant, ...]} best first, only segments with at least one judged variant."""
    config = PriorConfig(
        base_ctr=settings.STUDIO_SERVING["prior_ctr"],
        strength=settings.STUDIO_SERVING["prior_strength"],
    )
    rows = VariantSegmentStats.objects.filter(
        variant__campaign=campaign, impressions__gte=min_impressions
    ).select_related("variant", "segment")
    ranked: dict[AudienceSegment, list[tuple[float, int, object]]] = {}
    for row in rows:
        v = row.variant
        alpha, beta = prior_from_scores(
            {"text_fit": v.text_fit, "alignment": v.alignment, "segment_fit": v.segment_fit}, config
        )
        mean = (alpha + row.clicks) / (alpha + beta + max(row.impressions, row.clicks))
        ranked.setdefault(row.segment, []).append((mean, -v.pk, v))
    return {
        segment: [v for _, _, v in sorted(items, key=lambda t: t[:2], reverse=True)[:top]]
        for segment, items in ranked.items()
    }


def inspiration_texts(variant) -> list[str]:
    texts = [f"{variant.headline}. {variant.body} {variant.cta}".strip()]
    if variant.image_prompt:
        texts.append(variant.image_prompt)
    return texts


def winners_generate(
    *,
    campaign: Campaign,
    user=None,
    variants_per_segment: int = 4,
    min_impressions: int = MIN_IMPRESSIONS,
    enqueue: bool = True,
) -> GenerationJob:
    """Start a generation job for every segment that has winners, inspired by them."""
    winners = winners_by_segment(campaign=campaign, min_impressions=min_impressions)
    if not winners:
        raise ValidationError(
            f"No variant has {min_impressions} impressions in any segment yet: "
            "there are no winners to learn from."
        )
    inspiration = {
        str(segment.pk): [text for v in variants for text in inspiration_texts(v)]
        for segment, variants in winners.items()
    }
    return generation.job_start(
        campaign=campaign,
        segments=sorted(winners, key=lambda s: s.pk),
        variants_per_segment=variants_per_segment,
        user=user,
        inspiration=inspiration,
        enqueue=enqueue,
    )
