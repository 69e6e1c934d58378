"""The clips an export carries: ready clips of the current copy of approved, cleared
variants (selectors_clips.export_clips), each with the same manifest row and AI
disclosure as the stills, and listed in the ad-platform sheets where a platform takes
them (studio.engine.ad_sheets.plan_clips)."""

from __future__ import annotations

import logging
from pathlib import PurePosixPath

from django.utils.text import slugify

from campaigns.services.export_rows import manifest_row
from studio.engine import disclosure
from studio.engine.archive import ExportArchive

logger = logging.getLogger(__name__)
MEDIA = {"mp4": "video", "gif": "animation", "webp": "animation"}


def clip_arcname(clip) -> str:
    """clips/<segment>-<id>/<format>/variant-<id>-<format>-<seconds>s.<ext>: one name
    per clip (Meta matches uploaded videos by file name)."""
    segment = clip.variant.segment
    fmt = clip.format.slug
    suffix = PurePosixPath(clip.file.name).suffix.lower() or f".{clip.kind}"
    return (
        f"clips/{slugify(segment.name) or 'segment'}-{segment.pk}/{fmt}/"
        f"variant-{clip.variant_id}-{fmt}-{clip.seconds}s{suffix}"
    )


def clip_disclosure(clip) -> disclosure.Disclosure:
    """As for the stills: from the lineage, and whether a product photo is in the frame."""
    campaign = clip.variant.campaign
    layout = (clip.report or {}).get("layout")  # the still's geometry: boxes, product
    if layout is None and (campaign.product_cutout or campaign.product_image):
        layout = {"boxes": {"product": True}}
    return disclosure.disclosure_for(clip.variant.lineage or {}, layout, variant_id=clip.variant_id)


def clip_row(export, clip, label: disclosure.Disclosure) -> dict:
    row = manifest_row(export, clip, label)
    row.update(
        rendition_id="",
        clip_id=clip.pk,
        media=MEDIA.get(clip.kind, clip.kind),
        seconds=clip.seconds,
        codec=(clip.report or {}).get("codec", clip.kind),
        kind=clip.kind,
        fps=(clip.report or {}).get("fps"),
        loops=(clip.report or {}).get("loops", 1),
    )
    return row


def clips_write(archive: ExportArchive, export, clips) -> tuple[int, int]:
    """Write every clip into the archive and its sheet rows; (written, unreadable)."""
    written, unreadable = [], 0
    for clip in clips.select_related("variant__campaign").iterator(chunk_size=100):
        label = clip_disclosure(clip)
        try:
            written.append(
                archive.add_clip(
                    arcname=clip_arcname(clip), source=clip.file.path, kind=clip.kind,
                    row=clip_row(export, clip, label), disclosure=label,
                )
            )  # fmt: skip
        except (FileNotFoundError, ValueError, OSError) as exc:
            # Left out and counted, as an unreadable still is.
            logger.warning("export %s: clip %s left out: %s", export.pk, clip.pk, exc)
            unreadable += 1
    archive.add_clips(written)
    return len(written), unreadable
