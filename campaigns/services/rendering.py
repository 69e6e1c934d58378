"""Lay a variant's copy over its base image in every ad format, one Rendition each.

Shared by the generation round and by anything that changes the copy later (a
moderator's fix, a designer's edit): each rendition records the variant version it was
drawn from, so a rendition of older copy is recognisably stale and is re-drawn here,
and never exported.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction

from campaigns.models import AdFormat, Rendition, Variant
from campaigns.services import briefs
from campaigns.services.serving_state import state_invalidate
from studio.engine import layout
from studio.engine.encode import encode_png, sha256_hex
from studio.engine.types import BrandBrief

if TYPE_CHECKING:
    from PIL import Image


def variant_render(
    *,
    variant: Variant,
    formats: Iterable[AdFormat] | None = None,
    brand: BrandBrief | None = None,
    base: Image.Image | None = None,
    status: str | None = None,
) -> float:
    """Render every format (default: the campaign's active ones) that lacks a rendition
    of the variant's current version; return the seconds spent in the engine.
    `base` is the decoded base image when the caller has it (base_image_open); `status`,
    when given, is set on the variant in the same transaction as its renditions.

    Idempotent: a re-delivered task finds the renditions up to date and does nothing.
    """
    # Fresh copy and version: the caller's object may predate a moderator's fix.
    variant.refresh_from_db(
        fields=["headline", "body", "cta", "image_prompt", "version", "lineage"]
    )
    if formats is None:
        formats = variant.campaign.formats.filter(is_active=True)
    brand = brand or briefs.brand_brief(variant.campaign.brand)
    existing = {r.format_id: r for r in variant.renditions.all()}
    todo = [
        fmt
        for fmt in formats
        if fmt.pk not in existing or not rendition_is_current(existing[fmt.pk], variant)
    ]
    if not todo:
        _status_set(variant, status)
        return 0.0
    if base is None:
        base = base_image_open(variant)
    seconds, drawn = _draw(variant, todo, existing, base, brand)
    # One transaction for the variant's renditions and status: the write lock is held
    # for the writes only, never while the engine draws.
    rows = [_fill_row(rendition, variant, *rest) for rendition, *rest in drawn]
    replaced = [r for r in rows if r.pk is not None]
    with transaction.atomic():
        Rendition.objects.bulk_create([r for r in rows if r.pk is None])
        for rendition in replaced:
            rendition.save()  # its old file goes on commit
        _status_set(variant, status)
        # bulk_create sends no post_save, so the serving cache hears of it here.
        transaction.on_commit(lambda: state_invalidate(campaign_id=variant.campaign_id))
    return seconds


def _draw(variant, formats, existing, base, brand) -> tuple[float, list]:
    """Lay out and encode each format, and store its file; return the engine seconds and
    (rendition, layout result, stored name, sha256) per format."""
    copy = briefs.variant_copy(variant)
    brand = briefs.layout_brand(brand, campaign=variant.campaign, language=copy.language)
    seconds = 0.0
    drawn = []
    # Files are written on a thread (I/O and hashing drop the GIL) while the next
    # format is laid out.
    with ThreadPoolExecutor(max_workers=1) as writer:
        for fmt in formats:
            started = time.perf_counter()
            result = layout.render(base, copy, brand, briefs.format_spec(fmt))
            png = encode_png(result.image)
            seconds += time.perf_counter() - started
            rendition = _next_rendition(variant, fmt, existing.get(fmt.pk))
            name = f"v{variant.pk}-{fmt.slug}-r{rendition.version}.png"
            drawn.append((rendition, result, writer.submit(_store_png, name, png)))
    return seconds, [(rendition, result, *stored.result()) for rendition, result, stored in drawn]


def _status_set(variant: Variant, status: str | None) -> None:
    if status is not None and variant.status != status:
        variant.status = status
        variant.save(update_fields=["status", "updated_at"])


def base_image_open(variant: Variant) -> Image.Image:
    """The variant's base image, decoded to RGB."""
    from PIL import Image

    with Image.open(variant.base_image.path) as opened:
        return opened.convert("RGB")


def rendition_is_current(rendition: Rendition, variant: Variant) -> bool:
    """Drawn from the variant's present copy (renditions from before the version stamp
    count as version 1)."""
    return int(rendition.layout.get("variant_version", 1)) == variant.version


def _next_rendition(variant: Variant, fmt: AdFormat, existing: Rendition | None) -> Rendition:
    if existing is None:
        return Rendition(variant=variant, format=fmt)
    existing.version += 1  # a copy edit replaces the rendition; the name says which one
    return existing


def _store_png(name: str, png: bytes) -> tuple[str, str]:
    field = Rendition._meta.get_field("image")
    stored = field.storage.save(field.generate_filename(None, name), ContentFile(png))
    return stored, sha256_hex(png)


def _fill_row(
    rendition: Rendition, variant: Variant, layout_info, stored: str, sha: str
) -> Rendition:
    replaced = rendition.image.name if rendition.pk and rendition.image else ""
    rendition.image.name = stored
    rendition.width, rendition.height = layout_info.image.size
    rendition.sha256 = sha
    rendition.layout = {
        "boxes": {k: list(v) for k, v in layout_info.boxes.items()},
        "contrast": layout_info.contrast,
        "font_sizes": layout_info.font_sizes,
        "dropped": list(getattr(layout_info, "dropped", [])),
        "variant_version": variant.version,
    }
    if replaced and replaced != stored:
        storage = rendition.image.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    return rendition
