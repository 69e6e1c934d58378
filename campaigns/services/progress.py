"""Per-stage progress and timings of a generation job, and its close once every slot
is ready.

Each segment task *sets* its own counts (never increments), so a re-delivered task
cannot count twice; the job-wide figures are sums over segments.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from campaigns import events
from campaigns.models import GenerationJob, Variant
from campaigns.models.generation import STAGES
from studio.observability.metrics import GENERATION_STAGE_SECONDS


def record_stage(
    *,
    job_id: int,
    segment_id: int,
    stage: str,
    done: int,
    seconds: float | None = None,
    load_seconds: float | None = None,
) -> None:
    """Set a segment's progress for a stage; `load_seconds` is the model-loading time
    the stage paid before it could start (zero once the worker has the models)."""
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        per_segment = job.progress.setdefault("segments", {}).setdefault(str(segment_id), {})
        per_segment[stage] = done
        if seconds is not None:
            seg_times = job.timings.setdefault("segments", {}).setdefault(str(segment_id), {})
            seg_times[stage] = round(seconds, 4)
        if load_seconds is not None:
            seg_times = job.timings.setdefault("segments", {}).setdefault(str(segment_id), {})
            seg_times[f"load_{stage}"] = round(load_seconds, 4)
        _aggregate(job)
        job.progressed_at = timezone.now()  # what the stalled-job reaper watches
        job.save(update_fields=["progress", "timings", "progressed_at"])
    if seconds is not None:
        GENERATION_STAGE_SECONDS.labels(stage=stage).observe(seconds)


def _aggregate(job: GenerationJob) -> None:
    segments = job.progress.get("segments", {})
    seg_times = job.timings.get("segments", {})
    for stage in STAGES:
        total = job.progress.get(stage, {}).get("total", 0)
        done = sum(s.get(stage, 0) for s in segments.values())
        job.progress[stage] = {"done": min(done, total), "total": total}
        job.timings[stage] = round(sum(s.get(stage, 0.0) for s in seg_times.values()), 4)
    job.timings["load"] = round(
        sum(v for s in seg_times.values() for k, v in s.items() if k.startswith("load_")), 4
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
        events.job_finished(job)
        return True
