"""Exports: a ZIP of a campaign's approved, cleared renditions, with manifests and the
Google Ads / Meta bulk-upload sheets, built by a Celery task and kept with its history.

Only what `selectors.export_renditions` returns is included, evaluated when the ZIP is
built (so a case opened or blocked after the request still keeps a variant out), and
only renditions of the variant's current copy.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from campaigns.models import AdFormat, AudienceSegment, Campaign, Export
from campaigns.models.generation import SCORE_FIELDS
from campaigns.selectors import campaigns_for_user, export_renditions
from campaigns.services.rendering import rendition_is_current
from studio.engine import disclosure
from studio.engine.archive import ExportArchive

NOTHING_TO_EXPORT = (
    "Nothing to export: no approved variant without an open or blocked moderation case "
    "has renditions in the chosen segments and formats."
)
PROGRESS_STEPS = 50  # progress writes per export, whatever its size


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
    total = rows.count()
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
    total = rows.count()
    _progress(export.pk, 0, total)
    with ExportArchive(_export_root() / ".tmp") as archive:
        skipped = _write_items(archive, export, rows, total)
        if archive.count == 0:
            archive.abort()
            return export_fail(export_id=export.pk, message=NOTHING_TO_EXPORT)
        path = archive.close(header=_header(export, archive.count))
        relative = _move_into_place(path, export)
    variants = rows.values("variant_id").distinct().count()
    export.file.name = relative
    export.sha256 = _file_sha256(_export_root() / relative)
    export.counts = {
        "variants": variants,
        "renditions": archive.count,
        "bytes": (_export_root() / relative).stat().st_size,
        "skipped_stale": skipped,
    }
    export.status = Export.Status.SUCCEEDED
    export.progress = {"done": total, "total": total}
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "sha256", "counts", "status", "progress", "finished_at"])
    return export


def export_fail(*, export_id: int, message: str) -> Export:
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export_id)
        if export.status != Export.Status.SUCCEEDED:
            export.status = Export.Status.FAILED
            export.error = message[:4000]
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "error", "finished_at"])
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


def _write_items(archive: ExportArchive, export: Export, rows, total: int) -> int:
    """Stream every current rendition into the archive; return how many were stale."""
    step = max(1, total // PROGRESS_STEPS)
    skipped = 0
    for done, rendition in enumerate(rows.iterator(chunk_size=200), start=1):
        if rendition_is_current(rendition, rendition.variant):
            archive.add_png(
                arcname=_arcname(rendition),
                source=rendition.image.path,
                row=_row(export, rendition),
                chunks=_chunks(rendition),
            )
        else:
            skipped += 1  # drawn from copy a moderator has since fixed; re-render pending
        if done % step == 0:
            _progress(export.pk, done, total)
    return skipped


def _arcname(rendition) -> str:
    segment = rendition.variant.segment
    return (
        f"renditions/{slugify(segment.name) or 'segment'}-{segment.pk}/"
        f"{rendition.format.slug}/variant-{rendition.variant_id}.png"
    )


def _row(export: Export, rendition) -> dict:
    variant = rendition.variant
    lineage = variant.lineage or {}
    return {
        "export_id": export.pk,
        "variant_id": variant.pk,
        "rendition_id": rendition.pk,
        "campaign": export.campaign.name,
        "landing_url": export.campaign.landing_url,
        "segment_id": variant.segment_id,
        "segment": variant.segment.name,
        "format": rendition.format.slug,
        "width": rendition.width,
        "height": rendition.height,
        "headline": variant.headline,
        "body": variant.body,
        "cta": variant.cta,
        **{name: getattr(variant, name) for name in (*SCORE_FIELDS, "nsfw_detected")},
        "approved_by": rendition.approved_by or "",
        "approved_at": rendition.approved_at.isoformat() if rendition.approved_at else "",
        "copywriter": lineage.get("copywriter"),
        "painter": lineage.get("painter"),
        "background_asset": (lineage.get("background") or {}).get("asset"),
        "scorer": lineage.get("scorer"),
        "seed": variant.seed,
        "variant_version": variant.version,
        "ai_generated": True,
        "digital_source_type": disclosure.DIGITAL_SOURCE_TYPE,
    }


def _chunks(rendition) -> bytes:
    painter = (rendition.variant.lineage or {}).get("painter") or {}
    model = painter.get("model") or painter.get("backend") or "generative model"
    return disclosure.disclosure_chunks(
        description=f"AI-generated advertising image (image: {model}; copy: generated, "
        f"human-approved). Variant {rendition.variant_id}.",
        creator_tool="Creative Studio",
    )


def _header(export: Export, count: int) -> dict:
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
            "ai_generated": True,
            "digital_source_type": disclosure.DIGITAL_SOURCE_TYPE,
            "embedded_as": [
                f"PNG iTXt '{disclosure.DISCLOSURE_KEYWORD}'",
                f"PNG iTXt '{disclosure.SOURCE_TYPE_KEYWORD}'",
                f"XMP (PNG iTXt '{disclosure.XMP_KEYWORD}') Iptc4xmpExt:DigitalSourceType",
            ],
        },
        "sheets": {
            "manifest.csv": "every file with ids, copy, scores, approval, models, seed",
            "google_ads.csv": "Google Ads Editor CSV import (image ads)",
            "meta_ads.csv": "Meta Ads Manager bulk import",
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
