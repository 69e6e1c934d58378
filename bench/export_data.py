"""Approved variants and renditions for the export benchmark, made through the ORM
with real PNG files from the offline engine (no generation round)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from campaigns.models import (
    AdFormat,
    AudienceSegment,
    Brand,
    Campaign,
    GenerationJob,
    Rendition,
    Review,
    Variant,
)
from campaigns.services import briefs
from studio.engine import layout
from studio.engine.encode import encode_png, sha256_hex
from studio.engine.layers import Layers
from studio.engine.painter.procedural import ProceduralPainter
from studio.engine.types import AdCopy, BackgroundRequest

HEADLINES = ["Grip every trail", "Run lighter today", "Made for the long run"]
BODY = "Springy foam and a grippy outsole for every kind of run, rain or shine."


@transaction.atomic
def populate(*, formats, segments, variants_per_segment, designs) -> Campaign:
    user, _ = get_user_model().objects.get_or_create(username="bench", is_superuser=True)
    brand = Brand.objects.create(name="Bench brand", palette=["#14532D", "#F97316", "#F5F5F4"])
    brand.members.add(user)
    campaign = Campaign.objects.create(
        brand=brand,
        name="Bench campaign",
        product_name="Summit 2",
        landing_url="https://bench.example/summit",
    )
    fmts = list(AdFormat.objects.filter(slug__in=formats))
    campaign.formats.set(fmts)
    segs = [
        AudienceSegment.objects.create(campaign=campaign, name=f"Segment {i}", persona="Runners.")
        for i in range(segments)
    ]
    job = GenerationJob.objects.create(
        campaign=campaign, variants_per_segment=variants_per_segment, seed=1, status="succeeded"
    )
    job.segments.set(segs)
    pngs = _designs(campaign, fmts, designs)
    for segment in segs:
        for index in range(variants_per_segment):
            _variant(job, segment, index, fmts, pngs[index % designs], user)
    return campaign


def _designs(campaign, fmts, designs) -> list[dict[int, bytes]]:
    """Per design, one PNG per format, laid out by the real layout engine."""
    brand = briefs.brand_brief(campaign.brand)
    painter = ProceduralPainter()
    out = []
    for i in range(designs):
        copy = AdCopy(HEADLINES[i % len(HEADLINES)], BODY, "Shop now", "trail shoe")
        requests = [
            BackgroundRequest("trail shoe", i, f.width, f.height, palette=brand.palette)
            for f in fmts
        ]
        painted = painter.paint_backgrounds(requests)
        out.append(
            {
                f.pk: encode_png(
                    layout.render(Layers(p.image), copy, brand, briefs.format_spec(f)).image
                )
                for f, p in zip(fmts, painted, strict=True)
            }
        )
    return out


def _variant(job, segment, index, fmts, pngs, user) -> None:
    variant = Variant.objects.create(
        job=job,
        campaign_id=job.campaign_id,
        segment=segment,
        index=index,
        headline=HEADLINES[index % len(HEADLINES)],
        body=BODY,
        cta="Shop now",
        seed=index,
        status=Variant.Status.APPROVED,
        lineage={"painter": {"backend": "procedural"}, "copywriter": {"backend": "template"}},
    )
    Review.objects.create(variant=variant, user=user, action=Review.Action.APPROVE)
    folder = Path(settings.MEDIA_ROOT) / "variants" / "renditions"
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for fmt in fmts:
        name = f"variants/renditions/bench-v{variant.pk}-{fmt.slug}.png"
        (Path(settings.MEDIA_ROOT) / name).write_bytes(pngs[fmt.pk])
        rows.append(
            Rendition(
                variant=variant,
                format=fmt,
                image=name,
                width=fmt.width,
                height=fmt.height,
                sha256=sha256_hex(pngs[fmt.pk]),
                layout={"variant_version": 1},
                created_at=timezone.now(),
            )
        )
    Rendition.objects.bulk_create(rows)
