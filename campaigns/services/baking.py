"""Backgrounds painted around the product (inpainting painters): the product's place in
each format is chosen before painting (studio/engine/prelayout.py), the painter bakes the
product into the scene exactly there, and every render keeps that template and box.

Painters that do not paint around the product (the offline backdrop painter, library
photos, text-to-image) keep today's path: a background per format, the product placed
by layout at render time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from campaigns.models import AdFormat, Campaign
from campaigns.services import briefs
from campaigns.services.layer_assets import RenderAssets
from studio.engine import prelayout
from studio.engine.contrast import Box
from studio.engine.types import AdCopy, BackgroundRequest, PaintedBackground
from studio.engine.unicode_text import strip_hidden


@dataclass(frozen=True)
class Place:
    """Where the product goes in one format: the template and the box, in its pixels."""

    template: str
    box: Box


def bakes_product(*, painter: Any, assets: RenderAssets) -> bool:
    """The painter paints scenes around the product, and the campaign has a cut-out."""
    return bool(getattr(painter, "paints_around", False)) and bool(assets.product_path)


def product_places(
    *,
    copy: AdCopy,
    assets: RenderAssets,
    campaign: Campaign,
    formats: Sequence[AdFormat],
    slot: int,
) -> dict[str, Place]:
    """The pre-layout of each format for this copy: the template and product box render
    will use (the same brand brief, small print and slot as rendering.py)."""
    copy = replace(
        copy,
        headline=strip_hidden(copy.headline),
        body=strip_hidden(copy.body),
        cta=strip_hidden(copy.cta),
    )
    brand = briefs.layout_brand(assets.brand, campaign=campaign, language=copy.language)
    places = {}
    for fmt in formats:
        template, box = prelayout.plan_product(
            copy, brand, briefs.format_spec(fmt), assets.product,
            logo=assets.logo, product_name=assets.product_name, slot=slot,
        )  # fmt: skip
        if box is not None:
            places[fmt.slug] = Place(template, box)
    return places


def paint_formats(*, painter: Any, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
    """Paint every request in order: those with a product box around the product
    (painter.paint_around), the others as plain backgrounds, one call for each kind."""
    around = [i for i, r in enumerate(requests) if r.product_box is not None]
    plain = [i for i, r in enumerate(requests) if r.product_box is None]
    painted: list[PaintedBackground | None] = [None] * len(requests)
    for indexes, paint in ((around, "paint_around"), (plain, "paint_backgrounds")):
        if indexes:
            results = getattr(painter, paint)([requests[i] for i in indexes])
            for i, result in zip(indexes, results, strict=True):
                painted[i] = result
    return painted  # type: ignore[return-value]


def baked_box(entry_or_lineage: dict) -> Box | None:
    """The product box of a background with the product baked in (a Variant.layers entry
    or a painter's lineage), else None."""
    if not entry_or_lineage.get("product_baked"):
        return None
    return tuple(int(v) for v in entry_or_lineage["product_box"])  # type: ignore[return-value]
