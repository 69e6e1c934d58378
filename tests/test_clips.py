"""Animated clips, studio side: requests refused with clear errors, a round that queues
clips, the render service end to end (files read back), idempotent re-delivery, stale
after a copy edit and re-rendered, exports with the clips and their disclosure."""

from __future__ import annotations

import zipfile

import av
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from campaigns import demo_art
from campaigns.models import AdFormat, Variant, VariantClip
from campaigns.selectors_clips import clips_for_variant, export_clips
from campaigns.services import clips, cutouts, edits, exports
from campaigns.services.clip_render import clip_render
from tests.exports_helpers import check_against_manifest, read_sheet
from tests.factories import approve
from tests.helpers import run_round

pytestmark = pytest.mark.django_db


def fmt(slug):
    return AdFormat.objects.get(slug=slug)


def test_plan_refuses_unknown_lengths_and_formats_with_clear_errors(db):
    with pytest.raises(ValidationError) as caught:
        clips.clips_plan(formats=[fmt("landscape-1200x628")], lengths=[7])
    errors = caught.value.message_dict
    assert errors["lengths"] == ["7 s is not a clip length; choose 6 s or 15 s."]
    assert errors["formats"][0].startswith("Landscape link ad (1200x628) cannot be animated")
    assert "1080x1920" in errors["formats"][0] and "300x250" in errors["formats"][0]
    with pytest.raises(ValidationError) as caught:
        clips.clips_plan(formats=[], lengths=[], banner_kind="apng")
    assert set(caught.value.message_dict) == {"formats", "lengths", "banner_kind"}
    plans = clips.clips_plan(
        formats=[fmt("story-1080x1920"), fmt("mrec-300x250")], lengths=[15, 6, 6]
    )
    assert [(p.format.slug, p.seconds, p.kind) for p in plans] == [
        ("story-1080x1920", 6, "mp4"),
        ("story-1080x1920", 15, "mp4"),
        ("mrec-300x250", 6, "gif"),
        ("mrec-300x250", 15, "gif"),
    ]


@pytest.fixture
def animated(campaign, segments, user):
    """One variant of a real round with the shoe cut-out, asking for a 6 s square MP4
    and a 6 s MRec GIF: the round itself queues them."""
    campaign.product_image.save("shoe.png", _shoe_file(), save=True)
    cutouts.campaign_cutout_make(campaign=campaign)
    animate = {"formats": [fmt("square-1080"), fmt("mrec-300x250")], "lengths": [6]}
    job = run_round(campaign, segments[:1], n=1, seed=5, animate=animate)
    assert job.animate == {
        "formats": ["square-1080", "mrec-300x250"],
        "lengths": [6],
        "banner_kind": "gif",
    }
    variant = job.variants.get()
    queued = list(variant.clips.select_related("format").order_by("kind"))
    assert [(c.kind, c.status, c.variant_version) for c in queued] == [
        ("gif", "queued", 1),
        ("mp4", "queued", 1),
    ]
    return variant


def _shoe_file():
    from django.core.files.base import ContentFile

    return ContentFile(demo_art.png_bytes(demo_art.draw_shoe()), name="shoe.png")


def _render_all(variant):
    return {c.kind: clip_render(clip_id=c.pk) for c in variant.clips.all()}


def test_clips_render_read_back_and_redelivery_changes_nothing(animated):
    done = _render_all(animated)
    video, banner = done["mp4"], done["gif"]
    for clip in (video, banner):
        assert clip.status == VariantClip.Status.READY and clip.progress == 100, clip.error
        assert default_storage.exists(clip.file.name) and clip.sha256 and clip.bytes > 0
        with Image.open(clip.poster.path) as poster:
            assert poster.size == (clip.width, clip.height)
        with Image.open(clip.frames.path) as strip:
            assert strip.height == 320 and strip.width > 2 * 320 * clip.width // clip.height
    with av.open(video.file.path) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264" and stream.format.name == "yuv420p"
        assert (stream.width, stream.height) == (1080, 1080)
        assert abs(float(container.duration / av.time_base) - 6) < 0.1
    with Image.open(banner.file.path) as gif:
        assert gif.format == "GIF" and gif.size == (300, 250)
    # A re-delivered task finds the clip ready and current: same file, nothing redrawn.
    again = clip_render(clip_id=video.pk)
    assert (again.file.name, again.sha256, again.finished_at) == (
        video.file.name,
        video.sha256,
        video.finished_at,
    )


def test_copy_edit_makes_clips_stale_then_rerenders_them(
    animated, user, django_capture_on_commit_callbacks
):
    first = _render_all(animated)["mp4"]
    edits.variant_copy_edit(
        variant=animated, user=user, expected_version=1,
        headline="Grip for the wet ridge", body=animated.body, cta=animated.cta,
    )  # fmt: skip
    animated.refresh_from_db()
    stale = {c.kind: c for c in clips_for_variant(variant=animated)}
    assert stale["mp4"].stale and stale["mp4"].status == VariantClip.Status.READY
    assert not export_clips(campaign=animated.campaign).exists()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert edits.variant_rerender(variant_id=animated.pk, version=2) is True
    # The re-queued clips' tasks are sent after commit, with the redrawn stills' clean-up.
    assert sum("_enqueue_after_commit" in c.__qualname__ for c in queued) == 1
    requeued = {c.kind: c for c in clips_for_variant(variant=animated)}
    assert all(c.status == "queued" and c.variant_version == 2 for c in requeued.values())
    with django_capture_on_commit_callbacks(execute=True):
        redrawn = clip_render(clip_id=first.pk)
    assert redrawn.status == "ready" and redrawn.variant_version == 2
    assert redrawn.file.name != first.file.name
    assert not default_storage.exists(first.file.name)  # the old file went on commit


def test_export_carries_current_clips_with_their_disclosure(animated, manager):
    _render_all(animated)
    approve(animated, manager)
    export = exports.export_start(campaign=animated.campaign, user=manager, enqueue=False)
    export = exports.export_build(export_id=export.pk)
    assert export.status == export.Status.SUCCEEDED, export.error
    assert export.counts["clips"] == 2
    manifest = check_against_manifest(export.file.path)
    items = {i["media"]: i for i in manifest["items"] if i["clip_id"]}
    assert set(items) == {"video", "animation"}
    video = items["video"]
    assert video["file"].startswith("clips/") and video["file"].endswith("-6s.mp4")
    assert video["seconds"] == 6 and video["codec"] == "h264"
    assert video["digital_source_type"].endswith("compositeSynthetic")
    with zipfile.ZipFile(export.file.path) as zf:
        with zf.open(video["file"]) as handle, av.open(handle) as container:
            assert container.metadata["keywords"] == video["digital_source_type"]
            assert "Variant" in container.metadata["comment"]
        gif = zf.read(items["animation"]["file"])
        assert b"\x21\xfe" in gif[:2000]  # the disclosure's comment extension
        meta = read_sheet(zf, "meta_ads.csv")
        skipped = read_sheet(zf, "skipped.csv")
        google = read_sheet(zf, "google_ads.csv")
    name = video["file"].rsplit("/", 1)[-1]
    assert [r["Image File Name"] for r in meta if r["Video File Name"] == name] == [""]
    assert any(r["file"] == video["file"] and "YouTube" in r["reason"] for r in skipped)
    banner = items["animation"]["file"]
    listed = [r for r in google if r["Image"] == banner]
    left_out = [r for r in skipped if r["file"] == banner and r["sheet"] == "google_ads.csv"]
    assert len(listed) + len(left_out) == 1  # in the sheet, or left out with its reason


def test_rejected_and_draft_variants_are_not_animated(campaign, segments, user):
    from tests.factories import make_job, make_variant

    variant = make_variant(make_job(campaign, segments), segments[0])
    Variant.objects.filter(pk=variant.pk).update(status=Variant.Status.REJECTED)
    with pytest.raises(ValidationError, match="rejected"):
        clips.clip_request(
            variant=variant, user=user, formats=[fmt("square-1080")], lengths=[6], enqueue=False
        )
    assert not VariantClip.objects.exists()
