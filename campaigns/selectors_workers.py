"""Reads about worker health: which Celery workers are alive and taking jobs (from their
heartbeat rows), and what to tell a person whose job nothing is working on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.timesince import timesince

from campaigns.models import GenerationJob, WorkerHeartbeat

# A worker that missed this many beats in a row is taken for gone.
MISSED_BEATS = 3


def heartbeat_timeout() -> timedelta:
    return timedelta(seconds=MISSED_BEATS * settings.STUDIO_WORKER_HEARTBEAT_SECONDS)


@dataclass(frozen=True)
class WorkerHealth:
    live: tuple[WorkerHeartbeat, ...]  # reported within the heartbeat timeout
    last_seen: datetime | None  # the latest beat of any worker, alive or not

    @property
    def taking(self) -> tuple[WorkerHeartbeat, ...]:
        """Live workers whose pool is not stuck: they take jobs."""
        return tuple(w for w in self.live if w.stuck_since is None)

    @property
    def stuck(self) -> tuple[WorkerHeartbeat, ...]:
        return tuple(w for w in self.live if w.stuck_since is not None)

    @property
    def processes(self) -> frozenset[str]:
        """ "host:pid" of every pool process of a live worker (GenerationJob.worker's form)."""
        return frozenset(f"{w.hostname}:{pid}" for w in self.live for pid in w.processes)


def worker_health(*, now: datetime | None = None) -> WorkerHealth:
    now = now or timezone.now()
    rows = list(WorkerHeartbeat.objects.all())
    live = tuple(w for w in rows if w.last_seen >= now - heartbeat_timeout())
    return WorkerHealth(live=live, last_seen=max((w.last_seen for w in rows), default=None))


def job_last_activity(job: GenerationJob) -> datetime:
    """When anything last happened to the job: created, started, a step landed, re-sent."""
    return max(t for t in (job.created_at, job.started_at, job.progressed_at) if t is not None)


def job_worker_notice(
    *, job: GenerationJob, health: WorkerHealth | None = None, now: datetime | None = None
) -> str:
    """A sentence saying that no worker is taking jobs, when the job has waited longer than
    STUDIO_QUEUED_WARNING_SECONDS and no live worker can take it; "" otherwise."""
    if job.is_finished:
        return ""
    now = now or timezone.now()
    waited = now - job_last_activity(job)
    if waited.total_seconds() < settings.STUDIO_QUEUED_WARNING_SECONDS:
        return ""
    health = health or worker_health(now=now)
    if health.taking:
        return ""
    moved = "has been queued" if job.status == GenerationJob.Status.QUEUED else "has not moved"
    lead = f"No worker is taking jobs: this job {moved} for {timesince(now - waited, now)}"
    if health.stuck:
        names = ", ".join(w.name for w in health.stuck)
        return (
            f"{lead} and {names} holds a task that no pool process starts (stuck since "
            f"{timezone.localtime(min(w.stuck_since for w in health.stuck)):%H:%M:%S}). "
            "Restart the worker."
        )
    if health.last_seen is None:
        return f"{lead} and no worker has ever reported in. Start one (see README, Worker health)."
    return (
        f"{lead} and no worker has reported in for {timesince(health.last_seen, now)}. "
        "Start or restart a worker (see README, Worker health)."
    )
