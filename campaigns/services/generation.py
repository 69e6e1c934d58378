"""A generation round: start a job, then per segment paint (copy + images) and finish
(scores + renditions), then close the job.

Every step is idempotent: it looks at what the database already holds and does only
the rest, so a task re-delivered after a worker died finishes without duplicates.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from campaigns.models import AudienceSegment, Campaign, GenerationJob, Variant
from campaigns.models.generation import STAGES
from campaigns.services import briefs, moderation, scoring
from campaigns.services.progress import record_stage
from campaigns.services.rendering import base_image_open, variant_render
from campaigns.services.serving_state import state_invalidate
from studio.engine import registry
from studio.engine.encode import derive_seed, encode_pngs
from studio.engine.registry import EngineConfig
from studio.engine.types import AdCopy, CopyRequest, EngineError, ImageRequest

logger = logging.getLogger(__name__)


def job_start(
    *,
    campaign: Campaign,
    segments: Iterable[AudienceSegment],
    variants_per_segment: int,
    user=None,
    engine_config: dict | None = None,
    seed: int | None = None,
    inspiration: dict[str, list[str]] | None = None,
    source_variant: Variant | None = None,
    enqueue: bool = True,
) -> GenerationJob:
    """Validate, create the job and enqueue it once the transaction commits.

    With `source_variant`, the job regenerates that one variant: it runs the same
    engine path with the same round size (so the copywriter sees the same request)
    but fills only the source's slot, in its segment.
    """
    segments = list(segments)
    _validate_start(campaign, segments, variants_per_segment)
    if source_variant is not None and segments != [source_variant.segment]:
        raise ValidationError({"segments": "A regeneration runs in its variant's segment."})
    slots = 1 if source_variant is not None else variants_per_segment
    config = engine_config or briefs.default_engine_config().as_dict()
    EngineConfig.from_dict(config)  # refuse unknown settings before anything is saved
    with transaction.atomic():
        job = GenerationJob.objects.create(
            campaign=campaign,
            created_by=user,
            variants_per_segment=variants_per_segment,
            seed=seed if seed is not None else random.SystemRandom().randrange(2**31),
            engine_config=config,
            inspiration=inspiration or {},
            source_variant=source_variant,
            only_index=source_variant.index if source_variant is not None else None,
            progress={stage: {"done": 0, "total": len(segments) * slots} for stage in STAGES},
        )
        job.segments.set(segments)
        if enqueue:
            from campaigns import tasks  # tasks import services; import here breaks the cycle

            transaction.on_commit(lambda: tasks.run_job.delay(job.pk))
    return job


def _validate_start(campaign: Campaign, segments: list[AudienceSegment], n: int) -> None:
    errors = {}
    if not segments:
        errors["segments"] = "Choose at least one audience segment."
    elif any(s.campaign_id != campaign.pk for s in segments):
        errors["segments"] = "Every segment must belong to this campaign."
    if not campaign.formats.exists():
        errors["formats"] = "The campaign has no ad formats; add at least one."
    limit = settings.STUDIO_MAX_VARIANTS_PER_SEGMENT
    if not 1 <= n <= limit:
        errors["variants_per_segment"] = f"Variants per segment must be between 1 and {limit}."
    if errors:
        raise ValidationError(errors)


def job_dispatch(*, job_id: int) -> list[int]:
    """Mark the job running and return the segment ids whose work must be enqueued.

    A re-delivered dispatch of a running job returns the segments again; their
    tasks are idempotent, so enqueueing twice costs a little time and nothing else.
    """
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return []
        if job.status == GenerationJob.Status.QUEUED:
            job.status = GenerationJob.Status.RUNNING
            job.started_at = timezone.now()
            job.save(update_fields=["status", "started_at"])
        return list(job.segments.order_by("pk").values_list("pk", flat=True))


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
        headline=copy.headline,
        body=copy.body,
        cta=copy.cta,
        image_prompt=copy.image_prompt,
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
    try:
        with transaction.atomic():
            Variant.objects.bulk_create(variants)
    except IntegrityError:
        for variant in variants:
            try:
                with transaction.atomic():
                    variant.save()
            except IntegrityError:
                variant.base_image.delete(save=False)
        return
    # bulk_create sends no post_save, so the serving cache hears of it here.
    state_invalidate(campaign_id=variants[0].campaign_id)


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


def job_close_if_done(*, job_id: int) -> bool:
    """Mark the job succeeded once every slot has a reviewed-ready variant."""
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return job.status == GenerationJob.Status.SUCCEEDED
        expected = len(job.slot_indexes) * job.segments.count()
        ready = job.variants.exclude(status=Variant.Status.DRAFT).count()
        if ready < expected:
            return False
        job.status = GenerationJob.Status.SUCCEEDED
        job.finished_at = timezone.now()
        # From creation, so the broker's first hop counts against the pipeline too.
        wall = (job.finished_at - job.created_at).total_seconds()
        engine = sum(v for k, v in job.timings.items() if k in STAGES)
        job.timings = {**job.timings, "wall": wall, "engine": engine}
        job.save(update_fields=["status", "finished_at", "timings"])
        return True


def job_fail(*, job_id: int, message: str) -> None:
    """Record a readable failure; later steps of the job see it and stop."""
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.status == GenerationJob.Status.SUCCEEDED:
            return
        job.status = GenerationJob.Status.FAILED
        job.error = message[:4000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])


def job_run_sync(*, job_id: int, on_step=None) -> GenerationJob:
    """Run every step of a job in this process (terminal and tests), in task order.

    Failures are recorded on the job exactly as the Celery tasks record them;
    `on_step(job)` is called after each step, for a progress display.
    """
    for segment_id in job_dispatch(job_id=job_id):
        for step in (segment_paint, segment_finish):
            try:
                step(job_id=job_id, segment_id=segment_id)
            except EngineError as exc:
                job_fail(job_id=job_id, message=str(exc))
                return GenerationJob.objects.get(pk=job_id)
            if on_step is not None:
                on_step(GenerationJob.objects.get(pk=job_id))
    return GenerationJob.objects.get(pk=job_id)
