"""The per-segment steps of a generation round: paint (copy + base images), then finish
(scores, screening, renditions), each run by its own Celery task.

Every step is idempotent: it looks at what the database already holds and does only
the rest, so a task re-delivered after a worker died finishes without duplicates.
"""

from __future__ import annotations

import os
import socket
import time

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q

from campaigns.models import AudienceSegment, GenerationJob, Variant
from campaigns.services import briefs, clips, moderation, scoring
from campaigns.services.backgrounds import background_requests, backgrounds_store
from campaigns.services.baking import baked_box, bakes_product, paint_formats, product_places
from campaigns.services.layer_assets import campaign_assets, render_assets
from campaigns.services.library import library_candidates, library_choose
from campaigns.services.progress import job_close_if_done, record_stage
from campaigns.services.rendering import variant_render
from campaigns.serving.services.state import state_invalidate
from studio.engine import layout, registry
from studio.engine.encode import derive_seed, encode_pngs
from studio.engine.layers import Layers
from studio.engine.registry import EngineConfig
from studio.engine.types import AdCopy, CopyRequest, EngineError
from studio.engine.unicode_text import strip_hidden


def _load(job_id: int, segment_id: int) -> tuple[GenerationJob, AudienceSegment] | None:
    job = GenerationJob.objects.select_related("campaign__brand").get(pk=job_id)
    if job.status == GenerationJob.Status.FAILED:
        return None
    worker = f"{socket.gethostname()}:{os.getpid()}"
    if job.worker != worker:
        GenerationJob.objects.filter(pk=job_id).update(worker=worker)
    segment = job.segments.get(pk=segment_id)
    segment.campaign = job.campaign  # the same row, already loaded with its brand
    return job, segment


def segment_paint(*, job_id: int, segment_id: int) -> None:
    """Write the copy and paint the base image of every variant this segment still lacks."""
    loaded = _load(job_id, segment_id)
    if loaded is None:
        return
    job, segment = loaded
    n = job.variants_per_segment
    slots = job.slot_indexes
    done = set(Variant.objects.filter(job=job, segment=segment).values_list("index", flat=True))
    missing = [i for i in slots if i not in done]
    if not missing:
        record_stage(job_id=job.pk, segment_id=segment.pk, stage="paint", done=len(slots))
        return
    if job.is_variation:
        # variations builds on this module's rows and inserts: imported here, one way.
        from campaigns.services.variations import variations_paint

        variations_paint(job=job, segment=segment, missing=missing)
        return
    config = EngineConfig.from_dict(job.engine_config)
    campaign_brief = briefs.campaign_brief(job.campaign)
    segment_seed = derive_seed(job.seed, segment.pk)
    loads_before = registry.load_seconds()
    copywriter = registry.get_copywriter(config)
    painter = registry.get_painter(config)
    load = registry.load_seconds() - loads_before
    started = time.perf_counter()
    copies = copywriter.write(
        CopyRequest(
            campaign=campaign_brief,
            segment=briefs.segment_brief(segment),
            n=n,
            seed=segment_seed,
            inspiration=tuple(job.inspiration.get(str(segment.pk), [])),
        )
    )
    record_stage(
        job_id=job.pk,
        segment_id=segment.pk,
        stage="copy",
        done=len(slots),
        seconds=time.perf_counter() - started,
        load_seconds=load,
    )
    if len(copies) < n:
        raise EngineError(f"Copywriter returned {len(copies)} candidates, {n} were asked for.")
    library = library_candidates(job=job)
    sources = {i: _background(job, segment, i, copies[i], library) for i in missing}
    formats = list(job.campaign.formats.filter(is_active=True))
    assets = campaign_assets(campaign=job.campaign, brand=campaign_brief.brand)
    negative = negative_prompt(campaign_brief)
    seeds = {i: derive_seed(job.seed, segment.pk, i) for i in missing}
    places = {i: _places(painter, assets, job, copies[i], formats, i) for i in missing}
    # Every format's background of every missing variant, in one painter call (two when
    # some are painted around the product and some not).
    requests = [
        request
        for i in missing
        for request in background_requests(
            seed=seeds[i], concept=copies[i].image_prompt, negative=negative,
            brand=campaign_brief.brand, formats=formats, product_path=assets.product_path,
            places=places[i], **sources[i][0],
        )
    ]  # fmt: skip
    started = time.perf_counter()
    painted = paint_formats(painter=painter, requests=requests)
    paint_seconds = time.perf_counter() - started
    lineage_base = {
        "job_seed": job.seed,
        "segment_seed": segment_seed,
        "engine_config": job.engine_config,
        "copywriter": copywriter.describe(),
        "painter": painter.describe(),
    }
    per_variant = [painted[k * len(formats) : (k + 1) * len(formats)] for k in range(len(missing))]
    shots = [product_shot(backgrounds, assets.product) for backgrounds in per_variant]
    # The product shot is an intermediate, re-read by scoring: fast compression.
    pngs = encode_pngs(shots, compress_level=1)
    variants = []
    for i, backgrounds, png in zip(missing, per_variant, pngs, strict=True):
        prefix = f"job{job.pk}-s{segment.pk}-v{i}"
        templates = {slug: place.template for slug, place in places[i].items()}
        layers = backgrounds_store(
            prefix=prefix, formats=formats, painted=backgrounds, templates=templates
        )
        variants.append(
            new_variant(job, segment, i, copies[i], seeds[i], negative, backgrounds, png, layers,
                         {**lineage_base, "background": sources[i][1]})
        )  # fmt: skip
    variants_insert(variants=variants)
    record_stage(
        job_id=job.pk, segment_id=segment.pk, stage="paint", done=len(slots), seconds=paint_seconds
    )


def _background(job, segment, index, copy: AdCopy, library) -> tuple[dict, dict]:
    """(ImageRequest fields, lineage) of a variant's background source: for "library",
    the brand photo whose tags best match the copy's image concept."""
    source = job.background_source
    if source != GenerationJob.Background.LIBRARY:
        return {}, {"source": source}
    seed = derive_seed(job.seed, segment.pk, index)
    asset = library_choose(candidates=library, concept=copy.image_prompt, seed=seed)
    fields = {"asset_path": asset["path"], "asset_floor": asset["floor"]}
    lineage = {
        "source": source,
        "asset": {k: asset[k] for k in ("id", "title", "licence", "tags", "matched_words")},
    }
    return fields, lineage


def negative_prompt(campaign_brief) -> str:
    brand = campaign_brief.brand
    return ", ".join(["text", "watermark", "logo", "low quality", *brand.banned_terms])


def _places(painter, assets, job, copy: AdCopy, formats, index: int) -> dict:
    """The pre-layout of each format, where the painter paints around the product."""
    if not bakes_product(painter=painter, assets=assets):
        return {}
    return product_places(
        copy=copy, assets=assets, campaign=job.campaign, formats=formats, slot=index
    )


def product_shot(backgrounds, product):
    """The first format's background (the campaign's main one) with the product on it
    (already there, exactly, when the painter painted around it)."""
    first = backgrounds[0]
    layers = Layers(
        first.image, product, None, floor_y=first.floor_y, light_x=first.light_x,
        baked_box=baked_box(first.lineage),
    )  # fmt: skip
    return layout.product_shot(layers)


def new_variant(
    job, segment, index, copy, seed, negative, backgrounds, png, layers, lineage_base
) -> Variant:
    first = backgrounds[0]
    lineage = {
        **lineage_base,
        "seed": seed,
        "image_prompt": copy.image_prompt,
        "negative_prompt": negative,
        "size": list(first.image.size),
        "copy": copy.lineage,
        "image": first.lineage,
        "layers": "background per format (Variant.layers) + product cut-out + logo + copy",
    }
    nsfw = [b.nsfw_detected for b in backgrounds if b.nsfw_detected is not None]
    variant = Variant(
        job=job,
        campaign_id=job.campaign_id,
        segment=segment,
        index=index,
        # Zero-width and bidi controls never reach the database, renditions, exports or
        # the API, whatever a model or a typed product name put into the copy.
        headline=strip_hidden(copy.headline),
        body=strip_hidden(copy.body),
        cta=strip_hidden(copy.cta),
        image_prompt=strip_hidden(copy.image_prompt),
        seed=seed,
        parent_id=job.source_variant_id,
        nsfw_detected=any(nsfw) if nsfw else None,
        lineage=lineage,
        layers=layers,
    )
    variant.base_image.save(f"job{job.pk}-s{segment.pk}-v{index}.png", ContentFile(png), save=False)
    return variant


def variants_insert(*, variants: list[Variant]) -> None:
    """Insert a segment's new variants (base images already stored) in one statement.

    A twin delivery may have saved some of the slots first: then each is inserted on
    its own, theirs are kept and our files for those slots are dropped.
    """
    if not variants:
        return
    campaign_id = variants[0].campaign_id
    try:
        with transaction.atomic():
            Variant.objects.bulk_create(variants)
            # bulk_create sends no post_save, so the serving cache hears of it here.
            transaction.on_commit(lambda: state_invalidate(campaign_id=campaign_id))
    except IntegrityError:
        for variant in variants:
            try:
                with transaction.atomic():
                    variant.save()
            except IntegrityError:
                variant.base_image.delete(save=False)


def segment_finish(*, job_id: int, segment_id: int) -> None:
    """Score the segment's variants and lay out every format they lack, then close the job
    if this was the last segment."""
    loaded = _load(job_id, segment_id)
    if loaded is None:
        return
    job, segment = loaded
    variants = list(
        Variant.objects.filter(job=job, segment=segment)
        .select_related("campaign__brand")  # for the safety policy
        .order_by("index")
    )
    todo = [v for v in variants if v.status == Variant.Status.DRAFT]
    if todo:
        config = EngineConfig.from_dict(job.engine_config)
        _score(job, segment, todo, config)
        moderation.variants_screen(variants=todo)
        _render(job, segment, todo)
        for variant in todo:
            variant.refresh_from_db(fields=["status", "version"])
        clips.job_clips_queue(job=job, variants=todo)
    job_close_if_done(job_id=job.pk)


def _score(job, segment, variants: list[Variant], config: EngineConfig) -> None:
    history = scoring.history_for(campaign_id=job.campaign_id, exclude=Q(job=job, segment=segment))
    loads_before = registry.load_seconds()
    seconds = scoring.variants_score(
        variants=variants, segment=segment, config=config, history=history
    )
    record_stage(
        job_id=job.pk,
        segment_id=segment.pk,
        stage="score",
        done=len(job.slot_indexes),
        seconds=seconds,
        load_seconds=registry.load_seconds() - loads_before,
    )


def _render(job, segment, variants: list[Variant]) -> None:
    formats = list(job.campaign.formats.filter(is_active=True))
    engine_seconds = 0.0
    assets = render_assets(variant=variants[0]) if variants else None
    for variant in variants:
        engine_seconds += variant_render(
            variant=variant, formats=formats, assets=assets, status=Variant.Status.PENDING
        )
    record_stage(
        job_id=job.pk,
        segment_id=segment.pk,
        stage="layout",
        done=len(job.slot_indexes),
        seconds=engine_seconds,
    )
