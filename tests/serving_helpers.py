"""Builders for serving tests: approved variants with renditions, placements, calls."""

from __future__ import annotations

import json

from django.core.files.base import ContentFile

from campaigns.models import AdFormat, Campaign, GenerationJob, Rendition, Variant
from campaigns.serving.services.placements import placement_create
from tests.helpers import png_bytes


def make_variants(campaign, segment, n, *, status=Variant.Status.APPROVED, **fields):
    """n variants of one segment, each with a rendition in every campaign format."""
    job = GenerationJob.objects.create(campaign=campaign, seed=1, variants_per_segment=n)
    job.segments.add(segment)
    formats = list(campaign.formats.all())
    variants = []
    for i in range(n):
        variant = Variant.objects.create(
            job=job,
            campaign=campaign,
            segment=segment,
            index=i,
            headline=fields.get("headline", f"{segment.name} headline {i}"),
            body="Body copy.",
            cta="Shop now",
            image_prompt=f"a shoe on a trail, take {i}",
            seed=i,
            status=status,
            **{k: v for k, v in fields.items() if k != "headline"},
        )
        for fmt in formats:
            Rendition.objects.create(
                variant=variant,
                format=fmt,
                image=ContentFile(png_bytes(), name=f"v{variant.pk}-{fmt.slug}.png"),
                width=fmt.width,
                height=fmt.height,
                sha256="0" * 64,
            )
        variants.append(variant)
    return variants


def activate(campaign, segments, size=5000):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.ACTIVE)
    campaign.status = Campaign.Status.ACTIVE
    campaign.save()  # through save(), so the serving cache hears of it
    for segment in segments:
        segment.estimated_size = size
        segment.save()


def make_placement(campaign, name="homepage", slug="square-1080", rate=None):
    return placement_create(
        campaign=campaign,
        name=name,
        format=AdFormat.objects.get(slug=slug),
        rate_limit_per_minute=rate,
    )


def post(client, url, key, payload, **extra):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.post(url, body, content_type="application/json", **headers, **extra)


TRAIL_USER = {"age": 30, "interests": ["trail running"], "locale": "de-DE", "device": "desktop"}
COMMUTER = {"age": 50, "interests": ["cycling"], "locale": "en-US", "device": "mobile"}
