"""The still layout taken apart into one RGBA sprite per element, so each can move alone.

layout.render plans and draws the still; here the same plan is drawn again element by
element, making the same decisions on the same canvas (text colour, scrim, logo plate),
but each element lands on its own transparent sprite. At rest, the sprites over the
background give the still back (tests compare them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageChops, ImageDraw

from studio.engine import layout
from studio.engine.contrast import WHITE, Box, contrast_ratio
from studio.engine.layers import (
    SCRIM_ALPHAS,
    Layers,
    brand_colours,
    draw_badge,
    draw_button,
    ensure_contrast,
    logo_plate,
    paste_contact_shadow,
    repaste_baked,
)
from studio.engine.types import AdCopy, BrandBrief, FormatSpec

SHADOW_INK = (20, 18, 16)  # paste_contact_shadow's colour


@dataclass
class Sprite:
    name: str
    box: Box  # where it rests on the canvas
    image: Image.Image  # RGBA, the box's size
    # Text, CTA and badge: what lies under the glyphs (scrim or button, RGBA, the box's
    # size), the glyphs' bounding box on the canvas and their colour, so contrast can
    # be measured again on any frame's background.
    backing: Image.Image | None = None
    ink: Box | None = None
    colour: tuple[int, int, int] | None = None

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size


@dataclass
class Scene:
    """A format's rendition as sprites over a background, with the still they came from."""

    still: layout.LayoutResult
    plan: layout.Plan
    background: Image.Image  # RGB
    sprites: dict[str, Sprite] = field(default_factory=dict)  # drawing order
    content: Box = (0, 0, 0, 0)
    baked: bool = False  # the product is painted into the background (inpainting)

    @property
    def safe_area(self) -> Box:
        return self.still.safe_area


def build_scene(
    layers: Layers,
    copy: AdCopy,
    brand: BrandBrief,
    fmt: FormatSpec,
    *,
    product_name: str = "",
    slot: int = 0,
    template: str | None = None,
) -> Scene:
    still = layout.render(
        layers, copy, brand, fmt, product_name=product_name, slot=slot, template=template
    )
    plan, content = still.plan, still.content
    background = layout._rgb_copy(layers.background)
    scene = Scene(
        still=still, plan=plan, background=background, content=content,
        baked=layers.baked_box is not None,
    )  # fmt: skip
    scene.sprites = _draw_sprites(plan, layers, brand, background.copy())
    end_logo = _end_card_logo(plan, layers, brand, background.copy(), content)
    if end_logo is not None:
        scene.sprites["end_logo"] = end_logo
    return scene


def _draw_sprites(plan, layers: Layers, brand: BrandBrief, canvas: Image.Image):
    """Replays layout.draw_plan on canvas (so each decision sees what the still's saw),
    keeping each element apart."""
    sprites: dict[str, Sprite] = {}
    colours = brand_colours(brand)
    if plan.product and layers.product is not None and layers.baked_box is not None:
        # Painted around the product: it is part of the scene and never moves; its opaque
        # pixels are re-pasted exactly (soft edges stay as the painter blended them).
        fitted = repaste_baked(canvas, layers.product, plan.product)
        opaque = fitted.getchannel("A").point(lambda a: 255 if a == 255 else 0)
        sprites["product"] = Sprite("product", plan.product, _with_alpha(fitted, opaque))
    elif plan.product and layers.product is not None:
        box = plan.product
        product = layout.scaled(layers.product, (box[2] - box[0], box[3] - box[1]))
        shadow = _shadow_sprite(canvas.size, box, layers.light_x)
        if shadow is not None:
            sprites["shadow"] = shadow
        paste_contact_shadow(canvas, box, layers.light_x)
        canvas.paste(product, box[:2], product)
        sprites["product"] = Sprite("product", box, product.convert("RGBA"))
    if plan.logo and layers.logo is not None:
        box = plan.logo
        logo = layout.scaled(layers.logo, (box[2] - box[0], box[3] - box[1]))
        sprites["logo"] = _logo_sprite(
            "logo", canvas, logo, box, plan.zones["logo"], colours["background"]
        )
    sprites.update(_text_sprites(plan, canvas, colours, brand))
    return sprites


def _with_alpha(image: Image.Image, alpha: Image.Image) -> Image.Image:
    out = image.convert("RGBA")
    out.putalpha(alpha)
    return out


def _shadow_sprite(size, box: Box, light_x: float) -> Sprite | None:
    """The contact shadow as RGBA: drawn on white, its alpha read back from how dark
    each pixel went (the shadow is one colour composited by a mask)."""
    white = Image.new("RGB", size, (255, 255, 255))
    paste_contact_shadow(white, box, light_x)
    red = white.getchannel("R")
    where = ImageChops.invert(red).getbbox()
    if where is None:
        return None
    dark = 255 - np.asarray(red.crop(where), np.float32)
    alpha = np.clip(dark * 255 / (255 - SHADOW_INK[0]) + 0.5, 0, 255).astype(np.uint8)
    rgba = np.empty((*alpha.shape, 4), np.uint8)
    rgba[..., :3] = SHADOW_INK
    rgba[..., 3] = alpha
    return Sprite("shadow", where, Image.fromarray(rgba, "RGBA"))


def _logo_sprite(name, canvas, logo: Image.Image, box: Box, zone: Box, colour) -> Sprite:
    """The logo, on the plate logo_plate lays under it where it would not read."""
    plate = logo_plate(canvas, logo, box, zone, colour)
    canvas.paste(logo, box[:2], logo)
    if plate is None:
        return Sprite(name, box, logo.convert("RGBA"))
    # logo_plate draws with inclusive corners: the plate is one pixel wider and taller.
    outer = (plate[0], plate[1], plate[2] + 1, plate[3] + 1)
    w, h = outer[2] - outer[0], outer[3] - outer[1]
    fill = _plate_fill(logo, colour)
    mask = Image.new("L", (w, h), 0)
    radius = max(2, (plate[3] - plate[1]) // 4)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, w - 1, h - 1), radius, fill=255)
    image = Image.new("RGBA", (w, h), (*fill, 0))
    image.putalpha(mask)
    image.alpha_composite(logo.convert("RGBA"), (box[0] - outer[0], box[1] - outer[1]))
    return Sprite(name, outer, image)


def _plate_fill(logo: Image.Image, colour) -> tuple[int, int, int]:
    # The same rule as layers.logo_plate: the brand background unless it fails 3:1.
    alpha = np.asarray(logo.getchannel("A")) > 128
    ink = np.asarray(logo.convert("RGB"))[alpha]
    median = tuple(int(v) for v in np.median(ink, 0))
    return colour if contrast_ratio(colour, median) >= 3 else WHITE


def _text_sprites(plan, canvas: Image.Image, colours, brand: BrandBrief) -> dict[str, Sprite]:
    draw = ImageDraw.Draw(canvas)
    align = plan.template.align
    out: dict[str, Sprite] = {}
    for name in layout.TEXTS:
        if name not in plan.fitted:
            continue
        fitted, zone = plan.fitted[name], plan.zones[name]
        origin = layout._origin(fitted, zone, align, layout._valign(name, plan))
        ink = layout.ink_box(draw, fitted, origin, align)
        pad = max(2, fitted.size // 5)
        box = _inside(layout._grow(ink, pad), canvas.size)
        before = np.asarray(canvas.crop(box))
        colour, _ = ensure_contrast(canvas, box, preferred=colours["text"], pad=pad)
        base = _scrim(before, np.asarray(canvas.crop(box)), colour, pad)
        out[name] = _with_glyphs(name, box, base, fitted, origin, align, colour)
    for name, drawer in (("cta", draw_button), ("badge", draw_badge)):
        if name not in plan.fitted:
            continue
        layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
        if name == "cta":
            args = (plan.fitted[name], plan.zones[name], align, colours["cta"], brand.cta_shape)
        else:
            args = (plan.fitted[name], plan.zones[name], colours["accent"])
        box, origin, label = drawer(layer, *args)
        base = layer.crop(box)
        out[name] = _with_glyphs(name, box, base, plan.fitted[name], origin, "center", label)
    return out


def _inside(box: Box, size) -> Box:
    return (max(0, box[0]), max(0, box[1]), min(size[0], box[2]), min(size[1], box[3]))


def _scrim(before: np.ndarray, after: np.ndarray, colour, pad: int) -> Image.Image:
    """The scrim ensure_contrast laid (if any) as an RGBA layer: a darkening one under
    white text, a lightening one under dark text, at the opacity read back from the
    change it made (snapped to one of its steps)."""
    h, w = before.shape[:2]
    changed = np.abs(after.astype(np.int16) - before.astype(np.int16)).max(axis=2) > 0
    if not changed.any():
        return Image.new("RGBA", (w, h), (0, 0, 0, 0))
    shade = 0 if colour == WHITE else 255
    b = before.astype(np.float32)[changed]
    a = after.astype(np.float32)[changed]
    room = shade - b
    usable = np.abs(room) > 24
    ratio = (a - b)[usable] / room[usable] if usable.any() else np.array([1.0])
    alpha = min(SCRIM_ALPHAS, key=lambda s: abs(s - float(np.median(ratio))))
    mask = Image.new("L", (w, h), 0)
    radius = max(1, min(min(w, h) // 10, 3 * pad))
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, w, h), radius, fill=round(255 * alpha))
    image = Image.new("RGBA", (w, h), (shade, shade, shade, 0))
    image.putalpha(mask)
    return image


def _with_glyphs(name, box: Box, base: Image.Image, fitted, origin, align, colour) -> Sprite:
    """Glyph coverage drawn as a mask (Pillow's text on a transparent RGBA would blend
    its edges towards black), laid over the base in the text colour."""
    mask = Image.new("L", base.size, 0)
    local = (origin[0] - box[0], origin[1] - box[1])
    layout.draw_lines(ImageDraw.Draw(mask), fitted, local, align, 255)
    ink = Image.new("RGBA", base.size, (*colour[:3], 0))
    ink.putalpha(mask)
    base = base.convert("RGBA")
    bb = mask.getbbox() or (0, 0, *base.size)
    where = (box[0] + bb[0], box[1] + bb[1], box[0] + bb[2], box[1] + bb[3])
    image = Image.alpha_composite(base, ink)
    return Sprite(name, box, image, backing=base, ink=where, colour=tuple(colour[:3]))


def _end_card_logo(plan, layers: Layers, brand, canvas: Image.Image, content: Box):
    """The end card's logo: larger, in the headline's zone (emptied by then), which is
    inside the safe area and clear of the product by the template's construction."""
    if layers.logo is None or "headline" not in plan.zones:
        return None
    zone = plan.zones["headline"]
    box = layout._place_logo(layers.logo, zone, content)
    if plan.logo and (box[3] - box[1]) <= (plan.logo[3] - plan.logo[1]):
        return None  # no bigger than the corner logo: nothing to show
    logo = layout.scaled(layers.logo, (box[2] - box[0], box[3] - box[1]))
    colour = brand_colours(brand)["background"]
    return _logo_sprite("end_logo", canvas, logo, box, zone, colour)
