"""Compose a variant's layers into every ad format, one Rendition each.

The layers are the format's painted background (Variant.layers), the campaign's
product cut-out, the brand's logo, and the copy. Shared by the generation round and by
anything that changes the copy later (a moderator's fix, a designer's edit): each
rendition records the variant version it was drawn from, so a rendition of older copy
is recognisably stale and is re-drawn here from the same layers, and never exported.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from django.core.files.base import ContentFile
from django.db import transaction

from campaigns.models import AdFormat, Rendition, Variant
from campaigns.services import briefs
from campaigns.services.backgrounds import background_open, variant_backgrounds_fill
from campaigns.services.baking import baked_box
from campaigns.services.layer_assets import RenderAssets, render_assets
from campaigns.serving.services.state import state_invalidate
from studio.engine import disclosure, layout, placement
from studio.engine.encode import encode_rendition, encode_thumbnail, sha256_hex
from studio.engine.layers import Layers
from studio.engine.layout import LayoutResult
from studio.engine.types import AdCopy, BrandBrief


def variant_render(
    *,
    variant: Variant,
    formats: Iterable[AdFormat] | None = None,
    brand: BrandBrief | None = None,
    assets: RenderAssets | None = None,
    status: str | None = None,
) -> float:
    """Render every format (default: the campaign's active ones) that lacks a rendition
    of the variant's current version; return the seconds spent in the engine.
    `status`, when given, is set on the variant in the same transaction as its renditions.

    Idempotent: a re-delivered task finds the renditions up to date and does nothing.
    """
    # Fresh copy and version: the caller's object may predate a moderator's fix.
    variant.refresh_from_db(
        fields=["headline", "body", "cta", "image_prompt", "version", "layers", "lineage"]
    )
    if formats is None:
        formats = variant.campaign.formats.filter(is_active=True)
    existing = {r.format_id: r for r in variant.renditions.all()}
    todo = [
        fmt
        for fmt in formats
        if fmt.pk not in existing or not rendition_is_current(existing[fmt.pk], variant)
    ]
    if not todo:
        _status_set(variant, status)
        return 0.0
    assets = assets or render_assets(variant=variant, brand=brand)
    variant_backgrounds_fill(variant=variant, formats=todo, assets=assets)
    seconds, drawn = _draw(variant, todo, existing, assets)
    # One transaction for the variant's renditions and status: the write lock is held
    # for the writes only, never while the engine draws.
    rows = [_fill_row(rendition, variant, *rest) for rendition, *rest in drawn]
    replaced = [r for r in rows if r.pk is not None]
    with transaction.atomic():
        Rendition.objects.bulk_create([r for r in rows if r.pk is None])
        for rendition in replaced:
            rendition.save()  # its old files go on commit
        _status_set(variant, status)
        # bulk_create sends no post_save, so the serving cache hears of it here.
        transaction.on_commit(lambda: state_invalidate(campaign_id=variant.campaign_id))
    return seconds


def variant_layers(variant: Variant, fmt: AdFormat, assets: RenderAssets) -> Layers:
    entry = variant.layers[fmt.slug]
    return Layers(
        background=background_open(entry),
        product=assets.product,
        logo=assets.logo,
        floor_y=entry.get("floor_y"),
        light_x=float(entry.get("light_x") or 0.0),
        baked_box=baked_box(entry),
    )


def layer_template(entry: dict, previous: Rendition | None) -> str | None:
    """The template a format is drawn with: the one its background was painted for
    (a baked product, a variation of a laid-out source), else the one the designer saw
    last (a re-render after a copy edit keeps it), else None (layout chooses)."""
    if entry.get("template"):
        return entry["template"]
    return previous.layout.get("template") if previous else None


def format_compose(
    *,
    variant: Variant,
    fmt: AdFormat,
    layers: Layers,
    assets: RenderAssets,
    copy: AdCopy,
    brand: BrandBrief,
    previous: Rendition | None = None,
) -> LayoutResult:
    """Lay out one format of the variant on its layers (the image, before encoding)."""
    template = layer_template(variant.layers[fmt.slug], previous)
    return layout.render(
        layers, copy, brand, briefs.format_spec(fmt), product_name=assets.product_name,
        slot=variant.index, template=template,
    )  # fmt: skip


def _draw(variant, formats, existing, assets: RenderAssets) -> tuple[float, list]:
    """Compose and encode each format (and its thumbnail, in the same pass), and store
    the files; return the engine seconds and (rendition, result, encoded, stored) rows."""
    copy = briefs.variant_copy(variant)
    brand = briefs.layout_brand(assets.brand, campaign=variant.campaign, language=copy.language)
    # How the image was made, from the lineage (IPTC digital source type); no ids, so the
    # same round reproduces byte for byte.
    placed = {"boxes": {"product": True}} if assets.product is not None else None
    label = disclosure.disclosure_for(variant.lineage or {}, placed)
    seconds = 0.0
    drawn = []
    # Files are written on a thread (I/O and hashing drop the GIL) while the next
    # format is laid out.
    with ThreadPoolExecutor(max_workers=1) as writer:
        for fmt in formats:
            layers = variant_layers(variant, fmt, assets)
            started = time.perf_counter()
            result = format_compose(
                variant=variant, fmt=fmt, layers=layers, assets=assets, copy=copy, brand=brand,
                previous=existing.get(fmt.pk),
            )  # fmt: skip
            rule = placement.RULES[result.family]
            encoded = encode_rendition(result.image, disclosure=label, budget=rule.file_budget)
            thumb = encode_thumbnail(result.image, encoded=encoded)
            seconds += time.perf_counter() - started
            rendition = _next_rendition(variant, fmt, existing.get(fmt.pk))
            name = f"v{variant.pk}-{fmt.slug}-r{rendition.version}"
            stored = writer.submit(_store, name, encoded, thumb)
            drawn.append((rendition, result, encoded, rule.file_budget, stored))
    return seconds, [(*row[:-1], *row[-1].result()) for row in drawn]


def _status_set(variant: Variant, status: str | None) -> None:
    if status is not None and variant.status != status:
        variant.status = status
        variant.save(update_fields=["status", "updated_at"])


def rendition_is_current(rendition: Rendition, variant: Variant) -> bool:
    """Drawn from the variant's present copy (renditions from before the version stamp
    count as version 1)."""
    return int(rendition.layout.get("variant_version", 1)) == variant.version


def _next_rendition(variant: Variant, fmt: AdFormat, existing: Rendition | None) -> Rendition:
    if existing is None:
        return Rendition(variant=variant, format=fmt)
    existing.version += 1  # a copy edit replaces the rendition; the name says which one
    return existing


def _store(name: str, encoded, thumb: bytes) -> tuple[str, str, str]:
    """Save the rendition (its name carries the real extension) and its thumbnail."""
    image_field = Rendition._meta.get_field("image")
    thumb_field = Rendition._meta.get_field("thumbnail")
    stored = image_field.storage.save(
        image_field.generate_filename(None, f"{name}.{encoded.ext}"), ContentFile(encoded.data)
    )
    thumb_name = thumb_field.storage.save(
        thumb_field.generate_filename(None, f"{name}-thumb.jpg"), ContentFile(thumb)
    )
    return stored, thumb_name, sha256_hex(encoded.data)


def _fill_row(
    rendition: Rendition, variant: Variant, result, encoded, budget, stored, thumb, sha
) -> Rendition:
    old = [
        f.name
        for f in (rendition.image, rendition.thumbnail)
        if rendition.pk and f and f.name not in (stored, thumb)
    ]
    rendition.image.name = stored
    rendition.thumbnail.name = thumb
    rendition.width, rendition.height = result.image.size
    rendition.sha256 = sha
    checks = dict(result.checks)
    checks["file_over_budget"] = {
        "ok": not encoded.over_budget,
        "detail": f"{len(encoded.data)} bytes over the {budget} byte budget"
        if encoded.over_budget
        else "",
    }
    rendition.layout = {
        **result.report(),
        "checks": checks,
        "text_colours": {
            k: "#{:02X}{:02X}{:02X}".format(*v) for k, v in result.text_colours.items()
        },
        "file": {
            "type": encoded.ext,
            "quality": encoded.quality,
            "bytes": len(encoded.data),
            "budget": budget,
        },
        "variant_version": variant.version,
    }
    rendition.checks_ok = all(c["ok"] for c in checks.values())
    if old:
        storage = rendition.image.storage
        transaction.on_commit(lambda: [storage.delete(name) for name in old])
    return rendition
