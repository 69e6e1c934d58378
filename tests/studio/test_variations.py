""" "More like this" on the real offline engine, in this process: a variation job makes
children of a variant with its copy and template, backgrounds moved from its stored
layers by the painter, new seeds, into review; bad input is refused with a clear error."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from campaigns import demo_art, explain
from campaigns.models import GenerationJob, Review, Variant
from campaigns.services import cutouts, generation, reviews, variations
from tests.helpers import run_round
from tests.studio.conftest import make_variants

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(campaign, segments, user):
    campaign.product_image.save("shoe.png", ContentFile(demo_art.png_bytes(demo_art.draw_shoe())))
    cutouts.campaign_cutout_make(campaign=campaign)
    job = run_round(campaign, segments[:1], n=1, seed=21)
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    variant = job.variants.get()
    reviews.variant_approve(variant=variant, user=user)
    return variant


@pytest.fixture
def listed(campaign, segments):
    """A variant in review with a stored layer (rows only: no engine run needed to refuse)."""
    variant = make_variants(campaign, segments[:1], n=1)[0]
    variant.layers = {"square-1080": {"file": "variants/layers/x.jpg", "size": [1080, 1080]}}
    variant.save(update_fields=["layers"])
    return variant


def test_a_variant_without_stored_layers_is_not_varied(listed, user):
    Variant.objects.filter(pk=listed.pk).update(layers={})
    with pytest.raises(ValidationError, match="no stored background layers"):
        variations.variant_vary(variant=listed, user=user, strength=0.5, count=1)


def templates(variant) -> dict[str, str]:
    return {
        r.format.slug: r.layout["template"] for r in variant.renditions.select_related("format")
    }


def test_more_like_this_makes_children_of_the_variant_into_review(source, user):
    job = variations.variant_vary(variant=source, user=user, strength=0.5, count=2)
    assert job.is_variation and job.variation == {"strength": 0.5}
    assert job.source_variant == source and job.only_index is None
    assert job.progress["paint"]["total"] == 2 and job.seed != source.job.seed
    assert Review.objects.filter(variant=source, action=Review.Action.VARY).count() == 1
    job = generation.job_run_sync(job_id=job.pk)
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    children = list(job.variants.order_by("index"))
    assert len(children) == 2
    seeds = {source.seed}
    for child in children:
        assert child.parent == source and child.status == Variant.Status.PENDING
        assert (child.headline, child.body, child.cta) == (source.headline, source.body, source.cta)
        assert child.lineage["variation"] == {"source_variant": source.pk, "strength": 0.5}
        assert child.seed not in seeds
        seeds.add(child.seed)
        # The layout the designer liked, on a new set in the same style.
        assert templates(child) == templates(source)
        assert all(r.checks_ok for r in child.renditions.all())
        for slug, entry in child.layers.items():
            old = source.layers[slug]
            assert entry["template"] == templates(source)[slug]
            assert entry["lineage"]["style"] == old["lineage"]["style"]
            assert entry["lineage"]["strength"] == 0.5
            ours = default_storage.open(entry["file"]).read()
            assert ours != default_storage.open(old["file"]).read()
    source.refresh_from_db()
    assert source.status == Variant.Status.APPROVED  # the source is left as it was
    story = dict(explain.lineage_story(children[0]))
    assert story["Variation"].startswith(f"More like variant #{source.pk} at strength 0.5")


@pytest.mark.parametrize(
    ("strength", "count", "field", "message"),
    [
        (0.05, 2, "strength", "Strength must be between 0.1 and 0.9."),
        (0.95, 2, "strength", "Strength must be between 0.1 and 0.9."),
        (0.5, 0, "count", "Make between 1 and 4 variations."),
        (0.5, 5, "count", "Make between 1 and 4 variations."),
    ],
)
def test_more_like_this_refuses_a_strength_or_count_out_of_range(
    listed, user, strength, count, field, message
):
    source = listed
    with pytest.raises(ValidationError) as info:
        variations.variant_vary(variant=source, user=user, strength=strength, count=count)
    assert info.value.message_dict[field] == [message]
    assert not GenerationJob.objects.filter(source_variant=source).exists()


def test_a_rejected_variant_is_not_varied(listed, user):
    source = listed
    reviews.variant_reject(variant=source, user=user, comment="off brand")
    with pytest.raises(ValidationError, match="Only an approved variant or one in review"):
        variations.variant_vary(variant=source, user=user, strength=0.5, count=1)
    assert not Review.objects.filter(variant=source, action=Review.Action.VARY).exists()
