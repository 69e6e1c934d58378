"""Scratch data for bench/decide_latency.py: one active campaign, many segments and
approved variants with renditions, scores, embeddings and click statistics.

Variants are written directly (no engine run): the benchmark times serving, and a
thousand real generations would take far longer than the measurement itself."""

from __future__ import annotations

from campaigns.models import (
    AdFormat,
    AudienceSegment,
    Brand,
    Campaign,
    GenerationJob,
    Rendition,
    Variant,
    VariantSegmentStats,
)
from campaigns.serving.services.placements import placement_create

INTERESTS = ["running", "yoga", "cycling", "hiking", "tennis", "swimming", "climbing", "golf"]


def seed_campaign(*, segments: int, variants: int, rng) -> str:
    """Create the data; returns a placement's raw API key."""
    brand = Brand.objects.create(name="Bench brand")
    campaign = Campaign.objects.create(
        brand=brand, name="Bench", product_name="Shoe", status=Campaign.Status.ACTIVE
    )
    fmt = AdFormat.objects.get(slug="square-1080")
    campaign.formats.set([fmt])
    segment_rows = [_segment(campaign, i, rng) for i in range(segments)]
    job = GenerationJob.objects.create(campaign=campaign, seed=0, variants_per_segment=1)
    job.segments.set(segment_rows)
    embeddings = rng.normal(size=(variants, 384)).astype("float32")
    embeddings /= (embeddings**2).sum(axis=1, keepdims=True) ** 0.5
    rows = [
        Variant(
            job=job,
            campaign=campaign,
            segment=segment_rows[i % segments],
            index=i,
            headline=f"Headline {i}",
            body="Body copy for the benchmark.",
            cta="Shop now",
            seed=i,
            status=Variant.Status.APPROVED,
            text_fit=float(rng.uniform(20, 80)),
            text_embedding=[round(float(x), 5) for x in embeddings[i]],
        )
        for i in range(variants)
    ]
    created = Variant.objects.bulk_create(rows, batch_size=200)
    Rendition.objects.bulk_create(
        [
            Rendition(
                variant=v,
                format=fmt,
                image=f"variants/renditions/v{v.pk}.png",
                width=1080,
                height=1080,
                sha256="0" * 64,
            )  # fmt: skip
            for v in created
        ],
        batch_size=500,
    )
    VariantSegmentStats.objects.bulk_create(
        [
            VariantSegmentStats(variant=v, segment=v.segment, impressions=n, clicks=n // 40)
            for v, n in zip(created, rng.integers(0, 5000, len(created)), strict=True)
        ],
        batch_size=500,
    )
    _, key = placement_create(
        campaign=campaign, name="bench", format=fmt, rate_limit_per_minute=10**9
    )
    return key


def _segment(campaign, i: int, rng) -> AudienceSegment:
    low = int(rng.integers(18, 60))
    return AudienceSegment.objects.create(
        campaign=campaign,
        name=f"Segment {i}",
        persona=f"People aged {low} to {low + 15} who like {INTERESTS[i % len(INTERESTS)]}.",
        rules={"age": {"min": low, "max": low + 15}, "interests": [INTERESTS[i % len(INTERESTS)]]},
        estimated_size=int(rng.integers(1_000, 100_000)),
    )
