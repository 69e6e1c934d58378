"""Creatives whose scene is painted around the real product (an inpainting painter with
tiny random weights, loaded by the production path): the product is pre-laid out per
format, baked into the background exactly, and every render keeps it where it was
painted, pixel for pixel, with the composition checks passing."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from django.core.files.base import ContentFile
from PIL import Image

from campaigns import demo_art
from campaigns.models import AdFormat, GenerationJob
from campaigns.services import cutouts, rendering
from studio.engine import registry
from studio.engine.layers import visible
from studio.engine.painter.product import product_fitted
from studio.engine.registry import EngineConfig
from tests.helpers import run_round

pytestmark = [pytest.mark.django_db, pytest.mark.models]


@pytest.fixture
def shoe_campaign(campaign):
    campaign.product_image.save("shoe.png", ContentFile(demo_art.png_bytes(demo_art.draw_shoe())))
    cutouts.campaign_cutout_make(campaign=campaign)
    return campaign


@pytest.fixture
def inpaint_engine(tiny_sd_inpaint_path):
    """The sd15-inpaint preset (guessed from the model's name) on the tiny model, at its
    native side and two steps: the worker's cached painter is the one the round uses."""
    registry.clear()
    engine = {"painter": "diffusers", "image_model": str(tiny_sd_inpaint_path), "device": "cpu"}
    painter = registry.get_painter(EngineConfig.from_dict(engine))
    assert painter.paints_around and painter.preset.name == "sd15-inpaint"
    painter.preset = replace(painter.preset, size=64)
    painter.steps = 2
    yield engine
    registry.clear()


def composed(variant, assets):
    """Each format's rendition image as drawn (before the file is encoded), by slug."""
    from campaigns.services import briefs

    copy = briefs.variant_copy(variant)
    brand = briefs.layout_brand(assets.brand, campaign=variant.campaign, language=copy.language)
    out = {}
    for fmt in variant.campaign.formats.all():
        layers = rendering.variant_layers(variant, fmt, assets)
        out[fmt.slug] = rendering.format_compose(
            variant=variant, fmt=fmt, layers=layers, assets=assets, copy=copy, brand=brand
        )
    return out


def product_error(image: Image.Image, product: Image.Image, box) -> int:
    """Largest channel difference on the product's opaque pixels inside `box`."""
    fitted = np.asarray(product_fitted(visible(product), box))
    got = np.asarray(image.convert("RGB").crop(box))
    opaque = fitted[..., 3] == 255
    return int(np.abs(got[opaque].astype(int) - fitted[..., :3][opaque]).max())


def test_an_inpainting_round_bakes_the_product_exactly_and_passes_the_checks(
    shoe_campaign, segments, inpaint_engine
):
    job = run_round(
        shoe_campaign, segments[:1], n=2, seed=3, engine_config=inpaint_engine,
        background_source="model",
    )  # fmt: skip
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    assets = rendering.render_assets(variant=job.variants.first())
    for variant in job.variants.all():
        assert variant.status == "pending"
        for entry in variant.layers.values():
            assert entry["product_baked"] is True and entry["template"]
            box = tuple(entry["product_box"])
            assert entry["floor_y"] == pytest.approx(box[3] / entry["size"][1])
        results = composed(variant, assets)
        for rendition in variant.renditions.select_related("format"):
            entry = variant.layers[rendition.format.slug]
            assert rendition.checks_ok, rendition.layout["checks"]
            assert rendition.layout["template"] == entry["template"]
            assert rendition.layout["boxes"]["product"] == entry["product_box"]
            result = results[rendition.format.slug]
            assert product_error(result.image, assets.product, entry["product_box"]) == 0

    # A format added after the round is painted around the product as well.
    added = AdFormat.objects.get(slug="landscape-1200x628")
    shoe_campaign.formats.add(added)
    variant = job.variants.first()
    rendering.variant_render(variant=variant)
    variant.refresh_from_db()
    entry = variant.layers[added.slug]
    assert entry["product_baked"] and entry["template"].startswith("landscape/")
    rendition = variant.renditions.get(format=added)
    assert rendition.checks_ok, rendition.layout["checks"]
    assert rendition.layout["boxes"]["product"] == entry["product_box"]
    result = composed(variant, assets)[added.slug]
    assert product_error(result.image, assets.product, entry["product_box"]) == 0


def test_variations_of_a_baked_variant_keep_the_product_box_template_and_pixels(
    shoe_campaign, segments, inpaint_engine, user
):
    from campaigns.services import generation, reviews, variations

    job = run_round(
        shoe_campaign, segments[:1], n=1, seed=8, engine_config=inpaint_engine,
        background_source="model",
    )  # fmt: skip
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    source = job.variants.get()
    reviews.variant_approve(variant=source, user=user)
    varied = variations.variant_vary(variant=source, user=user, strength=0.4, count=2)
    varied = generation.job_run_sync(job_id=varied.pk)
    assert varied.status == GenerationJob.Status.SUCCEEDED, varied.error
    assets = rendering.render_assets(variant=source)
    children = list(varied.variants.all())
    assert len(children) == 2 and len({c.seed for c in children}) == 2
    for child in children:
        assert child.parent_id == source.pk and child.status == "pending"
        assert child.lineage["variation"] == {"source_variant": source.pk, "strength": 0.4}
        results = composed(child, assets)
        for rendition in child.renditions.select_related("format"):
            slug = rendition.format.slug
            entry, old = child.layers[slug], source.layers[slug]
            assert entry["product_baked"] and entry["product_box"] == old["product_box"]
            assert entry["template"] == old["template"] == rendition.layout["template"]
            assert entry["lineage"]["task"] == "variation"
            assert entry["lineage"]["strength"] == 0.4
            assert rendition.checks_ok, rendition.layout["checks"]
            assert rendition.layout["boxes"]["product"] == entry["product_box"]
            assert product_error(results[slug].image, assets.product, entry["product_box"]) == 0
