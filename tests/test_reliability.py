"""A real worker killed as a whole, and a worker whose pool hangs, on the configured broker
(filesystem by default; Redis with CELERY_BROKER_URL=redis://...)."""

from __future__ import annotations

import os
import signal

import pytest
from django.conf import settings
from django.utils import timezone

from campaigns.models import GenerationJob, Rendition, Variant, WorkerHeartbeat
from campaigns.selectors_workers import job_worker_notice
from campaigns.services import generation
from campaigns.services.reaper import job_reap_stalled
from tests.worker import WorkerProcess, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BEAT = {"STUDIO_WORKER_HEARTBEAT_SECONDS": "0.5", "STUDIO_WORKER_STUCK_SECONDS": "2"}


@pytest.fixture(autouse=True)
def fast_heartbeats(settings):
    settings.STUDIO_WORKER_HEARTBEAT_SECONDS = 0.5  # this process reads the rows
    settings.STUDIO_QUEUED_WARNING_SECONDS = 0


def finished(job):
    job.refresh_from_db()
    return job.is_finished


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def blocked_reading(pid: int) -> bool:
    """The process sleeps in the kernel waiting for a task (a pipe read, or a poll for
    one), not still starting up (Linux /proc)."""
    with open(f"/proc/{pid}/wchan") as wchan:
        where = wchan.read()
    return any(word in where for word in ("pipe_read", "poll", "select"))


def live_heartbeat(worker):
    row = WorkerHeartbeat.objects.filter(pid=worker.proc.pid).first()
    recent = row and (timezone.now() - row.last_seen).total_seconds() < 1.5
    return row if recent and row.processes else None


def test_worker_main_process_killed_mid_job_is_reaped(start_worker, campaign, segments, tmp_path):
    first = start_worker(extra_env=BEAT)
    job = generation.job_start(campaign=campaign, segments=segments, variants_per_segment=3, seed=7)
    seg = segments[0]
    formats = campaign.formats.count()

    def mid_job():
        job.refresh_from_db()
        painted = Variant.objects.filter(job=job, segment=seg).count() == 3
        laid_out = Rendition.objects.filter(variant__job=job, variant__segment=seg).count()
        return job.worker if painted and 0 < laid_out < 3 * formats else None

    child = int(wait_for(mid_job, timeout=120, interval=0.01, worker=first).split(":")[1])
    os.kill(first.proc.pid, signal.SIGKILL)  # the main process, as an OOM kill does
    first.proc.wait()
    wait_for(lambda: not pid_alive(child), timeout=30)  # Celery's PDEATHSIG takes the child
    job.refresh_from_db()
    assert not job.is_finished
    # A new worker on the same broker: whatever the broker still holds stays there.
    second = WorkerProcess(tmp_path / "second.log", extra_env=BEAT)
    try:
        wait_for(lambda: live_heartbeat(second), timeout=30, worker=second)

        def reaped_and_done():
            job_reap_stalled(stall_seconds=2)  # what the beat task runs every minute
            return finished(job)

        wait_for(reaped_and_done, timeout=180, interval=0.5, worker=second)
    finally:
        second.stop()
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error + second.log_path.read_text()
    assert job.redispatches >= 1, "the reaper, not the broker, recovered the lost message"
    assert job.worker.split(":")[1] != str(child), "a new worker's process finished it"
    assert Variant.objects.filter(job=job).count() == 6
    assert Rendition.objects.filter(variant__job=job).count() == 6 * formats
    assert not Variant.objects.filter(job=job, status=Variant.Status.DRAFT).exists()
    assert not WorkerHeartbeat.objects.filter(pid=second.proc.pid).exists(), (
        "a worker stopped cleanly removes its heartbeat"
    )


def test_idle_pool_child_killed(start_worker, campaign, segments):
    """Kill -9 an idle pool child, then queue a job. On Redis (Celery's async pool, one pipe
    per child) the replacement takes it. On the filesystem broker the pool is billiard's
    threaded one, whose children share a lock an idle child holds while it waits for a
    task: the replacement blocks on it, the studio says so, and after twice
    STUDIO_WORKER_STUCK_SECONDS the heartbeat frees the dead child's lock."""
    worker = start_worker(extra_env=BEAT)
    row = wait_for(lambda: live_heartbeat(worker), timeout=30, worker=worker)
    (idle_child,) = row.processes
    wait_for(lambda: blocked_reading(idle_child), timeout=60, worker=worker)
    os.kill(idle_child, signal.SIGKILL)
    job = generation.job_start(campaign=campaign, segments=segments[:1], variants_per_segment=1)
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        wait_for(lambda: finished(job), timeout=120, worker=worker)
        assert job.status == GenerationJob.Status.SUCCEEDED, job.error
        assert job_worker_notice(job=job) == ""
        return
    stuck = wait_for(
        lambda: WorkerHeartbeat.objects.filter(
            pid=worker.proc.pid, stuck_since__isnull=False
        ).first(),
        timeout=60,
        worker=worker,
    )
    assert idle_child not in stuck.processes
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.QUEUED
    notice = job_worker_notice(job=job)
    assert notice.startswith("No worker is taking jobs") and "Restart the worker" in notice
    # Then the heartbeat frees the dead child's lock and the job runs after all.
    wait_for(lambda: finished(job), timeout=120, worker=worker)
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    assert "lock was held by a dead pool process" in worker.log_path.read_text()
    wait_for(lambda: live_heartbeat(worker) and not live_heartbeat(worker).stuck_since)
