"""Worker health without a worker process: heartbeats decide whether a waiting job says
"no worker is taking jobs" (job fragment, campaign page, `generate --queue`), and the
stalled-job reaper decides which jobs to send again."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from campaigns import roles
from campaigns.models import GenerationJob, WorkerHeartbeat
from campaigns.selectors_workers import job_worker_notice
from campaigns.services import generation
from campaigns.services.reaper import job_reap_stalled

pytestmark = pytest.mark.django_db
NO_WORKER = "No worker is taking jobs"


def queued_job(campaign, segments, *, age_seconds=600, **fields):
    job = generation.job_start(
        campaign=campaign, segments=segments, variants_per_segment=1, seed=3, enqueue=False
    )
    long_ago = timezone.now() - timedelta(seconds=age_seconds)
    GenerationJob.objects.filter(pk=job.pk).update(created_at=long_ago, **fields)
    job.refresh_from_db()
    return job


def beat(name="celery@box", *, age_seconds=0, processes=(4242,), stuck=False):
    now = timezone.now()
    return WorkerHeartbeat.objects.update_or_create(
        name=name,
        defaults={
            "hostname": "box",
            "pid": 4000,
            "processes": list(processes),
            "queues": ["default", "images", "render"],
            "started_at": now - timedelta(hours=1),
            "last_seen": now - timedelta(seconds=age_seconds),
            "stuck_since": now - timedelta(minutes=3) if stuck else None,
        },
    )[0]


def test_a_job_waiting_with_no_worker_says_so(campaign, segments):
    job = queued_job(campaign, segments, age_seconds=300)
    notice = job_worker_notice(job=job)
    assert notice.startswith(NO_WORKER)
    assert "queued for 5\xa0minutes" in notice and "no worker has ever reported in" in notice

    beat(age_seconds=3600)  # a worker that died an hour ago
    assert "no worker has reported in for 1\xa0hour" in job_worker_notice(job=job)

    beat()  # alive
    assert job_worker_notice(job=job) == ""


def test_a_fresh_job_or_a_finished_one_says_nothing(campaign, segments):
    assert job_worker_notice(job=queued_job(campaign, segments, age_seconds=5)) == ""
    done = queued_job(campaign, segments, status=GenerationJob.Status.SUCCEEDED)
    assert job_worker_notice(job=done) == ""


def test_a_stuck_worker_is_not_taking_jobs(campaign, segments):
    beat(stuck=True)
    notice = job_worker_notice(job=queued_job(campaign, segments))
    assert notice.startswith(NO_WORKER)
    assert "celery@box holds a task that no pool process starts" in notice
    assert "Restart the worker" in notice


def test_a_running_job_nothing_moves_says_so_too(campaign, segments):
    old = timezone.now() - timedelta(minutes=10)
    job = queued_job(campaign, segments, status=GenerationJob.Status.RUNNING, started_at=old)
    assert "this job has not moved for 10\xa0minutes" in job_worker_notice(job=job)


def test_job_fragment_and_campaign_page_show_the_notice(
    client, make_user, brand, campaign, segments
):
    client.force_login(make_user("dana", roles.DESIGNER, brand))
    job = queued_job(campaign, segments)
    for url in (
        reverse("campaigns:job_progress", args=[job.pk]),
        reverse("campaigns:campaign_detail", args=[campaign.pk]),
        reverse("campaigns:job_detail", args=[job.pk]),
    ):
        page = client.get(url).content.decode()
        assert 'class="worker-notice" role="alert">No worker is taking jobs' in page, url
    beat()
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])).content.decode()
    assert NO_WORKER not in page


def test_generate_queue_says_no_worker_is_taking_jobs(campaign, segments, settings):
    settings.STUDIO_QUEUED_WARNING_SECONDS = 0
    out, err = io.StringIO(), io.StringIO()
    # A test transaction never commits, so nothing reaches the broker: no worker, as asked.
    with pytest.raises(CommandError, match=f"still queued after 1s: {NO_WORKER}"):
        call_command(
            "generate", str(campaign.pk), "-n", "1", "--queue", "--timeout", "1",
            stdout=out, stderr=err,
        )  # fmt: skip
    assert err.getvalue().count(NO_WORKER) == 1, "said once, not on every poll"


# --- The reaper ---------------------------------------------------------------------------


def test_reaper_resends_a_job_whose_worker_process_is_gone(
    campaign, segments, django_capture_on_commit_callbacks
):
    beat(processes=[4242])  # a live worker, but not the process that ran the job
    idle = timezone.now() - timedelta(minutes=10)
    job = queued_job(
        campaign, segments, status="running", started_at=idle, progressed_at=idle,
        worker="box:999",
    )  # fmt: skip
    with django_capture_on_commit_callbacks() as callbacks:
        assert job_reap_stalled(stall_seconds=60) == [job.pk]
    assert len(callbacks) == 1  # run_job.delay, once the lock is released
    job.refresh_from_db()
    assert job.redispatches == 1 and job.progressed_at > idle
    # The re-send counts as activity: the next round waits another stall period.
    assert job_reap_stalled(stall_seconds=60) == []


def test_reaper_leaves_alone_what_it_should_not_touch(campaign, segments):
    idle = timezone.now() - timedelta(minutes=10)
    running = dict(status="running", started_at=idle, progressed_at=idle)
    busy = queued_job(campaign, segments, worker="box:4242", **running)  # a long step
    recent = queued_job(campaign, segments, age_seconds=30)
    done = queued_job(campaign, segments, status="succeeded")
    assert job_reap_stalled(stall_seconds=60) == [], "no worker alive: nothing to send to"
    beat(processes=[4242])
    assert job_reap_stalled(stall_seconds=60) == []
    for job in (busy, recent, done):
        job.refresh_from_db()
        assert job.redispatches == 0
    beat(stuck=True)
    stuck_job = queued_job(campaign, segments, worker="box:1", **running)
    assert job_reap_stalled(stall_seconds=60) == [], "a stuck worker takes nothing"
    stuck_job.refresh_from_db()
    assert stuck_job.redispatches == 0


def test_reaper_fails_a_job_that_keeps_stalling(campaign, segments, settings):
    settings.STUDIO_JOB_MAX_REDISPATCHES = 2
    beat()
    idle = timezone.now() - timedelta(minutes=10)
    job = queued_job(
        campaign, segments, status="running", progressed_at=idle, redispatches=2, worker="box:1"
    )
    assert job_reap_stalled(stall_seconds=60) == []
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.FAILED
    assert "re-sent 2 times without finishing" in job.error
