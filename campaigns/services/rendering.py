"""Lay a variant's copy over its base image in every ad format, one Rendition each.

Shared by the generation round and by anything that changes the copy later (a
moderator's fix, a designer's edit): each rendition records the variant version it was
drawn from, so a rendition of older copy is recognisably stale and is re-drawn here,
and never exported.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.files.base import ContentFile

from campaigns.models import AdFormat, Rendition, Variant
from campaigns.services import briefs
from studio.engine import layout
from studio.engine.encode import encode_png, sha256_hex
from studio.engine.types import AdCopy, BrandBrief


def variant_render(
    *,
    variant: Variant,
    formats: Iterable[AdFormat] | None = None,
    brand: BrandBrief | None = None,
) -> float:
    """Render every format (default: the campaign's active ones) that lacks a rendition
    of the variant's current version; return the seconds spent in the engine.

    Idempotent: a re-delivered task finds the renditions up to date and does nothing.
    """
    from PIL import Image

    # Fresh copy and version: the caller's object may predate a moderator's fix.
    variant.refresh_from_db(fields=["headline", "body", "cta", "image_prompt", "version"])
    if formats is None:
        formats = variant.campaign.formats.filter(is_active=True)
    brand = brand or briefs.brand_brief(variant.campaign.brand)
    current = {r.format_id for r in variant.renditions.all() if rendition_is_current(r, variant)}
    todo = [fmt for fmt in formats if fmt.pk not in current]
    if not todo:
        return 0.0
    base = Image.open(variant.base_image.path).convert("RGB")
    copy = AdCopy(variant.headline, variant.body, variant.cta, variant.image_prompt)
    seconds = 0.0
    for fmt in todo:
        started = time.perf_counter()
        result = layout.render(base, copy, brand, briefs.format_spec(fmt))
        png = encode_png(result.image)
        seconds += time.perf_counter() - started
        rendition_save(variant=variant, fmt=fmt, png=png, layout_info=result)
    return seconds


def rendition_is_current(rendition: Rendition, variant: Variant) -> bool:
    """Drawn from the variant's present copy (renditions from before the version stamp
    count as version 1)."""
    return int(rendition.layout.get("variant_version", 1)) == variant.version


def rendition_save(*, variant: Variant, fmt: AdFormat, png: bytes, layout_info) -> Rendition:
    """Store one rendition, replacing an earlier one of the same format (copy edits)."""
    rendition = Rendition.objects.filter(variant=variant, format=fmt).first()
    if rendition is None:
        rendition = Rendition(variant=variant, format=fmt)
    elif rendition.image:
        rendition.image.delete(save=False)
        rendition.version += 1
    rendition.width, rendition.height = layout_info.image.size
    rendition.sha256 = sha256_hex(png)
    rendition.layout = {
        "boxes": {k: list(v) for k, v in layout_info.boxes.items()},
        "contrast": layout_info.contrast,
        "font_sizes": layout_info.font_sizes,
        "dropped": list(getattr(layout_info, "dropped", [])),
        "variant_version": variant.version,
    }
    name = f"v{variant.pk}-{fmt.slug}-r{rendition.version}.png"
    rendition.image.save(name, ContentFile(png), save=False)
    rendition.save()
    return rendition
