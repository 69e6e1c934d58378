"""A generation round: start a job, dispatch its segments, record a failure, or run every
step in this process. The per-segment steps themselves are in segment_steps.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns import events
from campaigns.models import AudienceSegment, Campaign, GenerationJob, Variant
from campaigns.models.generation import STAGES
from campaigns.selectors_assets import assets_for_backdrops
from campaigns.services import briefs, clips
from campaigns.services.segment_steps import segment_finish, segment_paint
from studio.engine.registry import EngineConfig
from studio.engine.types import EngineError
from studio.observability.metrics import JOB_QUEUE_WAIT_SECONDS

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
    background_source: str | None = None,
    variation: dict | None = None,
    animate: dict | None = None,
    enqueue: bool = True,
) -> GenerationJob:
    """Validate, create the job and enqueue it once the transaction commits.

    With `source_variant`, the job regenerates that one variant: it runs the same
    engine path with the same round size (so the copywriter sees the same request)
    but fills only the source's slot, in its segment. With `variation` too
    ({"strength": s}), it makes `variants_per_segment` variations of it instead
    (services/variations.py).
    """
    segments = list(segments)
    _validate_start(campaign, segments, variants_per_segment)
    if source_variant is not None and segments != [source_variant.segment]:
        raise ValidationError({"segments": "A regeneration runs in its variant's segment."})
    if variation is not None and source_variant is None:
        raise ValidationError("A variation job needs the variant it varies.")
    regenerating = source_variant is not None and variation is None
    slots = 1 if regenerating else variants_per_segment
    config = engine_config or briefs.default_engine_config().as_dict()
    EngineConfig.from_dict(config)  # refuse unknown settings before anything is saved
    background_source, config = background_choose(
        campaign=campaign, background_source=background_source, engine_config=config
    )
    animate = clips.clips_animate_record(**animate) if animate else {}
    with transaction.atomic():
        job = GenerationJob.objects.create(
            campaign=campaign,
            created_by=user,
            variants_per_segment=variants_per_segment,
            seed=seed if seed is not None else random.SystemRandom().randrange(2**31),
            engine_config=config,
            background_source=background_source,
            inspiration=inspiration or {},
            animate=animate,
            source_variant=source_variant,
            only_index=source_variant.index if regenerating else None,
            variation=variation,
            progress={stage: {"done": 0, "total": len(segments) * slots} for stage in STAGES},
        )
        job.segments.set(segments)
        if enqueue:
            from campaigns import tasks  # tasks import services; import here breaks the cycle

            transaction.on_commit(lambda: tasks.run_job.delay(job.pk))
    return job


def background_choose(
    *, campaign: Campaign, background_source: str | None, engine_config: dict
) -> tuple[str, dict]:
    """The round's background source and the engine config that paints it.

    backdrop and library are painted by the backdrop painter (the offline procedural
    painter may stand in for backdrop); model needs a configured image model. None
    keeps what the engine config implies."""
    painter = engine_config.get("painter", "backdrop")
    sources = GenerationJob.Background
    if background_source is None:
        background_source = sources.MODEL if painter == "diffusers" else sources.BACKDROP
    if background_source not in sources.values:
        raise ValidationError({"background": f"Unknown background source {background_source!r}."})
    if background_source == sources.MODEL:
        if painter != "diffusers":
            raise ValidationError(
                {
                    "background": "No image model is configured for this preset; "
                    "choose backdrop or library."
                }
            )
        return background_source, engine_config
    if (
        background_source == sources.LIBRARY
        and not assets_for_backdrops(brand_id=campaign.brand_id).exists()
    ):
        raise ValidationError(
            {
                "background": "The brand's asset library has no background, lifestyle or texture "
                "photo yet; upload one or choose backdrop."
            }
        )
    # Only a painter that cannot paint this source is swapped for the backdrop painter; an
    # unknown name is left for the engine to refuse with its own message.
    cannot = {"diffusers"} if background_source == sources.BACKDROP else {"diffusers", "procedural"}
    if painter in cannot:
        engine_config = {**engine_config, "painter": "backdrop"}
    return background_source, engine_config


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
            wait = (job.started_at - job.created_at).total_seconds()
            transaction.on_commit(lambda: JOB_QUEUE_WAIT_SECONDS.observe(wait))
        return list(job.segments.order_by("pk").values_list("pk", flat=True))


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
        events.job_finished(job)


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
