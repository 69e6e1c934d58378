"""Lay out a format before its background is painted, for painters that paint the scene
around the product (inpainting): the product's box must be known before painting, and
the text zones must fit the copy.

The family's templates are planned and scored exactly as at render time (layout.py), on
a flat canvas in the brand's background colour: the copy, logo and product decide the
template; the painted scene can then only change the text colour or add a scrim. The
render of that format is forced to the same template and the same product box.
"""

from __future__ import annotations

from PIL import Image

from studio.engine.contrast import Box
from studio.engine.layers import Layers, brand_colours, visible
from studio.engine.layout import choose_plan
from studio.engine.types import AdCopy, BrandBrief, FormatSpec


def plan_product(
    copy: AdCopy,
    brand: BrandBrief,
    fmt: FormatSpec,
    product: Image.Image,
    *,
    logo: Image.Image | None = None,
    product_name: str = "",
    slot: int = 0,
) -> tuple[str, Box | None]:
    """(template name, product box in the format's pixels) for this copy and cut-out.

    The box has the cut-out's aspect (its visible pixels) and stands on the bottom of
    the template's product zone; None only where the template has no product zone."""
    flat = Image.new("RGB", (fmt.width, fmt.height), brand_colours(brand)["background"])
    layers = Layers(background=flat, product=visible(product), logo=logo)
    choice = choose_plan(layers, copy, brand, fmt, product_name=product_name, slot=slot)
    box = choice.chosen.product
    return choice.chosen.template.name, tuple(int(v) for v in box) if box else None
