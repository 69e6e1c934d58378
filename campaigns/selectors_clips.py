"""Reads of animated clips: a variant's panel, the card's hover clip, the clips an
export takes and the clip a video placement serves."""

from __future__ import annotations

from django.db.models import F, QuerySet

from campaigns.models import Campaign, Variant, VariantClip
from campaigns.selectors import export_rows, variant_list_cleared

PENDING = (VariantClip.Status.QUEUED, VariantClip.Status.RENDERING)


def clip_decorate(clip: VariantClip, variant: Variant) -> VariantClip:
    """`stale`: drawn from older copy; `pending`: waiting or being drawn;
    `playable`: ready and current (the only clips shown as finished)."""
    clip.stale = clip.variant_version != variant.version
    clip.pending = clip.status in PENDING
    clip.playable = clip.status == VariantClip.Status.READY and not clip.stale
    return clip


def clips_for_variant(*, variant: Variant) -> list[VariantClip]:
    rows = variant.clips.select_related("format").order_by("format__slug", "seconds", "kind")
    return [clip_decorate(c, variant) for c in rows]


def card_clips(variant: Variant, main_format_id: int | None) -> tuple[list, VariantClip | None]:
    """From prefetched clips: all of them (decorated) and the MP4 the card plays on
    hover: of the card's own format when there is one, else the first playable MP4."""
    rows = [clip_decorate(c, variant) for c in variant.clips.all()]
    videos = [c for c in rows if c.playable and c.kind == VariantClip.Kind.MP4]
    own = [c for c in videos if c.format_id == main_format_id]
    return rows, (own or videos or [None])[0]


def export_clips(*, campaign: Campaign, segments=None, formats=None) -> QuerySet[VariantClip]:
    """Clips that may leave the studio: ready, of the variant's current copy, of approved
    variants with no open or blocking case, in the chosen segments and formats."""
    qs = VariantClip.objects.filter(
        variant__in=variant_list_cleared(campaign=campaign),
        status=VariantClip.Status.READY,
        variant_version=F("variant__version"),
    )
    return export_rows(qs, segments=segments, formats=formats).order_by(
        "variant__segment__name", "variant__segment_id", "variant_id", "format__slug"
    )


def clip_servable(*, clip_id: int, sha256_prefix: str) -> VariantClip | None:
    """The clip if it may be shown to the public now: ready, current, of an approved and
    cleared variant in an active campaign and an active format, and still the file the
    link names (a re-render changes the hash)."""
    return (
        VariantClip.objects.filter(
            pk=clip_id,
            sha256__startswith=sha256_prefix,
            status=VariantClip.Status.READY,
            variant_version=F("variant__version"),
            format__is_active=True,
            variant__in=variant_list_cleared(),
            variant__campaign__status=Campaign.Status.ACTIVE,
        )
        .select_related("variant")
        .first()
    )
