"""Render one queued clip (campaigns.services.clips queues them): claim it under a row
lock, compose it from the variant's layers with studio.engine.motion, store the file
and its poster, and record the engine's report.

Idempotent under re-delivery: a clip that is ready and of the current copy is left
alone; one marked rendering whose worker died is claimed and drawn again. A clip whose
copy changed while it was drawn keeps the newer request (the result is dropped).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from campaigns.models import Rendition, VariantClip
from campaigns.services import briefs
from campaigns.services.backgrounds import variant_backgrounds_fill
from campaigns.services.rendering import render_assets, variant_layers
from studio.engine import clip_frames
from studio.engine.ad_platforms import GOOGLE_ANIMATION_MAX_FPS, GOOGLE_ANIMATION_MAX_SECONDS
from studio.engine.encode import sha256_hex
from studio.engine.motion import ClipSpec, render_clip

FILE_FIELDS = ("file", "poster", "frames")
BANNER_FPS = {"gif": GOOGLE_ANIMATION_MAX_FPS, "webp": 10}


def clip_render(*, clip_id: int) -> VariantClip:
    clip = _claim(clip_id)
    if clip.status != VariantClip.Status.RENDERING:
        return clip  # ready and current: a re-delivered task has nothing to do
    version = clip.variant_version
    variant, fmt = clip.variant, clip.format
    assets = render_assets(variant=variant)
    variant_backgrounds_fill(variant=variant, formats=[fmt], assets=assets)
    layers = variant_layers(variant, fmt, assets)
    copy = briefs.variant_copy(variant)
    brand = briefs.layout_brand(assets.brand, campaign=variant.campaign, language=copy.language)
    _progress(clip.pk, 20)
    spec = clip_spec(briefs.format_spec(fmt), clip.seconds, clip.kind)
    with tempfile.TemporaryDirectory(prefix="clip-") as tmp:
        out = Path(tmp) / f"clip.{clip.kind}"
        result = render_clip(
            layers, copy, brand, spec, out_path=str(out), product_name=assets.product_name,
            slot=variant.index, template=_still_template(clip), seed=variant.seed,
        )  # fmt: skip
        _progress(clip.pk, 90)
        strip = clip_frames.frames_strip(
            clip_frames.sample_frames(str(out), clip.kind, seconds=result.seconds)
        )
        stored = _store(clip, out, result.poster, strip)
    return _finish(clip.pk, version, result, stored)


def clip_spec(fmt, seconds: int, kind: str) -> ClipSpec:
    """Videos at 30 fps; GIF banners at 5 fps and WebP at 10 (Google's animated image
    ads take at most 5 fps), playing at most 30 s in all (Google) and 3 times (IAB)."""
    if kind == VariantClip.Kind.MP4:
        return ClipSpec(fmt=fmt, seconds=seconds, kind=kind)
    fps = BANNER_FPS.get(kind, 5)
    return ClipSpec(fmt=fmt, seconds=seconds, kind=kind, fps=fps, loops=banner_loops(seconds))


def banner_loops(seconds: int) -> int:
    return max(1, min(3, GOOGLE_ANIMATION_MAX_SECONDS // seconds))


def _claim(clip_id: int) -> VariantClip:
    with transaction.atomic():
        clip = (
            VariantClip.objects.select_for_update()
            .select_related("variant__campaign__brand", "variant__job", "format")
            .get(pk=clip_id)
        )
        if clip.status == VariantClip.Status.READY and clip.is_current:
            return clip
        clip.status = VariantClip.Status.RENDERING
        clip.variant_version = clip.variant.version
        clip.progress = 5
        clip.error = ""
        clip.started_at = timezone.now()
        clip.save(
            update_fields=[
                "status", "variant_version", "progress", "error", "started_at", "updated_at"
            ]
        )  # fmt: skip
    return clip


def _still_template(clip: VariantClip) -> str | None:
    """The template of the variant's still in this format: the clip moves the same ad."""
    layout = (
        Rendition.objects.filter(variant_id=clip.variant_id, format_id=clip.format_id)
        .values_list("layout", flat=True)
        .first()
    )
    return (layout or {}).get("template")


def _progress(clip_id: int, percent: int) -> None:
    VariantClip.objects.filter(pk=clip_id).update(progress=percent)


def _store(clip: VariantClip, path: Path, poster, strip) -> dict:
    name = f"v{clip.variant_id}-{clip.format.slug}-{clip.seconds}s"
    file_field = VariantClip._meta.get_field("file")
    with open(path, "rb") as handle:
        sha = sha256_hex(handle.read())
        handle.seek(0)
        stored = file_field.storage.save(
            file_field.generate_filename(None, f"{name}.{clip.kind}"), File(handle)
        )
    images = {"poster": _png_save("poster", f"{name}-poster.png", poster)}
    images["frames"] = _png_save("frames", f"{name}-frames.png", strip)
    return {"file": stored, **images, "sha256": sha, "bytes": path.stat().st_size}


def _png_save(field: str, name: str, image) -> str:
    model_field = VariantClip._meta.get_field(field)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG")  # optimize=True costs ~1 s on 1080x1920
    return model_field.storage.save(
        model_field.generate_filename(None, name), ContentFile(buffer.getvalue())
    )


def _finish(clip_id: int, version: int, result, stored: dict) -> VariantClip:
    storage = VariantClip._meta.get_field("file").storage
    with transaction.atomic():
        clip = VariantClip.objects.select_for_update().select_related("variant").get(pk=clip_id)
        if clip.variant_version != version:
            # Re-queued for newer copy while this was drawn: keep that request.
            transaction.on_commit(lambda: [storage.delete(stored[k]) for k in FILE_FIELDS])
            return clip
        old = [getattr(clip, k).name for k in FILE_FIELDS if getattr(clip, k)]
        for field in FILE_FIELDS:
            getattr(clip, field).name = stored[field]
        clip.sha256, clip.bytes = stored["sha256"], stored["bytes"]
        clip.width, clip.height = result.width, result.height
        clip.report = {
            **(result.report or {}),
            "codec": result.codec,
            "fps": result.fps,
            "frame_count": result.frames,
            "seconds": result.seconds,
            "loops": 1 if clip.kind == VariantClip.Kind.MP4 else banner_loops(clip.seconds),
        }
        clip.status, clip.progress = VariantClip.Status.READY, 100
        clip.finished_at = timezone.now()
        clip.save()
        transaction.on_commit(lambda: [storage.delete(name) for name in old])
    return clip
