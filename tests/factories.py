"""Rows built straight through the ORM (no generation round), with real PNG files."""

from __future__ import annotations

import itertools

from django.core.files.base import ContentFile

from campaigns.models import AdFormat, GenerationJob, Rendition, Variant
from campaigns.services import reviews
from studio.engine.encode import sha256_hex
from tests.helpers import png_bytes

_counter = itertools.count(1)


def make_job(campaign, segments, n=1) -> GenerationJob:
    job = GenerationJob.objects.create(
        campaign=campaign, variants_per_segment=n, seed=next(_counter), status="succeeded"
    )
    job.segments.set(segments)
    return job


def make_variant(job, segment, *, status=Variant.Status.PENDING, **fields) -> Variant:
    index = fields.pop("index", None)
    if index is None:
        index = Variant.objects.filter(job=job, segment=segment).count()
    defaults = {
        "headline": "Run lighter today",
        "body": "Springy foam that keeps every run fresh.",
        "cta": "Shop now",
        "image_prompt": "a running shoe on a trail",
        "seed": 1000 + index,
        "lineage": {
            "copywriter": {"backend": "template"},
            "painter": {"backend": "procedural"},
            "scorer": {"backend": "text"},
        },
    }
    variant = Variant(
        job=job,
        campaign_id=job.campaign_id,
        segment=segment,
        index=index,
        status=status,
        **{**defaults, **fields},
    )
    colour = ((37 * index) % 256, (91 * segment.pk) % 256, 120)
    variant.base_image.save(
        f"base-{job.pk}-{segment.pk}-{index}.png", ContentFile(png_bytes(colour=colour)), save=False
    )
    variant.save()
    return variant


def make_rendition(variant, fmt: AdFormat, size=None) -> Rendition:
    size = size or (min(fmt.width, 120), min(fmt.height, 120))
    data = png_bytes(size=size, colour=((variant.pk * 13) % 256, (fmt.pk * 29) % 256, 60))
    rendition = Rendition(
        variant=variant,
        format=fmt,
        width=size[0],
        height=size[1],
        sha256=sha256_hex(data),
        layout={"variant_version": variant.version},
    )
    rendition.image.save(f"v{variant.pk}-{fmt.slug}.png", ContentFile(data), save=False)
    rendition.save()
    return rendition


def approve(variant, user) -> Variant:
    """Through the real service, so its moderation check applies."""
    return reviews.variant_approve(variant=variant, user=user)
