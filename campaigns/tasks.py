"""Thin Celery tasks: ids in, one service call, failures recorded on the job."""

from __future__ import annotations

import logging

from celery import Task, chain, shared_task
from celery.exceptions import SoftTimeLimitExceeded

from campaigns.services import edits, exports, generation, segment_steps
from studio.engine.types import EngineError, TransientEngineError

logger = logging.getLogger(__name__)


class JobTask(Task):
    """Turns any failure into a readable message on the job, so the page can show it
    and the worker goes on serving other jobs."""

    autoretry_for = (TransientEngineError,)
    retry_backoff = 5
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 5

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_id = args[0] if args else kwargs.get("job_id")
        if job_id is not None:
            generation.job_fail(job_id=job_id, message=_describe(self.name, exc))


def _describe(task_name: str, exc: BaseException) -> str:
    stage = task_name.rsplit(".", 1)[-1].replace("_", " ")
    if isinstance(exc, SoftTimeLimitExceeded):
        return f"{stage}: took longer than the time limit and was stopped."
    if isinstance(exc, EngineError):
        return f"{stage}: {exc}"
    return f"{stage}: unexpected {type(exc).__name__}: {exc}"


@shared_task(base=JobTask, bind=True, acks_late=True)
def run_job(self, job_id: int) -> None:
    for segment_id in generation.job_dispatch(job_id=job_id):
        chain(paint_segment.si(job_id, segment_id), finish_segment.si(job_id, segment_id)).delay()


@shared_task(base=JobTask, bind=True, acks_late=True)
def paint_segment(self, job_id: int, segment_id: int) -> None:
    segment_steps.segment_paint(job_id=job_id, segment_id=segment_id)


@shared_task(base=JobTask, bind=True, acks_late=True)
def finish_segment(self, job_id: int, segment_id: int) -> None:
    segment_steps.segment_finish(job_id=job_id, segment_id=segment_id)


# --- Moderation and export ---------------------------------------------------------------


class ExportTask(Task):
    """A failed build leaves a readable message on the export, never a half ZIP."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        export_id = args[0] if args else kwargs.get("export_id")
        if export_id is not None:
            exports.export_fail(export_id=export_id, message=_describe("build export", exc))


@shared_task(base=ExportTask, bind=True, acks_late=True)
def build_export(self, export_id: int) -> None:
    exports.export_build(export_id=export_id)


@shared_task(acks_late=True)
def purge_events() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): apply the event retention period."""
    from campaigns.serving.services.retention import events_purge

    return events_purge().events


@shared_task(bind=True, acks_late=True, autoretry_for=(TransientEngineError,), max_retries=5)
def refresh_edited_variant(self, variant_id: int, version: int) -> None:
    """After a copy edit (a designer's, or a moderator's fix): score the new words,
    redraw every format and re-queue the variant's clips."""
    edits.variant_rerender(variant_id=variant_id, version=version)


@shared_task(acks_late=True)
def train_contextual_policies() -> list[int]:
    """Periodic (CELERY_BEAT_SCHEDULE): a new contextual-policy version for each campaign
    that serves with it and had events since its last version."""
    from campaigns.serving.services.contextual_policy import policies_train_all

    return policies_train_all()


@shared_task(acks_late=True)
def reap_stalled_jobs() -> list[int]:
    """Periodic (CELERY_BEAT_SCHEDULE): re-send jobs whose steps stopped moving."""
    from campaigns.services.reaper import job_reap_stalled

    return job_reap_stalled()


@shared_task(acks_late=True)
def apply_fatigue_actions() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): act on creatives that wore out (each episode once)."""
    from campaigns.serving.services.fatigue_actions import fatigue_actions_run

    return fatigue_actions_run()


# --- Animated creatives -----------------------------------------------------------------


class ClipTask(Task):
    """A clip that cannot be made says why on its card; the worker goes on."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        clip_id = args[0] if args else kwargs.get("clip_id")
        if clip_id is not None:
            from campaigns.services.clips import clip_fail

            clip_fail(clip_id=clip_id, message=_describe("render clip", exc))


# Queue and time limits: CELERY_TASK_ROUTES and CELERY_TASK_ANNOTATIONS in settings.
@shared_task(base=ClipTask, bind=True, acks_late=True)
def render_clip(self, clip_id: int) -> None:
    from campaigns.services.clip_render import clip_render  # av and the motion engine

    clip_render(clip_id=clip_id)


# --- Webhooks ----------------------------------------------------------------------------


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> None:
    """One attempt; the service says when (if ever) to try again: exponential backoff,
    capped by STUDIO_WEBHOOK_MAX_ATTEMPTS."""
    from campaigns.services.webhooks import webhook_attempt

    retry_in = webhook_attempt(delivery_id=delivery_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)
