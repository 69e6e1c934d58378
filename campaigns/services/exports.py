"""Exports: a ZIP of a campaign's approved, cleared renditions, with manifests and the
Google Ads / Meta bulk-upload sheets, built by a Celery task and kept with its history.

Only what `selectors.export_renditions` returns is included, evaluated when the ZIP is
built (so a case opened or blocked after the request still keeps a variant out), and
only renditions of the variant's current copy.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from campaigns import events
from campaigns.models import AdFormat, AudienceSegment, Campaign, Export
from campaigns.selectors import campaigns_for_user, export_renditions
from campaigns.selectors_clips import export_clips
from campaigns.services import content_credentials
from campaigns.services.export_clips import clips_write
from campaigns.services.export_rows import manifest_row, rendition_arcname, rendition_disclosure
from campaigns.services.rendering import rendition_is_current
from studio.engine import disclosure
from studio.engine.archive import ExportArchive

NOTHING_TO_EXPORT = (
    "Nothing to export: no approved variant without an open or blocked moderation case "
    "has renditions in the chosen segments and formats."
)
PROGRESS_STEPS = 50  # progress writes per export, whatever its size
logger = logging.getLogger(__name__)


def export_start(
    *,
    campaign: Campaign,
    user,
    segments: list[AudienceSegment] | None = None,
    formats: list[AdFormat] | None = None,
    enqueue: bool = True,
) -> Export:
    """Check, record the request and enqueue the build once the transaction commits."""
    if not user.has_perm("campaigns.export_campaign"):
        raise PermissionDenied("You may not export campaigns.")
    if not campaigns_for_user(user).filter(pk=campaign.pk).exists():
        raise PermissionDenied("This campaign belongs to a brand you are not a member of.")
    segments, formats = list(segments or []), list(formats or [])
    if any(s.campaign_id != campaign.pk for s in segments):
        raise ValidationError({"segments": "Every segment must belong to this campaign."})
    rows = export_renditions(campaign=campaign, segments=segments, formats=formats)
    clips = export_clips(campaign=campaign, segments=segments, formats=formats)
    total = rows.count() + clips.count()
    if not total:
        raise ValidationError(NOTHING_TO_EXPORT)
    with transaction.atomic():
        export = Export.objects.create(
            campaign=campaign, requested_by=user, progress={"done": 0, "total": total}
        )
        export.segments.set(segments)
        export.formats.set(formats)
        if enqueue:
            from campaigns import tasks  # tasks import services; import here breaks the cycle

            transaction.on_commit(lambda: tasks.build_export.delay(export.pk))
    return export


def export_build(*, export_id: int) -> Export:
    """Write the ZIP to a temporary file beside its final place, then move it there.

    Idempotent: a finished export is left alone; a re-delivered one still marked
    running (its worker died) is built again from scratch into a new temporary file.
    """
    export = _claim(export_id)
    if export.is_finished:
        return export
    rows = export_renditions(
        campaign=export.campaign,
        segments=list(export.segments.all()),
        formats=list(export.formats.all()),
    )
    # Variant by variant: a responsive display ad row takes a variant's images together.
    rows = rows.order_by(
        "variant__segment__name", "variant__segment_id", "variant_id", "format__slug"
    )
    clips = export_clips(
        campaign=export.campaign,
        segments=list(export.segments.all()),
        formats=list(export.formats.all()),
    )
    total = rows.count()
    _progress(export.pk, 0, total)
    with ExportArchive(_export_root() / ".tmp") as archive:
        skipped, unreadable = _write_items(archive, export, rows, total)
        clip_count, clips_unreadable = clips_write(archive, export, clips)
        if archive.count == 0:
            archive.abort()
            return export_fail(export_id=export.pk, message=NOTHING_TO_EXPORT)
        path = archive.close(header=_header(export, archive.count, archive.sheet_summary))
        relative = _move_into_place(path, export)
    variants = rows.values("variant_id").distinct().count()
    export.file.name = relative
    export.sha256 = _file_sha256(_export_root() / relative)
    export.counts = {
        "variants": variants,
        "renditions": archive.count - clip_count,
        "clips": clip_count,
        "bytes": (_export_root() / relative).stat().st_size,
        "skipped_stale": skipped,
        "skipped_unreadable": unreadable + clips_unreadable,
        "sheets": archive.sheet_summary,
    }
    export.status = Export.Status.SUCCEEDED
    export.progress = {"done": total, "total": total}
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "sha256", "counts", "status", "progress", "finished_at"])
    events.export_finished(export)
    return export


def export_fail(*, export_id: int, message: str) -> Export:
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export_id)
        if export.status != Export.Status.SUCCEEDED:
            export.status = Export.Status.FAILED
            export.error = message[:4000]
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "error", "finished_at"])
            events.export_finished(export)
    return export


def _claim(export_id: int) -> Export:
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("campaign__brand")
        export = export.get(pk=export_id)
        if export.status == Export.Status.QUEUED:
            export.status = Export.Status.RUNNING
            export.started_at = timezone.now()
            export.save(update_fields=["status", "started_at"])
    return export


def _write_items(archive: ExportArchive, export: Export, rows, total: int) -> tuple[int, int]:
    """Stream every current rendition into the archive, variant by variant; return
    how many were stale and how many files could not be read."""
    step = max(1, total // PROGRESS_STEPS)
    stale = unreadable = done = 0
    business_name = export.campaign.brand.name
    renditions = rows.iterator(chunk_size=200)
    for _, group in itertools.groupby(renditions, key=lambda r: r.variant_id):
        written = []
        for rendition in group:
            done += 1
            if not rendition_is_current(rendition, rendition.variant):
                stale += 1  # drawn from copy a moderator has since fixed; re-render pending
            elif (row := _add(archive, export, rendition)) is not None:
                written.append(row)
            else:
                unreadable += 1
            if done % step == 0:
                _progress(export.pk, done, total)
        archive.add_variant(written, business_name=business_name)
    return stale, unreadable


def _add(archive: ExportArchive, export: Export, rendition) -> dict | None:
    label = rendition_disclosure(rendition)
    try:
        return archive.add_image(
            arcname=rendition_arcname(rendition),
            source=rendition.image.path,
            row=manifest_row(export, rendition, label),
            disclosure=label,
            sign=content_credentials.rendition_signer(rendition, label),
        )
    except (FileNotFoundError, disclosure.UnsupportedImage) as exc:
        # Left out and counted; the export page never shows the server path.
        logger.warning("export %s: rendition %s left out: %s", export.pk, rendition.pk, exc)
        return None


def _header(export: Export, count: int, sheet_summary: dict) -> dict:
    return {
        "export": {
            "id": export.pk,
            "campaign_id": export.campaign_id,
            "campaign": export.campaign.name,
            "brand": export.campaign.brand.name,
            "requested_by": export.requested_by.get_username() if export.requested_by else "",
            "created_at": export.created_at.isoformat(),
            "segments": [s.pk for s in export.segments.all()] or "all",
            "formats": [f.slug for f in export.formats.all()] or "all",
            "renditions": count,
        },
        "ai_disclosure": {
            "per_item": "digital_source_type (IPTC), decided from each variant's lineage",
            "terms": {
                disclosure.TRAINED: "painted by a trained model",
                disclosure.COMPOSITE_TRAINED: "a real photo with parts from a trained model",
                disclosure.ALGORITHMIC: "drawn by a procedural algorithm, no trained model",
                disclosure.COMPOSITE_SYNTHETIC: "a real photo with a procedural background",
            },
            "embedded_as": [
                f"PNG: iTXt '{disclosure.DISCLOSURE_KEYWORD}' and "
                f"'{disclosure.SOURCE_TYPE_KEYWORD}', XMP in iTXt '{disclosure.XMP_KEYWORD}'",
                "JPEG: XMP in APP1, the disclosure in a COM segment",
                "MP4 clips: container metadata (comment, description; keywords = the "
                "source type), remuxed without re-encoding",
                "GIF banners: a comment extension; WebP banners: this manifest only",
            ],
        },
        "sheets": {
            "manifest.csv": "every file with ids, copy, scores, approval, models, seed",
            "google_ads.csv": "Google Ads Editor CSV import (Display: image ads and "
            "responsive display ads); unzip, then import from the unzipped folder",
            "meta_ads.csv": "Meta Ads Manager bulk import (feed and Stories images; feed and "
            "Stories/Reels videos by Video File Name)",
            "skipped.csv": "renditions and clips a sheet leaves out, and why",
            "clips/": "animated creatives (MP4 video, GIF/WebP banners) of the current copy",
        },
        "left_out": {
            sheet: {"rows": summary["rows"], "left_out": summary["left_out"]}
            for sheet, summary in sheet_summary.items()
        },
    }


def _export_root() -> Path:
    return Path(settings.STUDIO_EXPORT_ROOT)


def _move_into_place(path: Path, export: Export) -> str:
    slug = slugify(export.campaign.name) or "campaign"
    relative = f"campaign-{export.campaign_id}/{slug}-export-{export.pk}.zip"
    target = _export_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(path, target)  # same file system: atomic, never a half-written ZIP
    return relative


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _progress(export_id: int, done: int, total: int) -> None:
    Export.objects.filter(pk=export_id).update(progress={"done": done, "total": total})
