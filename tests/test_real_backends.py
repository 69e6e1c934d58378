"""Generation rounds through the studio with the real backend classes (tiny random weights),
loaded through the production path: the transformers copywriter, the diffusers painter and
the open_clip scorer."""

from __future__ import annotations

import pytest
from PIL import Image

from campaigns.models import GenerationJob, Rendition
from studio.engine import registry
from tests.helpers import run_round
from tests.test_worker import finished, start
from tests.worker import wait_for

pytestmark = pytest.mark.models


@pytest.fixture
def real_engine(tiny_lm_path, tiny_sd_path, tiny_clip_path, settings):
    settings.STUDIO_BASE_IMAGE_SIZE = 64  # the tiny UNet is trained for nothing; keep it cheap
    return {
        "copywriter": "transformers",
        "text_model": str(tiny_lm_path),
        "painter": "diffusers",
        "image_model": str(tiny_sd_path),
        "image_preset": "sd-turbo",
        "scorer": "clip",
        "clip_model": str(tiny_clip_path),
        "device": "cpu",
    }


@pytest.mark.django_db
def test_round_with_all_three_real_backends(campaign, segments, real_engine):
    registry.clear()
    job = run_round(campaign, segments, n=2, seed=4, engine_config=real_engine)
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    assert job.variants.count() == 4
    for variant in job.variants.all():
        assert variant.lineage["copywriter"]["backend"] == "transformers"
        assert variant.lineage["painter"]["backend"] == "diffusers"
        assert variant.lineage["copy"]["decoding"] == "json-skeleton"
        assert variant.lineage["image"]["seed"] == variant.seed
        assert variant.headline and variant.body and variant.cta
        # CLIP computed these, so they are present and in range.
        assert 0 <= variant.alignment <= 100
        assert 0 <= variant.segment_fit <= 1 and variant.segment_rank in (1, 2)
        assert 0 <= variant.image_novelty <= 1
        assert set(variant.safety) and all(0 <= p <= 1 for p in variant.safety.values())
        assert len(variant.image_embedding) > 0 and len(variant.text_embedding) == 384
        # Backgrounds are painted per format; the base image (what the scorer sees) is
        # the first format's background with the product on it, at that format's size.
        first = campaign.formats.order_by("-width", "-height").first()
        with Image.open(variant.base_image.path) as base:
            assert base.size == (first.width, first.height)
        assert set(variant.layers) == set(campaign.formats.values_list("slug", flat=True))
        assert all(side % 8 == 0 for side in variant.lineage["image"]["size"])
        assert variant.renditions.count() == campaign.formats.count()
    assert job.timings["load"] > 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_second_job_in_the_same_worker_loads_no_models(
    campaign, segments, real_engine, start_worker
):
    worker = start_worker(extra_env={"STUDIO_BASE_IMAGE_SIZE": "64"})
    jobs = []
    for seed in (1, 2):
        job = start(campaign, segments[:1], n=1, seed=seed, engine_config=real_engine)
        wait_for(lambda job=job: finished(job), timeout=240, worker=worker)
        assert job.status == GenerationJob.Status.SUCCEEDED, job.error
        jobs.append(job)
    first, second = jobs
    assert first.worker == second.worker  # the same pool process ran both
    assert first.timings["load"] > 0
    assert second.timings["load"] == 0
    assert Rendition.objects.filter(variant__job=second).count() == campaign.formats.count()
