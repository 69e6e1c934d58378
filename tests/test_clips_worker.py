"""A real Celery worker renders the clips a round asks for: the job queues them on the
render queue as its variants are laid out, and the worker draws them to the end."""

from __future__ import annotations

import pytest

from campaigns.models import AdFormat, GenerationJob, VariantClip
from campaigns.services import generation
from tests.worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_worker_renders_the_clips_a_round_asks_for(worker, campaign, segments):
    animate = {"formats": [AdFormat.objects.get(slug="mrec-300x250")], "lengths": [6]}
    # on_commit fires at once: this test runs outside a wrapping transaction.
    job = generation.job_start(
        campaign=campaign, segments=segments[:1], variants_per_segment=1, seed=3,
        animate=animate,
    )  # fmt: skip

    def clips_done():
        job.refresh_from_db()
        clips = list(VariantClip.objects.filter(variant__job=job))
        return clips if clips and all(c.is_finished for c in clips) else None

    clips = wait_for(clips_done, timeout=240)
    log = worker.log_path.read_text()
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error + log
    (clip,) = clips
    assert clip.status == VariantClip.Status.READY, clip.error + log
    assert (clip.kind, clip.width, clip.height, clip.progress) == ("gif", 300, 250, 100)
    assert 0 < clip.bytes <= 150_000 and clip.report["checks"]["frames"]["ok"]
    assert "campaigns.tasks.render_clip" in log
