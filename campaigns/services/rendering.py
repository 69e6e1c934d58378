"""Lay a variant's copy over its base image in every ad format of its campaign.

Used by the generation round (first renditions) and by copy edits (re-renders).
"""

from __future__ import annotations

import time

from django.core.files.base import ContentFile

from campaigns.models import Rendition, Variant
from campaigns.services import briefs
from studio.engine import layout
from studio.engine.encode import encode_png, sha256_hex
from studio.engine.types import AdCopy, BrandBrief


def variant_render(
    *, variant: Variant, formats, brand: BrandBrief, only_missing: bool = True
) -> float:
    """Render the variant in each format (those it lacks, or all of them) and return the
    seconds spent in the engine."""
    from PIL import Image  # Pillow is light, but only workers render

    have = set(variant.renditions.values_list("format_id", flat=True)) if only_missing else set()
    todo = [fmt for fmt in formats if fmt.pk not in have]
    if not todo:
        return 0.0
    engine_seconds = 0.0
    with Image.open(variant.base_image.path) as opened:
        base = opened.convert("RGB")
    copy = AdCopy(variant.headline, variant.body, variant.cta, variant.image_prompt)
    for fmt in todo:
        started = time.perf_counter()
        result = layout.render(base, copy, brand, briefs.format_spec(fmt))
        png = encode_png(result.image)
        engine_seconds += time.perf_counter() - started
        rendition_save(variant=variant, fmt=fmt, png=png, layout_info=result)
    return engine_seconds


def rendition_save(*, variant: Variant, fmt, png: bytes, layout_info) -> Rendition:
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
        # Which copy version this image shows; the review card waits for it after an edit.
        "copy_version": variant.version,
    }
    name = f"v{variant.pk}-{fmt.slug}-r{rendition.version}.png"
    rendition.image.save(name, ContentFile(png), save=False)
    rendition.save()
    return rendition
