"""The layers of a creative and the drawing of each: contact shadow, CTA button, badge,
readable text colours (with a scrim where the background is too busy)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from studio.engine.contrast import (
    MIN_CONTRAST,
    NEAR_BLACK,
    WHITE,
    Box,
    box_luminance,
    contrast_against,
    contrast_ratio,
    contrast_ratios,
    luminance,
)
from studio.engine.painter.procedural import parse_palette
from studio.engine.painter.product import product_fitted
from studio.engine.textfit import FittedText, fit
from studio.engine.types import BrandBrief

# Aim a little above 4.5 so rounding in another tool's measurement cannot fail it.
TARGET_CONTRAST = MIN_CONTRAST + 0.1
SCRIM_ALPHAS = (0.3, 0.45, 0.6, 0.75, 0.9, 1.0)
MIN_LABEL_PX = 11
ROLES = ("background", "accent", "text", "cta")


@dataclass
class Layers:
    """Everything a format's rendition is composed from."""

    background: Image.Image  # RGB at the format's size
    product: Image.Image | None = None  # RGBA cut-out, trimmed
    logo: Image.Image | None = None  # RGBA
    floor_y: float | None = None
    light_x: float = 0.0
    # Where a painter that paints around the product (inpainting) already composited it
    # into the background: layout keeps it exactly there, re-pastes its opaque pixels on
    # top and adds no contact shadow (the painted scene has its own).
    baked_box: Box | None = None


@lru_cache(maxsize=64)
def brand_colours(brand: BrandBrief) -> dict[str, tuple[int, int, int]]:
    """Colour roles: the brand's own where set, else taken from its palette in order
    (background, accent, text, CTA = accent)."""
    palette = parse_palette(brand.palette)
    roles = dict(brand.colours)
    fallback = {
        "background": palette[0],
        "accent": palette[1 % len(palette)],
        "text": palette[2 % len(palette)] if len(palette) > 2 else WHITE,
        "cta": palette[1 % len(palette)],
    }
    out = {}
    for role in ROLES:
        parsed = parse_palette((roles[role], roles[role])) if role in roles else None
        out[role] = parsed[0] if parsed else fallback[role]
    return out


def readable_colour(image: Image.Image, box: Box, preferred=None) -> tuple[tuple, float]:
    """The brand's text colour when it reads, else white or near-black, whichever is best."""
    options = [c for c in (preferred, WHITE, NEAR_BLACK) if c is not None]
    lum = box_luminance(image, box)
    scored = [(c, contrast_against(lum, c)) for c in options]
    if preferred is not None and scored[0][1] >= TARGET_CONTRAST:
        return scored[0]
    return max(scored, key=lambda option: option[1])


def ensure_contrast(
    canvas: Image.Image, box: Box, preferred=None, pad: int = 2
) -> tuple[tuple, float]:
    """Pick the text colour for box; lay a scrim under it when no colour reads.

    White text goes on a darkening scrim, near-black on a lightening one, whichever needs
    the lighter touch, at the least opacity that works. The opacity is chosen on a bound:
    the channel-wise brightest (or darkest) pixel of the box, which no blended pixel can
    pass, so the whole box reaches the target without measuring every pixel per step."""
    box = _inside(box, canvas.size)
    colour, ratio = readable_colour(canvas, box, preferred)
    if ratio >= TARGET_CONTRAST:
        return colour, ratio
    crop = canvas.crop(box).convert("RGB")
    pixels = np.asarray(crop)
    # Per-channel extremes from Pillow (one C pass), not numpy reductions over axis 0.
    lowest, highest = (
        np.array(bound, np.float64) for bound in zip(*crop.getextrema(), strict=True)
    )
    options = []
    alphas = np.array(SCRIM_ALPHAS)[:, None]
    for text, shade, extreme in ((WHITE, 0.0, highest), (NEAR_BLACK, 255.0, lowest)):
        # Every opacity at once: the bound pixel per opacity, then the least that reads.
        bounds = np.floor(extreme * (1 - alphas) + shade * alphas + 0.5)
        ratios = contrast_ratios(luminance(bounds), text)
        reads = np.flatnonzero(ratios >= TARGET_CONTRAST)
        if reads.size:
            options.append((SCRIM_ALPHAS[reads[0]], text, shade))
    alpha, text, shade = min(options, key=lambda option: option[0])
    blended = (pixels * (1 - alpha) + shade * alpha + 0.5).astype(np.uint8)
    panel = Image.fromarray(blended, "RGB")
    mask = Image.new("L", panel.size, 0)
    # A corner of radius r cuts 0.29 r deep on the diagonal: with r <= 3 x the padding
    # between box and glyphs, every glyph pixel sits on the scrim.
    radius = max(1, min(min(panel.size) // 10, 3 * pad))
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, *panel.size), radius, fill=255)
    canvas.paste(panel, box[:2], mask)
    return text, contrast_against(luminance(blended), text)


def _inside(box: Box, size) -> Box:
    return (max(0, box[0]), max(0, box[1]), min(size[0], box[2]), min(size[1], box[3]))


def paste_contact_shadow(canvas: Image.Image, box: Box, light_x: float) -> None:
    """A soft elliptical shadow where the product meets the ground, pushed away from the
    light; drawn on a patch around the base only, so it costs little on large canvases."""
    w, h = box[2] - box[0], box[3] - box[1]
    sw, sh = max(4, round(0.95 * w)), max(3, round(0.09 * h + 0.02 * w))
    blur = max(1.0, 0.035 * w)
    pad = round(3 * blur)
    shift = round(-light_x * 0.08 * w)
    cx, cy = (box[0] + box[2]) // 2 + shift, box[3] - round(0.01 * h)
    patch = (cx - sw // 2 - pad, cy - sh // 2 - pad, cx + sw // 2 + pad, cy + sh // 2 + pad)
    patch = _inside(patch, canvas.size)
    if patch[2] <= patch[0] or patch[3] <= patch[1]:
        return
    mask = Image.new("L", (patch[2] - patch[0], patch[3] - patch[1]), 0)
    draw = ImageDraw.Draw(mask)
    ox, oy = cx - patch[0], cy - patch[1]
    draw.ellipse((ox - sw // 2, oy - sh // 2, ox + sw // 2, oy + sh // 2), fill=110)
    core_w, core_h = round(0.7 * sw), max(2, round(0.4 * sh))
    draw.ellipse((ox - core_w // 2, oy - core_h // 2, ox + core_w // 2, oy + core_h // 2), fill=170)
    mask = mask.filter(ImageFilter.GaussianBlur(blur))
    region = canvas.crop(patch)
    dark = Image.new("RGB", region.size, (20, 18, 16))
    canvas.paste(Image.composite(dark, region, mask), patch[:2])


def repaste_baked(canvas: Image.Image, product: Image.Image, box) -> Image.Image:
    """The product's opaque pixels pasted exactly over the painted one (the stored layer
    is a JPEG, so it moved a few levels); its soft edges stay as the painter blended them
    (pasting them twice would harden them). Returns the fitted product."""
    fitted = product_fitted(visible(product), box)
    opaque = fitted.getchannel("A").point(lambda a: 255 if a == 255 else 0)
    canvas.paste(fitted.convert("RGB"), box[:2], opaque)
    return fitted


def visible(product: Image.Image) -> Image.Image:
    """The cut-out cropped to its visible pixels, as painters open it (open_product)."""
    bbox = product.getchannel("A").getbbox()
    return product.crop(bbox) if bbox and bbox != (0, 0, *product.size) else product


def _button_padding(size: int) -> tuple[int, int]:
    return max(4, round(0.9 * size)), max(3, round(0.5 * size))


def fit_button(text: str, zone: Box, font_path: str, max_size: float) -> FittedText | None:
    """Largest single-line label whose button (label plus padding) fits inside the zone."""
    width, height = zone[2] - zone[0], zone[3] - zone[1]
    size = max(MIN_LABEL_PX, int(max_size))
    while size >= MIN_LABEL_PX:
        px, py = _button_padding(size)
        found = fit(
            text, width - 2 * px, height - 2 * py, font_path=font_path,
            min_size=MIN_LABEL_PX, max_size=size, max_lines=1,
        )  # fmt: skip
        if found:
            return found
        size = min(size - 1, int(size * 0.85))
    return None


def label_on(fill) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(fill, label colour): the label that reads best, the fill nudged darker or lighter
    until it reaches the target contrast."""
    label = max((WHITE, NEAR_BLACK), key=lambda c: contrast_ratio(fill, c))
    target = np.array(NEAR_BLACK if label == WHITE else WHITE, np.float64)
    step = 0
    while contrast_ratio(fill, label) < TARGET_CONTRAST and step < 20:
        step += 1
        mixed = np.array(fill, np.float64) * (1 - 0.05) + target * 0.05
        fill = tuple(int(round(v)) for v in mixed)
    return fill, label


def draw_button(canvas, fitted: FittedText, zone: Box, align: str, colour, shape: str):
    """Fill the CTA button (pill, rounded or square) in the brand's CTA colour."""
    px, py = _button_padding(fitted.size)
    width, height = fitted.width + 2 * px, fitted.height + 2 * py
    x0 = (zone[0] + zone[2] - width) // 2 if align == "center" else zone[0]
    y0 = zone[1]
    button = (x0, y0, x0 + width, y0 + height)
    fill, label = label_on(colour)
    radius = {"pill": height // 2, "square": 0}.get(shape, round(0.22 * height))
    ImageDraw.Draw(canvas).rounded_rectangle(
        (button[0], button[1], button[2] - 1, button[3] - 1), radius=radius, fill=fill
    )
    return button, (x0 + px, y0 + py), label


def draw_badge(canvas, fitted: FittedText, zone: Box, colour):
    """An offer tag (a pill in the accent colour) centred in its zone."""
    px, py = _button_padding(fitted.size)
    width, height = fitted.width + 2 * px, fitted.height + 2 * py
    x0 = (zone[0] + zone[2] - width) // 2
    y0 = (zone[1] + zone[3] - height) // 2
    tag = (x0, y0, x0 + width, y0 + height)
    fill, label = label_on(colour)
    ImageDraw.Draw(canvas).rounded_rectangle(
        (tag[0], tag[1], tag[2] - 1, tag[3] - 1), radius=height // 2, fill=fill
    )
    return tag, (x0 + px, y0 + py), label


def logo_plate(canvas: Image.Image, logo: Image.Image, box: Box, zone: Box, colour) -> Box | None:
    """A rounded plate in the brand's background colour under a logo that would vanish
    into the picture (under 3:1, WCAG's bar for graphics); returns the plate's box."""
    alpha = np.asarray(logo.getchannel("A")) > 128
    if not alpha.any():
        return None
    ink = np.asarray(logo.convert("RGB"))[alpha]
    ink_lum = float(luminance(ink).mean())
    behind = float(box_luminance(canvas, box).mean())
    if (max(ink_lum, behind) + 0.05) / (min(ink_lum, behind) + 0.05) >= 3.0:
        return None
    pad = max(2, round(0.18 * (box[3] - box[1])))
    plate = (max(zone[0], box[0] - pad), max(zone[1], box[1] - pad),
             min(zone[2], box[2] + pad), min(zone[3], box[3] + pad))  # fmt: skip
    fill = (
        colour if contrast_ratio(colour, tuple(int(v) for v in np.median(ink, 0))) >= 3 else WHITE
    )
    radius = max(2, (plate[3] - plate[1]) // 4)
    ImageDraw.Draw(canvas).rounded_rectangle(plate, radius, fill=fill)
    return plate
