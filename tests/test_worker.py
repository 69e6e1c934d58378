"""A real Celery worker process on the configured broker (filesystem locally, Redis in CI)
running generation jobs end to end against the real database."""

from __future__ import annotations

import os
import signal

import pytest

from campaigns.models import GenerationJob, Rendition, Variant
from campaigns.services import generation
from tests.worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def finished(job):
    job.refresh_from_db()
    return job.is_finished


def start(campaign, segments, n, seed=11, **kwargs):
    # on_commit fires at once: these tests run outside a wrapping transaction.
    return generation.job_start(
        campaign=campaign, segments=segments, variants_per_segment=n, seed=seed, **kwargs
    )


def test_worker_runs_a_job_end_to_end(worker, campaign, segments):
    job = start(campaign, segments, n=2)
    wait_for(lambda: finished(job))
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error + worker.log_path.read_text()
    assert job.variants.count() == 4
    assert Rendition.objects.filter(variant__job=job).count() == 4 * campaign.formats.count()
    assert job.worker.split(":")[1].isdigit()


def test_worker_killed_mid_job_finishes_on_redelivery(worker, campaign, segments):
    job = start(campaign, segments, n=3)
    first = segments[0]

    def mid_job():
        job.refresh_from_db()
        painted = Variant.objects.filter(job=job, segment=first).count() == 3
        laid_out = Rendition.objects.filter(variant__job=job, variant__segment=first).count()
        return job.worker if painted and 0 < laid_out < 3 * campaign.formats.count() else None

    victim = wait_for(mid_job, timeout=120, interval=0.01)
    os.kill(int(victim.split(":")[1]), signal.SIGKILL)  # the pool child running the task
    wait_for(lambda: finished(job))
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error + worker.log_path.read_text()
    assert job.worker != victim, "a new worker process should have finished the job"
    assert "WorkerLostError" in worker.log_path.read_text()
    assert Variant.objects.filter(job=job).count() == 6
    assert Rendition.objects.filter(variant__job=job).count() == 6 * campaign.formats.count()
    assert not Variant.objects.filter(job=job, status=Variant.Status.DRAFT).exists()


def test_failing_backend_fails_the_job_and_worker_keeps_serving(worker, campaign, segments):
    bad = start(campaign, segments[:1], n=1, engine_config={"painter": "no-such-painter"})
    wait_for(lambda: finished(bad))
    assert bad.status == GenerationJob.Status.FAILED
    assert "Unknown painter backend 'no-such-painter'" in bad.error
    good = start(campaign, segments[:1], n=1)
    wait_for(lambda: finished(good))
    assert good.status == GenerationJob.Status.SUCCEEDED, good.error
