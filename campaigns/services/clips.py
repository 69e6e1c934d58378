"""Animated creatives: queue clips of a variant (formats x lengths) and render one.

A clip is drawn from the same layers as the variant's still renditions (painted
background per format, product cut-out, logo, copy) by studio.engine.motion; it records
the copy version it shows, so after a copy edit it is stale, re-queued, and neither
exported nor served until it is drawn again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from campaigns.models import AdFormat, Variant, VariantClip
from studio.engine.motion import BANNER_SIZES, LENGTHS, VIDEO_SIZES

BANNER_KINDS = (VariantClip.Kind.GIF, VariantClip.Kind.WEBP)


@dataclass(frozen=True)
class ClipPlan:
    format: AdFormat
    seconds: int
    kind: str


def clip_kind_for(fmt: AdFormat, banner_kind: str = VariantClip.Kind.GIF) -> str | None:
    """MP4 for the video sizes, the banner kind for the display banner sizes, else None."""
    size = (fmt.width, fmt.height)
    if size in set(VIDEO_SIZES.values()):
        return VariantClip.Kind.MP4
    if size in BANNER_SIZES:
        return banner_kind
    return None


def sizes_in_words() -> str:
    videos = ", ".join(f"{w}x{h}" for w, h in VIDEO_SIZES.values())
    banners = ", ".join(f"{w}x{h}" for w, h in sorted(BANNER_SIZES))
    return f"videos are {videos}; animated banners are {banners}"


def clips_plan(
    *, formats: list[AdFormat], lengths: list[int], banner_kind: str = VariantClip.Kind.GIF
) -> list[ClipPlan]:
    """Every (format, length) asked for, or a ValidationError saying what is wrong."""
    errors: dict[str, list[str]] = {}
    if not formats:
        errors.setdefault("formats", []).append("Choose at least one format to animate.")
    for fmt in formats:
        if clip_kind_for(fmt) is None:
            errors.setdefault("formats", []).append(
                f"{fmt.name} ({fmt.width}x{fmt.height}) cannot be animated: {sizes_in_words()}."
            )
    if not lengths:
        errors.setdefault("lengths", []).append("Choose at least one clip length.")
    allowed = " or ".join(f"{n} s" for n in LENGTHS)
    for seconds in lengths:
        if seconds not in LENGTHS:
            errors.setdefault("lengths", []).append(
                f"{seconds} s is not a clip length; choose {allowed}."
            )
    if banner_kind not in BANNER_KINDS:
        errors["banner_kind"] = ["Animated banners are GIF or WebP."]
    if errors:
        raise ValidationError(errors)
    return [
        ClipPlan(fmt, seconds, clip_kind_for(fmt, banner_kind))
        for fmt in formats
        for seconds in sorted(set(lengths))
    ]


def clips_animate_record(
    *, formats: list[AdFormat], lengths: list[int], banner_kind: str = VariantClip.Kind.GIF
) -> dict:
    """A generation round's Animate choice, checked now and kept on the job as slugs."""
    plans = clips_plan(formats=formats, lengths=lengths, banner_kind=banner_kind)
    return {
        "formats": list(dict.fromkeys(p.format.slug for p in plans)),
        "lengths": sorted({p.seconds for p in plans}),
        "banner_kind": banner_kind,
    }


def job_clips_queue(*, job, variants: list[Variant]) -> int:
    """Queue the round's clips for its newly laid-out variants; how many were queued.
    A format since deactivated is left out rather than failing the round."""
    if not job.animate:
        return 0
    formats = list(AdFormat.objects.filter(slug__in=job.animate["formats"], is_active=True))
    if not formats:
        return 0
    count = 0
    for variant in variants:
        if variant.status != Variant.Status.PENDING:
            continue
        count += len(
            clip_request(
                variant=variant, user=job.created_by, formats=formats,
                lengths=job.animate["lengths"], banner_kind=job.animate["banner_kind"],
            )
        )  # fmt: skip
    return count


@transaction.atomic
def clip_request(
    *,
    variant: Variant,
    user,
    formats: list[AdFormat],
    lengths: list[int],
    banner_kind: str = VariantClip.Kind.GIF,
    enqueue: bool = True,
) -> list[VariantClip]:
    """Queue a clip per (format, length); a ready or running clip of the current copy is
    kept as it is (asking twice renders once). Rendering starts after commit."""
    plans = clips_plan(formats=formats, lengths=lengths, banner_kind=banner_kind)
    variant = Variant.objects.select_for_update().get(pk=variant.pk)
    if variant.status == Variant.Status.DRAFT:
        raise ValidationError("This variant is still being generated.")
    if variant.status == Variant.Status.REJECTED:
        raise ValidationError("A rejected variant is not animated.")
    clips, queued = [], []
    for plan in plans:
        clip, created = VariantClip.objects.select_for_update().get_or_create(
            variant=variant, format=plan.format, seconds=plan.seconds, kind=plan.kind,
            defaults={"requested_by": user, "variant_version": variant.version},
        )  # fmt: skip
        if created or _needs_render(clip, variant):
            _requeue(clip, variant)
            queued.append(clip.pk)
        clips.append(clip)
    if enqueue and queued:
        _enqueue_after_commit(queued)
    return clips


def _needs_render(clip: VariantClip, variant: Variant) -> bool:
    if clip.status == VariantClip.Status.FAILED:
        return True
    return clip.variant_version != variant.version


def _requeue(clip: VariantClip, variant: Variant) -> None:
    clip.status = VariantClip.Status.QUEUED
    clip.progress = 0
    clip.error = ""
    clip.variant_version = variant.version
    clip.save(update_fields=["status", "progress", "error", "variant_version", "updated_at"])


def _enqueue_after_commit(ids: list[int]) -> None:
    from campaigns import tasks  # tasks import services; import here breaks the cycle

    transaction.on_commit(lambda: [tasks.render_clip.delay(pk) for pk in ids])


@transaction.atomic
def clips_refresh(*, variant_id: int, enqueue: bool = True) -> list[int]:
    """After a copy edit: re-queue the variant's clips drawn from older copy."""
    variant = Variant.objects.select_for_update().get(pk=variant_id)
    stale = list(
        VariantClip.objects.select_for_update()
        .filter(variant=variant)
        .exclude(variant_version=variant.version)
    )
    for clip in stale:
        _requeue(clip, variant)
    ids = [c.pk for c in stale]
    if enqueue and ids:
        _enqueue_after_commit(ids)
    return ids


def clip_fail(*, clip_id: int, message: str) -> None:
    """Record why a clip could not be made (the card shows it; asking again retries)."""
    with transaction.atomic():
        clip = VariantClip.objects.select_for_update().filter(pk=clip_id).first()
        if clip is not None and clip.status != VariantClip.Status.READY:
            clip.status = VariantClip.Status.FAILED
            clip.error = message[:2000]
            clip.save(update_fields=["status", "error", "updated_at"])
