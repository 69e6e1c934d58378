"""Users in each role and ready-made variants (real rows and real PNG files, built
without running the engine, so view tests stay fast)."""

from __future__ import annotations

import itertools

import pytest
from django.core.files.base import ContentFile

from campaigns import roles
from campaigns.models import Brand, GenerationJob, Rendition, Variant
from tests.helpers import png_bytes

_counter = itertools.count(1)


@pytest.fixture
def designer(make_user, brand):
    return make_user("dana", roles.DESIGNER, brand)


@pytest.fixture
def manager(make_user, brand):
    return make_user("max", roles.CAMPAIGN_MANAGER, brand)


@pytest.fixture
def moderator(make_user, brand):
    return make_user("mo", roles.MODERATOR, brand)


@pytest.fixture
def other_brand(db):
    return Brand.objects.create(name="Rival Co", palette=["#000000", "#FFFFFF"])


@pytest.fixture
def outsider(make_user, other_brand):
    """A campaign manager (every studio permission) of another brand: must see nothing of ours."""
    return make_user("otto", roles.CAMPAIGN_MANAGER, other_brand)


def make_variants(campaign, segments, n=2, **fields) -> list[Variant]:
    """n pending variants per segment in one job, each with a rendition per format."""
    job = GenerationJob.objects.create(
        campaign=campaign,
        variants_per_segment=n,
        seed=next(_counter),
        status=GenerationJob.Status.SUCCEEDED,
    )
    job.segments.set(segments)
    formats = list(campaign.formats.all())
    variants = []
    for segment in segments:
        for i in range(n):
            k = next(_counter)
            v = Variant(
                job=job,
                campaign=campaign,
                segment=segment,
                index=i,
                headline=f"Headline {k}",
                body=f"Body copy number {k} for the test.",
                cta="Shop now",
                seed=k,
                status=Variant.Status.PENDING,
                text_fit=float(10 + k % 50),
                copy_novelty=(k % 10) / 10,
                lineage={"seed": k, "job_seed": job.seed, "image_prompt": "a shoe"},
                **fields,
            )
            v.base_image.save(f"b{k}.png", ContentFile(png_bytes((32, 32))), save=False)
            v.save()
            for fmt in formats:
                r = Rendition(variant=v, format=fmt, width=32, height=32, sha256="0" * 64)
                r.image.save(f"r{k}-{fmt.slug}.png", ContentFile(png_bytes((32, 32))), save=False)
                r.save()
            variants.append(v)
    return variants


@pytest.fixture
def variants(campaign, segments):
    return make_variants(campaign, segments, n=2)


def login(client, user):
    client.force_login(user)
    return client
