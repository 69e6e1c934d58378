"""The stalled-job reaper: re-sends a generation job whose steps stopped moving.

A worker killed as a whole (kill -9 of its main process, an OOM kill) takes the message
it was running with it: the filesystem broker has already deleted it, and Redis gives it
back only after its visibility timeout (an hour by default). Every step of a job is
idempotent, so sending `run_job` again is safe: it re-dispatches every segment, whose
steps do only what the database still lacks.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campaigns.models import GenerationJob
from campaigns.selectors_workers import WorkerHealth, job_last_activity, worker_health
from campaigns.services.generation import job_fail

logger = logging.getLogger(__name__)

UNFINISHED = (GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING)


def job_reap_stalled(
    *, now: datetime | None = None, stall_seconds: float | None = None
) -> list[int]:
    """Re-dispatch every stalled job and return their ids.

    A job is stalled when nothing has moved it for `stall_seconds`
    (STUDIO_JOB_STALL_SECONDS) and the pool process that last ran one of its steps
    belongs to no live worker; a step still running in a live process counts as stalled
    only past the hard time limit. Nothing is sent while no worker takes jobs (the
    message would only wait behind the lost one's twin). After
    STUDIO_JOB_MAX_REDISPATCHES re-sends the job fails with a message instead.
    """
    now = now or timezone.now()
    stall = timedelta(
        seconds=settings.STUDIO_JOB_STALL_SECONDS if stall_seconds is None else stall_seconds
    )
    health = worker_health(now=now)
    if not health.taking:
        return []
    reaped = []
    for job in GenerationJob.objects.filter(status__in=UNFINISHED, created_at__lt=now - stall):
        if _is_stalled(job, health, now, stall) and _redispatch(job.pk, now, stall):
            reaped.append(job.pk)
    return reaped


def _is_stalled(job: GenerationJob, health: WorkerHealth, now: datetime, stall: timedelta) -> bool:
    idle = now - job_last_activity(job)
    if job.worker and job.worker in health.processes:
        # Its step may still be running (a long diffusion batch): the time limit decides.
        return idle > stall + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return idle > stall


def _redispatch(job_id: int, now: datetime, stall: timedelta) -> bool:
    from campaigns import tasks  # tasks import services; import here breaks the cycle

    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        # Re-read under the lock: a step may have landed, or another reaper re-sent it.
        if job.is_finished or now - job_last_activity(job) <= stall:
            return False
        if job.redispatches >= settings.STUDIO_JOB_MAX_REDISPATCHES:
            job_fail(
                job_id=job_id,
                message=f"The job stopped progressing and was re-sent {job.redispatches} "
                "times without finishing: its workers keep dying (out of memory?). "
                "See the worker logs.",
            )
            return False
        job.redispatches += 1
        job.progressed_at = now  # the next re-send waits another stall period
        job.save(update_fields=["redispatches", "progressed_at"])
        logger.warning("Job %s stopped progressing; re-dispatching (%s)", job_id, job.redispatches)
        transaction.on_commit(lambda: tasks.run_job.delay(job_id))
    return True
