""" "More like this": variations of one variant, made by the painter from its stored layers.

A variation job (GenerationJob.variation = {"strength": s}, source_variant = the source)
is a round of its own in the source's segment, run by the usual tasks: its paint step
(here) gives each new variant the source's copy and, per format, a background the
painter moves from the source's stored layer by `strength` (painter.paint_variations),
each with a new seed derived from the job's. The finish step scores, screens and renders
them like any round, into review: a variation is never approved on its own.

Where the source's layer has the product baked in, the painter composites it back
exactly at the same box and render keeps the source's template; otherwise layout places
the product as usual, on the source's template.
"""

from __future__ import annotations

import time
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from campaigns.models import AdFormat, AudienceSegment, GenerationJob, Review, Variant
from campaigns.services import briefs, generation
from campaigns.services.backgrounds import (
    backgrounds_store,
    library_photo,
    variant_backgrounds_fill,
)
from campaigns.services.baking import baked_box
from campaigns.services.layer_assets import RenderAssets, campaign_assets
from campaigns.services.progress import record_stage
from campaigns.services.regenerate import new_seed
from campaigns.services.segment_steps import new_variant, product_shot, variants_insert
from studio.engine import registry
from studio.engine.encode import derive_seed, encode_pngs
from studio.engine.registry import EngineConfig
from studio.engine.types import BackgroundRequest, EngineError, PaintedBackground

MIN_STRENGTH, MAX_STRENGTH, DEFAULT_STRENGTH = 0.1, 0.9, 0.5
MAX_COUNT = 4
# A variant someone chose to build on: approved, or in review (the one on screen).
VARIABLE = (Variant.Status.PENDING, Variant.Status.APPROVED)


@transaction.atomic
def variant_vary(*, variant: Variant, user, strength: float, count: int) -> GenerationJob:
    """Start a job of `count` variations of `variant` (enqueued after commit) and note
    it in the audit trail. `strength` (0.1..0.9): how far each moves from the source."""
    errors = {}
    if not MIN_STRENGTH <= strength <= MAX_STRENGTH:
        errors["strength"] = f"Strength must be between {MIN_STRENGTH} and {MAX_STRENGTH}."
    if not 1 <= count <= MAX_COUNT:
        errors["count"] = f"Make between 1 and {MAX_COUNT} variations."
    if errors:
        raise ValidationError(errors)
    variant = Variant.objects.select_related("job", "segment", "campaign").get(pk=variant.pk)
    if variant.status not in VARIABLE:
        raise ValidationError(
            f"Only an approved variant or one in review can be varied "
            f"(this one is {variant.get_status_display().lower()})."
        )
    if not variant.layers:
        raise ValidationError(
            "This variant has no stored background layers to start from; regenerate it instead."
        )
    source_job = variant.job
    job = generation.job_start(
        campaign=variant.campaign,
        segments=[variant.segment],
        variants_per_segment=count,
        user=user,
        engine_config=source_job.engine_config,
        seed=new_seed(source_job.seed),
        source_variant=variant,
        background_source=source_job.background_source,
        variation={"strength": round(float(strength), 2)},
    )
    Review.objects.create(
        variant=variant,
        user=user,
        action=Review.Action.VARY,
        comment=f"{count} variation{'s' if count > 1 else ''} at strength {strength:g} "
        f"(job #{job.pk}).",
    )
    return job


def variations_paint(*, job: GenerationJob, segment: AudienceSegment, missing: list[int]) -> None:
    """The paint step of a variation job: the variants of `missing` slots, stored."""
    if job.source_variant_id is None:
        raise EngineError("The variant these variations start from has been deleted.")
    source = Variant.objects.select_related("campaign__brand", "job").get(pk=job.source_variant_id)
    slots = len(job.slot_indexes)
    loads_before = registry.load_seconds()
    painter = registry.get_painter(EngineConfig.from_dict(job.engine_config))
    load = registry.load_seconds() - loads_before
    # The copy is the source's: nothing to write.
    record_stage(job_id=job.pk, segment_id=segment.pk, stage="copy", done=slots, load_seconds=load)
    formats = list(job.campaign.formats.filter(is_active=True))
    assets = campaign_assets(campaign=job.campaign)
    entries = variant_backgrounds_fill(variant=source, formats=formats, assets=assets)
    strength = float(job.variation["strength"])
    seeds = {i: derive_seed(job.seed, segment.pk, i) for i in missing}
    requests = [
        _request(source, entries[fmt.slug], fmt, seeds[i], strength, assets)
        for i in missing
        for fmt in formats
    ]
    started = time.perf_counter()
    painted = painter.paint_variations(requests)
    seconds = time.perf_counter() - started
    per_variant = [painted[k * len(formats) : (k + 1) * len(formats)] for k in range(len(missing))]
    for backgrounds in per_variant:
        _keep_stage(backgrounds, [entries[f.slug] for f in formats])
    pngs = encode_pngs([product_shot(b, assets.product) for b in per_variant], compress_level=1)
    templates = _templates(source, formats)
    copy = _source_copy(source)
    negative = (source.lineage or {}).get("negative_prompt", "")
    base = _lineage_base(job, segment, source, painter, strength)
    variants = []
    for i, backgrounds, png in zip(missing, per_variant, pngs, strict=True):
        layers = backgrounds_store(
            prefix=f"job{job.pk}-s{segment.pk}-v{i}", formats=formats, painted=backgrounds,
            templates=templates,
        )  # fmt: skip
        variants.append(
            new_variant(job, segment, i, copy, seeds[i], negative, backgrounds, png, layers, base)
        )
    variants_insert(variants=variants)
    record_stage(job_id=job.pk, segment_id=segment.pk, stage="paint", done=slots, seconds=seconds)


def _request(
    source: Variant, entry: dict, fmt: AdFormat, seed: int, strength: float, assets: RenderAssets
) -> BackgroundRequest:
    box = baked_box(entry)
    brand = assets.brand
    return BackgroundRequest(
        concept=source.image_prompt,
        seed=seed,
        width=fmt.width,
        height=fmt.height,
        negative_prompt=(source.lineage or {}).get("negative_prompt", ""),
        colours=brand.colours,
        palette=brand.palette,
        # A baked layer gets its product composited back exactly, at the same box.
        product_path=assets.product_path if box else None,
        product_box=box,
        init_path=default_storage.path(entry["file"]),
        strength=strength,
        style=_style(entry),
        **library_photo(source),
    )


def _style(entry: dict) -> str | None:
    """The backdrop style the source's set was painted in, so a variation keeps it (the
    new seed re-rolls the rest); None for other painters."""
    lineage = entry.get("lineage") or {}
    return lineage.get("style") if lineage.get("source") == "backdrop" else None


def _keep_stage(backgrounds: list[PaintedBackground], entries: list[dict]) -> None:
    """A variation keeps its source's set: where the painter reports no floor line (an
    image-to-image pass does not know it), the source's floor and light stand."""
    for background, entry in zip(backgrounds, entries, strict=True):
        if background.floor_y is None:
            background.floor_y = entry.get("floor_y")
            background.light_x = float(entry.get("light_x") or 0.0)


def _templates(source: Variant, formats: list[AdFormat]) -> dict[str, str]:
    """Each format's template as the source has it: its layer's, else its rendition's."""
    drawn = {
        r.format.slug: r.layout.get("template") for r in source.renditions.select_related("format")
    }
    out = {}
    for fmt in formats:
        name = (source.layers.get(fmt.slug) or {}).get("template") or drawn.get(fmt.slug)
        if name:
            out[fmt.slug] = name
    return out


def _source_copy(source: Variant):
    copy = briefs.variant_copy(source)
    return replace(copy, lineage=dict((source.lineage or {}).get("copy") or {}))


def _lineage_base(job, segment, source: Variant, painter, strength: float) -> dict:
    lineage = source.lineage or {}
    return {
        "job_seed": job.seed,
        "segment_seed": derive_seed(job.seed, segment.pk),
        "engine_config": job.engine_config,
        "copywriter": lineage.get("copywriter", {}),
        "painter": painter.describe(),
        "background": lineage.get("background", {}),
        "variation": {"source_variant": source.pk, "strength": strength},
    }
