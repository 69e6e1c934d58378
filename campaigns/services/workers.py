"""Worker heartbeats: each Celery worker's main process records itself every few
seconds (studio.heartbeat) and removes its row on a clean shutdown."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from campaigns.models import WorkerHeartbeat


def worker_heartbeat_record(
    *,
    name: str,
    hostname: str,
    pid: int,
    processes: list[int],
    queues: list[str],
    active: int,
    stuck_since: datetime | None,
    started_at: datetime,
) -> WorkerHeartbeat:
    row, _ = WorkerHeartbeat.objects.update_or_create(
        name=name,
        defaults={
            "hostname": hostname,
            "pid": pid,
            "processes": sorted(processes),
            "queues": sorted(queues),
            "active": active,
            "stuck_since": stuck_since,
            "started_at": started_at,
            "last_seen": timezone.now(),
        },
    )
    return row


def worker_heartbeat_remove(*, name: str) -> None:
    WorkerHeartbeat.objects.filter(name=name).delete()
