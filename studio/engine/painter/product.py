"""The product on the set: where it stands, and the contact shadow that makes it stand.

A cut-out floats unless it touches the floor: a tight dark occlusion right under its
base, and a softer shadow thrown away from the key light, both on the floor line.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from studio.engine.types import EngineError


def open_product(path: str) -> Image.Image:
    """The product as RGBA, cropped to its visible pixels (cut-outs carry padding)."""
    if not Path(path).is_file():
        raise EngineError(f"Product image not found: {path}")
    try:
        with Image.open(path) as source:
            product = source.convert("RGBA")
    except (OSError, ValueError) as exc:
        raise EngineError(f"Could not open the product image {path}: {exc}") from exc
    bbox = product.getchannel("A").getbbox()
    return product.crop(bbox) if bbox else product


def product_box_for(product_size, canvas_size, floor_y: float) -> tuple[int, int, int, int]:
    """A centred box whose bottom edge is on the floor line, sized to leave room above."""
    pw, ph = product_size
    width, height = canvas_size
    floor = floor_y * height
    scale = min(0.5 * width / pw, 0.62 * floor / ph, 0.55 * height / ph)
    w, h = max(1, round(pw * scale)), max(1, round(ph * scale))
    x = round((width - w) / 2)
    y1 = round(floor)
    return (x, y1 - h, x + w, y1)


def contact_shadow(size, box, light_x: float) -> Image.Image:
    """An L mask (0 = none) of the product's shadow on the floor, for `box`."""
    x0, y0, x1, y1 = box
    pw = max(x1 - x0, 1)
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    cx = (x0 + x1) / 2
    # The soft shadow is thrown away from the light, flattened by the floor's angle.
    throw = -light_x * 0.22 * pw
    soft_w, soft_h = 0.62 * pw, 0.09 * pw
    draw.ellipse(
        (cx + throw - soft_w, y1 - soft_h, cx + throw + soft_w, y1 + soft_h * 0.9), fill=90
    )
    mask = mask.filter(ImageFilter.GaussianBlur(max(1.0, 0.05 * pw)))
    tight = Image.new("L", size, 0)
    tight_w, tight_h = 0.46 * pw, max(1.0, 0.025 * pw)
    ImageDraw.Draw(tight).ellipse(
        (cx - tight_w, y1 - tight_h, cx + tight_w, y1 + tight_h), fill=170
    )
    tight = tight.filter(ImageFilter.GaussianBlur(max(0.6, 0.012 * pw)))
    return ImageChops.lighter(mask, tight)


def place_product(canvas: Image.Image, product: Image.Image, box, floor_y, light_x) -> tuple:
    """Stand the product in `box` (moved so its base is on `floor_y` if given) with its
    contact shadow; `canvas` is changed in place. Returns the box used."""
    x0, y0, x1, y1 = box
    if floor_y is not None:
        bottom = min(round(floor_y * canvas.height), canvas.height)
        shift = bottom - y1
        y0, y1 = max(0, y0 + shift), bottom
    w, h = x1 - x0, y1 - y0
    scale = min(w / product.width, h / product.height)
    size = (max(1, round(product.width * scale)), max(1, round(product.height * scale)))
    x0 = round((x0 + x1 - size[0]) / 2)
    y0 = y1 - size[1]
    placed = (x0, y0, x0 + size[0], y1)
    shadow = contact_shadow(canvas.size, placed, light_x)
    dark = canvas.point(lambda v: v * 30 // 100)
    canvas.paste(Image.composite(dark, canvas, shadow))
    fitted = product.resize(size, Image.Resampling.LANCZOS)
    canvas.paste(fitted, (x0, y0), fitted)
    return placed


def product_fitted(product: Image.Image, box) -> Image.Image:
    """The cut-out scaled to exactly `box`'s size: the one resize every painter that
    bakes the product and the layout that re-pastes it share, so both give the same
    pixels (Lanczos, box-filtered first on big reductions)."""
    size = (max(1, box[2] - box[0]), max(1, box[3] - box[1]))
    if product.size == size:
        return product
    return product.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def product_composite(canvas: Image.Image, product: Image.Image, box) -> Image.Image:
    """`canvas` (RGB) with the product alpha-composited at `box`: where the cut-out is
    opaque the result is the cut-out's own pixels, exactly. Returns a new image."""
    fitted = product_fitted(product, box)
    out = canvas.convert("RGB").copy()
    out.paste(fitted, (box[0], box[1]), fitted)
    return out
