"""The per-segment steps of a generation round: paint (copy + base images), then finish
(scores, screening, renditions), each run by its own Celery task.

Every step is idempotent: it looks at what the database already holds and does only
the rest, so a task re-delivered after a worker died finishes without duplicates.
"""

from __future__ import annotations

import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q

from campaigns.models import AudienceSegment, GenerationJob, Variant
from campaigns.services import briefs, moderation, scoring
from campaigns.services.progress import job_close_if_done, record_stage
from campaigns.services.rendering import base_image_open, variant_render
from campaigns.services.serving_state import state_invalidate
from studio.engine import registry
from studio.engine.encode import derive_seed, encode_pngs
from studio.engine.registry import EngineConfig
from studio.engine.types import AdCopy, CopyRequest, EngineError, ImageRequest
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
    requests = [_image_request(job, segment, i, copies[i], campaign_brief) for i in missing]
    started = time.perf_counter()
    painted = painter.paint(requests)
    paint_seconds = time.perf_counter() - started
    lineage_base = {
        "job_seed": job.seed,
        "segment_seed": segment_seed,
        "engine_config": job.engine_config,
        "copywriter": copywriter.describe(),
        "painter": painter.describe(),
    }
    # The base image is an intermediate, re-read by scoring and layout: fast compression.
    pngs = encode_pngs([p.image for p in painted], compress_level=1)
    variants_insert(
        variants=[
            _new_variant(job, segment, i, copies[i], request, image, png, lineage_base)
            for i, request, image, png in zip(missing, requests, painted, pngs, strict=True)
        ]
    )
    record_stage(
        job_id=job.pk, segment_id=segment.pk, stage="paint", done=len(slots), seconds=paint_seconds
    )


def _image_request(job, segment, index, copy: AdCopy, campaign_brief) -> ImageRequest:
    size = settings.STUDIO_BASE_IMAGE_SIZE
    brand = campaign_brief.brand
    negative = ", ".join(["text", "watermark", "logo", "low quality", *brand.banned_terms])
    return ImageRequest(
        prompt=copy.image_prompt,
        seed=derive_seed(job.seed, segment.pk, index),
        width=size,
        height=size,
        negative_prompt=negative,
        palette=brand.palette,
        product_image_path=campaign_brief.product_image_path,
    )


def _new_variant(job, segment, index, copy, request, painted, png, lineage_base) -> Variant:
    lineage = {
        **lineage_base,
        "seed": request.seed,
        "image_prompt": request.prompt,
        "negative_prompt": request.negative_prompt,
        "size": [request.width, request.height],
        "copy": copy.lineage,
        "image": painted.lineage,
    }
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
        seed=request.seed,
        parent_id=job.source_variant_id,
        nsfw_detected=painted.nsfw_detected,
        lineage=lineage,
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
    brand = briefs.brand_brief(job.campaign.brand)
    formats = list(job.campaign.formats.filter(is_active=True))
    engine_seconds = 0.0
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The next base images decode (Pillow drops the GIL) while this one is laid out.
        bases = pool.map(base_image_open, variants)
        for variant, base in zip(variants, bases, strict=True):
            engine_seconds += variant_render(
                variant=variant,
                formats=formats,
                brand=brand,
                base=base,
                status=Variant.Status.PENDING,
            )
    record_stage(
        job_id=job.pk,
        segment_id=segment.pk,
        stage="layout",
        done=len(job.slot_indexes),
        seconds=engine_seconds,
    )
