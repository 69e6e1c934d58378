"""Compose the final ad: base image cover-cropped to a format, copy, CTA button, logo.

Three layouts cover the usual formats: "stacked" for square and tall (1080x1080,
1080x1920, 300x250, 160x600), "side" for wide (1200x628) with the copy in a left
column, and "banner" for leaderboards (728x90) with everything on one row.
Every text element must stay whole and reach WCAG AA contrast (4.5:1) against the
pixels actually behind it; when the image is too busy for that, a scrim goes under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

from studio.engine.contrast import (
    MIN_CONTRAST,
    NEAR_BLACK,
    WHITE,
    Box,
    best_text_colour,
    contrast_ratio,
    measure_text_contrast,
    readable_fill,
)
from studio.engine.painter.procedural import parse_palette
from studio.engine.regions import plan_regions
from studio.engine.textfit import FittedText, fit
from studio.engine.types import AdCopy, BrandBrief, FormatSpec

__all__ = ["LayoutResult", "contrast_ratio", "measure_text_contrast", "render"]

# (minimum font size, weight): below these sizes text is not legible, so it is dropped.
TEXT_STYLE = {
    "headline": (10, "bold"),
    "body": (8, "regular"),
    "cta": (8, "bold"),
    "disclaimer": (7, "regular"),
}
# Aim a little above 4.5 so rounding in another tool's measurement cannot fail it.
TARGET_CONTRAST = MIN_CONTRAST + 0.1
SCRIM_ALPHAS = (0.3, 0.45, 0.6, 0.75, 0.9, 1.0)


@dataclass
class LayoutResult:
    image: Image.Image
    boxes: dict[str, Box] = field(default_factory=dict)
    contrast: dict[str, float] = field(default_factory=dict)
    font_sizes: dict[str, int] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    text_colours: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    # The canvas just before glyphs were drawn (scrims and button included): the
    # pixels each text's contrast is measured against.
    background: Image.Image | None = None
    layout: str = ""
    notes: list[str] = field(default_factory=list)


def cover_crop(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale to cover the format, then crop the centre, like CSS object-fit: cover."""
    image = image.convert("RGB")
    scale = max(width / image.width, height / image.height)
    size = (max(width, round(image.width * scale)), max(height, round(image.height * scale)))
    image = image.resize(size, Image.Resampling.LANCZOS)
    left, top = (size[0] - width) // 2, (size[1] - height) // 2
    return image.crop((left, top, left + width, top + height))


def _pad(region: Box) -> int:
    return max(2, round(0.04 * min(region[2] - region[0], region[3] - region[1])))


def _fit_in(name, text, region, font_dir, max_size, language="") -> FittedText | None:
    min_size, weight = TEXT_STYLE[name]
    pad = _pad(region)
    width, height = region[2] - region[0] - 2 * pad, region[3] - region[1] - 2 * pad
    return fit(
        text, width, height, weight=weight, font_dir=font_dir,
        min_size=min_size, max_size=min(max_size, height), language=language,
    )  # fmt: skip


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def fit_copy(copy, brand, kind, regions, fmt, font_dir, result) -> dict[str, FittedText]:
    """Fit each text into its region; body goes before headline when space runs out."""
    short = min(fmt.width, fmt.height)
    cap = 0.5 * fmt.height if kind == "banner" else 0.1 * short
    fitted: dict[str, FittedText] = {}
    lang = copy.language  # long words (German compounds) are hyphenated in their language
    headline = _fit_in("headline", copy.headline, regions["headline"], font_dir, cap, lang)
    if headline is None and copy.body.strip():
        # Give the headline the body's room too, and give up the body.
        regions["headline"] = _union(regions["headline"], regions.pop("body"))
        result.dropped.append("body")
        headline = _fit_in("headline", copy.headline, regions["headline"], font_dir, cap, lang)
    if headline:
        fitted["headline"] = headline
    reference = headline.size if headline else cap
    texts = {"body": (copy.body, 0.6), "cta": (copy.cta, 0.8)}
    if brand.disclaimer.strip():
        texts["disclaimer"] = (brand.disclaimer, 0.4)
    for name, (text, share) in texts.items():
        if name in regions and text.strip():
            found = _fit_in(name, text, regions[name], font_dir, max(8, share * reference), lang)
            if found:
                fitted[name] = found
    wanted = {"headline": copy.headline, "body": copy.body, "cta": copy.cta, **texts}
    for name, value in wanted.items():
        value = value[0] if isinstance(value, tuple) else value
        if value.strip() and name not in fitted and name not in result.dropped:
            result.dropped.append(name)
    return fitted


def _origin(fitted: FittedText, region: Box, align: str) -> tuple[int, int]:
    pad = _pad(region)
    if align == "center":
        x = (region[0] + region[2] - fitted.width) // 2
    else:
        x = region[0] + pad
    return x, (region[1] + region[3] - fitted.height) // 2


def ink_box(draw, fitted: FittedText, origin, align: str) -> Box:
    """Union of the glyphs' real bounding boxes, as drawn line by line from origin."""
    x0, y0 = origin
    boxes = []
    for index, line in enumerate(fitted.lines):
        x = x0 + (fitted.width - fitted.font.getlength(line)) / 2 if align == "center" else x0
        boxes.append(draw.textbbox((x, y0 + index * fitted.step), line, fitted.font, anchor="la"))
    return tuple(int(v) for v in _union_all(boxes))


def _union_all(boxes) -> Box:
    out = boxes[0]
    for box in boxes[1:]:
        out = _union(out, box)
    return out


def draw_lines(draw, fitted: FittedText, origin, align: str, colour) -> None:
    x0, y0 = origin
    for index, line in enumerate(fitted.lines):
        x = x0 + (fitted.width - fitted.font.getlength(line)) / 2 if align == "center" else x0
        draw.text((x, y0 + index * fitted.step), line, fill=colour, font=fitted.font, anchor="la")


def _grow(box: Box, pad: int, size: tuple[int, int]) -> Box:
    return (max(0, box[0] - pad), max(0, box[1] - pad), min(size[0], box[2] + pad),
            min(size[1], box[3] + pad))  # fmt: skip


def ensure_contrast(canvas: Image.Image, box: Box) -> tuple[tuple[int, int, int], float]:
    """Pick the text colour for box; lay a scrim under it when neither colour reads.

    Tries white text on a darkening scrim and near-black text on a lightening one,
    with the least opacity that works, re-measuring the real pixels each time."""
    colour, ratio = best_text_colour(canvas, box)
    if ratio >= TARGET_CONTRAST:
        return colour, ratio
    original = canvas.crop(box)
    for alpha in SCRIM_ALPHAS:
        options = []
        for text, shade in ((WHITE, (0, 0, 0)), (NEAR_BLACK, (255, 255, 255))):
            panel = Image.blend(original, Image.new("RGB", original.size, shade), alpha)
            options.append((measure_text_contrast(panel, (0, 0, *panel.size), text), text, panel))
        ratio, text, panel = max(options, key=lambda option: option[0])
        if ratio >= TARGET_CONTRAST:
            canvas.paste(panel, box[:2])
            return text, ratio
    raise AssertionError("an opaque scrim always reaches full contrast")


def fit_button(text, region, font_dir, max_size) -> FittedText | None:
    """Largest label whose button (label plus padding) fits inside region."""
    min_size, weight = TEXT_STYLE["cta"]
    width, height = region[2] - region[0], region[3] - region[1]
    size = max(min_size, int(max_size))
    while size >= min_size:
        px, py = _button_padding(size)
        found = fit(
            text, width - 2 * px, height - 2 * py, weight=weight, font_dir=font_dir,
            min_size=min_size, max_size=size,
        )  # fmt: skip
        if found:
            return found
        # Padding shrinks with the size, so a smaller cap may leave room after all.
        size = min(size - 1, int(size * 0.8))
    return None


def _button_padding(size: int) -> tuple[int, int]:
    return max(2, round(0.6 * size)), max(2, round(0.35 * size))


def draw_button(canvas, fitted, region, align, palette):
    """Fill a rounded button with the palette colour that makes its label most readable."""
    px, py = _button_padding(fitted.size)
    width, height = fitted.width + 2 * px, fitted.height + 2 * py
    if align == "center":
        x0 = (region[0] + region[2] - width) // 2
    else:
        x0 = region[0]
    y0 = (region[1] + region[3] - height) // 2
    button = (x0, y0, x0 + width, y0 + height)
    fill, label, _ = readable_fill(palette)
    ImageDraw.Draw(canvas).rounded_rectangle(
        (button[0], button[1], button[2] - 1, button[3] - 1), radius=round(0.2 * height), fill=fill
    )
    return button, (x0 + px, y0 + py), label


def open_logo(path: str | None, notes: list[str]) -> Image.Image | None:
    if not path:
        return None
    try:
        with Image.open(path) as logo:
            return logo.convert("RGBA")
    except (OSError, ValueError) as exc:
        # A broken logo should not sink the whole render; the note reaches the lineage.
        notes.append(f"logo not drawn: {exc}")
        return None


def paste_logo(canvas: Image.Image, logo: Image.Image, region: Box) -> Box:
    """Scale the logo into its corner region, keeping its aspect ratio."""
    width, height = region[2] - region[0], region[3] - region[1]
    scale = min(width / logo.width, height / logo.height)
    size = (max(1, round(logo.width * scale)), max(1, round(logo.height * scale)))
    logo = logo.resize(size, Image.Resampling.LANCZOS)
    canvas.paste(logo, region[:2], logo)
    return (region[0], region[1], region[0] + size[0], region[1] + size[1])


def render(
    image: Image.Image,
    copy: AdCopy,
    brand: BrandBrief,
    fmt: FormatSpec,
    *,
    font_dir: str | Path | None = None,
) -> LayoutResult:
    canvas = cover_crop(image, fmt.width, fmt.height)
    result = LayoutResult(image=canvas)
    logo = open_logo(brand.logo_path, result.notes)
    kind, regions = plan_regions(fmt, logo is not None, bool(brand.disclaimer.strip()))
    result.layout = kind
    if logo is not None:
        result.boxes["logo"] = paste_logo(canvas, logo, regions["logo"])
    fitted = fit_copy(copy, brand, kind, regions, fmt, font_dir, result)
    align = "center" if kind == "stacked" else "left"
    draw = ImageDraw.Draw(canvas)
    origins = {}
    for name, text in fitted.items():
        if name == "cta":
            button, origins[name], colour = draw_button(
                canvas, text, regions[name], align, parse_palette(brand.palette)
            )
            result.boxes["cta_button"] = button
            pad = max(1, round(0.15 * text.size))
        else:
            origins[name], pad, colour = (
                _origin(text, regions[name], align),
                _pad(regions[name]),
                None,
            )
        box = _grow(ink_box(draw, text, origins[name], align), pad, canvas.size)
        if colour is None:
            colour, _ = ensure_contrast(canvas, box)
        result.boxes[name], result.text_colours[name] = box, colour
        result.font_sizes[name] = text.size
    _recheck(canvas, result)
    result.background = canvas.copy()
    for name, text in fitted.items():
        draw_lines(draw, text, origins[name], align, result.text_colours[name])
    result.image = canvas
    return result


def _recheck(canvas: Image.Image, result: LayoutResult) -> None:
    """Measure every text box on the finished background; a neighbour's scrim or the
    button may have touched an edge, so fix any box that fell below the target."""
    for name, colour in list(result.text_colours.items()):
        box = result.boxes[name]
        ratio = measure_text_contrast(canvas, box, colour)
        if ratio < TARGET_CONTRAST and name != "cta":
            colour, ratio = ensure_contrast(canvas, box)
            result.text_colours[name] = colour
        result.contrast[name] = round(float(ratio), 3)
