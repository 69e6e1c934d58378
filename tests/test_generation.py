"""The generation round through the services, in this process, on the offline engine."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from campaigns.models import GenerationJob, Rendition, Variant
from campaigns.services import generation, rendering, segment_steps
from studio.engine import registry
from tests.helpers import png_bytes, run_round

pytestmark = pytest.mark.django_db


def painted(campaign, segment, n, seed):
    """A started job whose one segment has been painted, not yet finished."""
    job = generation.job_start(
        campaign=campaign, segments=[segment], variants_per_segment=n, seed=seed, enqueue=False
    )
    generation.job_dispatch(job_id=job.pk)
    segment_steps.segment_paint(job_id=job.pk, segment_id=segment.pk)
    return job


def test_round_produces_scored_renditions_for_every_segment_and_format(campaign, segments):
    job = run_round(campaign, segments, n=2)
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    variants = list(job.variants.all())
    assert len(variants) == 4
    formats = list(campaign.formats.all())
    for variant in variants:
        assert variant.status == Variant.Status.PENDING
        assert variant.headline and variant.body and variant.cta
        assert variant.text_fit is not None and 0 <= variant.text_fit <= 100
        assert variant.copy_novelty is not None
        # No image model ran: image scores stay empty rather than invented.
        assert variant.alignment is None and variant.segment_fit is None
        assert variant.image_novelty is None and variant.safety is None
        assert variant.lineage["seed"] == variant.seed
        assert variant.lineage["copywriter"]["backend"] == "template"
        renditions = {r.format_id: r for r in variant.renditions.all()}
        assert set(renditions) == {f.pk for f in formats}
        for fmt in formats:
            with Image.open(renditions[fmt.pk].image.path) as img:
                assert img.size == (fmt.width, fmt.height)
    assert all(
        job.progress[s]["done"] == job.progress[s]["total"] == 4
        for s in ("copy", "paint", "score", "layout")
    )
    assert job.timings["wall"] > 0 and 0 < job.timings["engine"] <= job.timings["wall"]


def test_same_seed_reproduces_the_round(campaign, segments):
    first = run_round(campaign, segments[:1], n=2, seed=99)
    second = run_round(campaign, segments[:1], n=2, seed=99)
    pairs = zip(first.variants.order_by("index"), second.variants.order_by("index"), strict=True)
    for a, b in pairs:
        assert (a.headline, a.body, a.cta, a.seed) == (b.headline, b.body, b.cta, b.seed)
        sha_a = sorted(a.renditions.values_list("sha256", flat=True))
        sha_b = sorted(b.renditions.values_list("sha256", flat=True))
        assert sha_a == sha_b


def test_rerunning_steps_adds_nothing(campaign, segments):
    job = run_round(campaign, segments, n=2)
    before = (Variant.objects.count(), Rendition.objects.count())
    for segment in segments:
        segment_steps.segment_paint(job_id=job.pk, segment_id=segment.pk)
        segment_steps.segment_finish(job_id=job.pk, segment_id=segment.pk)
    assert (Variant.objects.count(), Rendition.objects.count()) == before


def test_interrupted_segment_resumes_without_duplicates(campaign, segments):
    job = painted(campaign, segments[0], n=3, seed=3)
    # Simulate a crash after one variant was laid out and another lost entirely.
    Variant.objects.filter(job=job, index=2).delete()
    first = Variant.objects.get(job=job, index=0)
    segment_steps.segment_finish(job_id=job.pk, segment_id=segments[0].pk)
    Rendition.objects.filter(variant__job=job, variant__index=1).delete()
    Variant.objects.filter(job=job, index=1).update(status=Variant.Status.DRAFT)
    GenerationJob.objects.filter(pk=job.pk).update(status=GenerationJob.Status.RUNNING)
    segment_steps.segment_paint(job_id=job.pk, segment_id=segments[0].pk)
    segment_steps.segment_finish(job_id=job.pk, segment_id=segments[0].pk)
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED
    assert Variant.objects.filter(job=job).count() == 3
    assert Variant.objects.get(job=job, index=0).pk == first.pk
    assert Rendition.objects.filter(variant__job=job).count() == 3 * campaign.formats.count()


def test_renditions_from_the_prefetched_base_match_a_fresh_decode(campaign, segments):
    # The round hands layout base images decoded ahead on a thread; a designer's re-render
    # decodes its own. Both must draw the same pixels.
    job = run_round(campaign, segments[:1], n=2)
    variant = job.variants.order_by("index").first()
    drawn = dict(variant.renditions.values_list("format_id", "sha256"))
    variant.renditions.all().delete()
    assert rendering.variant_render(variant=variant) > 0
    assert dict(variant.renditions.values_list("format_id", "sha256")) == drawn


def test_a_twin_delivery_keeps_the_slots_saved_first(campaign, segments):
    job = painted(campaign, segments[0], n=2, seed=5)
    Variant.objects.filter(job=job, index=1).delete()
    kept = Variant.objects.get(job=job, index=0)
    twins = []
    for index in (0, 1):  # what a twin task painted while the first one was saving
        twin = Variant(job=job, campaign=campaign, segment=segments[0], index=index, seed=index)
        twin.headline = "twin"
        twin.base_image.save(f"twin-{index}.png", ContentFile(png_bytes()), save=False)
        twins.append(twin)
    losing_file = Path(twins[0].base_image.path)
    segment_steps.variants_insert(variants=twins)
    assert Variant.objects.filter(job=job).count() == 2
    assert Variant.objects.get(job=job, index=0).pk == kept.pk
    assert Variant.objects.get(job=job, index=1).headline == "twin"
    assert not losing_file.exists() and not twins[0].base_image
    assert Path(twins[1].base_image.path).exists()


def test_start_refuses_bad_requests(campaign, segments, brand):
    with pytest.raises(ValidationError) as info:
        generation.job_start(campaign=campaign, segments=[], variants_per_segment=2)
    assert "segments" in info.value.message_dict
    campaign.formats.clear()
    with pytest.raises(ValidationError) as info:
        generation.job_start(campaign=campaign, segments=segments, variants_per_segment=0)
    assert set(info.value.message_dict) == {"formats", "variants_per_segment"}
    assert not GenerationJob.objects.exists()


def test_unknown_backend_fails_cleanly(campaign, segments):
    registry.clear()
    config = {"copywriter": "nonexistent"}
    job = run_round(campaign, segments[:1], engine_config=config)
    assert job.status == GenerationJob.Status.FAILED
    assert "Unknown copywriter backend 'nonexistent'" in job.error
    assert not job.variants.exists()


def test_transient_engine_error_is_retried(campaign, segments, monkeypatch):
    from campaigns import tasks
    from studio.engine.types import TransientEngineError

    job = generation.job_start(
        campaign=campaign, segments=segments[:1], variants_per_segment=1, seed=2, enqueue=False
    )
    generation.job_dispatch(job_id=job.pk)
    real = segment_steps.segment_paint
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise TransientEngineError("CUDA out of memory (simulated)")
        return real(**kwargs)

    monkeypatch.setattr(segment_steps, "segment_paint", flaky)
    result = tasks.paint_segment.apply(args=(job.pk, segments[0].pk))
    assert result.successful(), result.traceback
    assert len(calls) == 2
    assert job.variants.count() == 1
