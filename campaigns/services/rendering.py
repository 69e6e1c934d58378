"""Lay a variant's copy over its base image in every ad format, one Rendition each.

Shared by the generation round and by anything that changes the copy later (a
moderator's fix, a designer's edit): each rendition records the variant version it was
drawn from, so a rendition of older copy is recognisably stale and is re-drawn here,
and never exported.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction

from campaigns.models import AdFormat, Rendition, Variant
from campaigns.services import briefs
from studio.engine import layout
from studio.engine.encode import encode_png, sha256_hex
from studio.engine.types import AdCopy, BrandBrief

if TYPE_CHECKING:
    from PIL import Image


def variant_render(
    *,
    variant: Variant,
    formats: Iterable[AdFormat] | None = None,
    brand: BrandBrief | None = None,
    base: Image.Image | None = None,
) -> float:
    """Render every format (default: the campaign's active ones) that lacks a rendition
    of the variant's current version; return the seconds spent in the engine.
    `base` is the decoded base image when the caller has it (base_image_open).

    Idempotent: a re-delivered task finds the renditions up to date and does nothing.
    """
    # Fresh copy and version: the caller's object may predate a moderator's fix.
    variant.refresh_from_db(fields=["headline", "body", "cta", "image_prompt", "version"])
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
        return 0.0
    if base is None:
        base = base_image_open(variant)
    copy = AdCopy(variant.headline, variant.body, variant.cta, variant.image_prompt)
    seconds = 0.0
    drawn = []
    for fmt in todo:
        started = time.perf_counter()
        result = layout.render(base, copy, brand, briefs.format_spec(fmt))
        png = encode_png(result.image)
        seconds += time.perf_counter() - started
        rendition = _next_rendition(variant, fmt, existing.get(fmt.pk))
        name = f"v{variant.pk}-{fmt.slug}-r{rendition.version}.png"
        drawn.append((rendition, result, *_store_png(name, png)))
    # One transaction for the variant's renditions: the write lock is held for the
    # inserts only, never while the engine draws.
    with transaction.atomic():
        for rendition, result, stored, sha in drawn:
            _save_row(rendition, variant, result, stored, sha)
    return seconds


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


def _save_row(rendition: Rendition, variant: Variant, layout_info, stored: str, sha: str) -> None:
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
    rendition.save()
    if replaced and replaced != stored:
        storage = rendition.image.storage
        transaction.on_commit(lambda: storage.delete(replaced))
