"""Compose an ad from its layers: background, product cut-out, logo, text, CTA, badge.

The format's aspect family (placement.py) gives the safe area and minimum sizes; each
of the family's templates (templates.py) is planned (texts fitted, product and logo
placed), scored, and one is chosen, spreading a round's variants over the good ones.
Every element goes inside its own zone, and no zone overlaps the product's, so text
never covers the product. Text reaches WCAG AA contrast on the pixels behind it, with
a scrim under it where the background is too busy. Checks (checks.py) record the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from studio.engine import checks, placement
from studio.engine.contrast import (
    NEAR_BLACK,
    WHITE,
    Box,
    contrast_against,
    luminance,
    measure_text_contrast,
)
from studio.engine.layers import (
    Layers,
    brand_colours,
    draw_badge,
    draw_button,
    ensure_contrast,
    fit_button,
    logo_plate,
    paste_contact_shadow,
    repaste_baked,
)
from studio.engine.templates import Template, templates_for
from studio.engine.textfit import FittedText, default_font, fit
from studio.engine.textfit import _length as text_length
from studio.engine.types import AdCopy, BrandBrief, FormatSpec

__all__ = ["Layers", "LayoutResult", "render"]

TEXTS = ("headline", "body", "disclaimer")


@dataclass
class Plan:
    template: Template
    zones: dict[str, Box]
    product: Box | None = None
    logo: Box | None = None
    fitted: dict[str, FittedText] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    penalty: float = 0.0
    score: float = 0.0


@dataclass
class LayoutResult:
    image: Image.Image
    family: str = ""
    template: str = ""
    safe_area: Box = (0, 0, 0, 0)
    boxes: dict[str, Box] = field(default_factory=dict)
    contrast: dict[str, float] = field(default_factory=dict)
    font_sizes: dict[str, int] = field(default_factory=dict)
    text_colours: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lines: dict[str, list[str]] = field(default_factory=dict)
    fonts: dict[str, str] = field(default_factory=dict)  # role -> font file name
    # The glyphs' own bounding boxes (inside boxes[name]): contrast is measured there.
    ink: dict[str, Box] = field(default_factory=dict)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The product as placed (scaled RGBA) and its top-left corner, for tests and lineage.
    product_image: Image.Image | None = None
    under_product: Image.Image | None = None  # what lay under it (background + shadow)
    # The canvas before glyphs were drawn: the pixels text contrast is measured against.
    background: Image.Image | None = None
    # The chosen template's plan and the content box it was planned in, so the motion
    # engine replays the still's own plan instead of planning it again.
    plan: Plan | None = None
    content: Box = (0, 0, 0, 0)

    def report(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "template": self.template,
            "safe_area": list(self.safe_area),
            "boxes": {k: list(v) for k, v in self.boxes.items()},
            "font_sizes": self.font_sizes,
            "lines": self.lines,
            "fonts": self.fonts,
            "contrast": self.contrast,
            "dropped": self.dropped,
            "notes": self.notes,
            "candidates": self.candidates,
            "checks": self.checks,
        }


def _px(zone, content: Box) -> Box:
    x0, y0, x1, y1 = content
    w, h = x1 - x0, y1 - y0
    return (round(x0 + zone[0] * w), round(y0 + zone[1] * h), round(x0 + zone[2] * w),
            round(y0 + zone[3] * h))  # fmt: skip


def _clamp(box: Box, bounds: Box) -> Box:
    return (max(box[0], bounds[0]), max(box[1], bounds[1]), min(box[2], bounds[2]),
            min(box[3], bounds[3]))  # fmt: skip


def _fit_contain(size, zone: Box, room_below: float = 0.0) -> tuple[int, int]:
    zw, zh = zone[2] - zone[0], (zone[3] - zone[1]) * (1 - room_below)
    scale = min(zw / size[0], zh / size[1])
    return max(1, int(size[0] * scale)), max(1, int(size[1] * scale))


def _place_product(layers: Layers, zone: Box, height: int) -> Box:
    """Largest fit in the zone, bottom-centred (room left for the contact shadow), its base
    on the painted floor line when there is one the zone can reach."""
    w, h = _fit_contain(layers.product.size, zone, room_below=0.06)
    x0 = (zone[0] + zone[2] - w) // 2
    bottom = zone[3] - round(0.06 * (zone[3] - zone[1]))
    if layers.floor_y is not None:
        floor = round(layers.floor_y * height)
        bottom = min(max(floor, zone[1] + h), bottom)
    return (x0, bottom - h, x0 + w, bottom)


def _place_logo(logo: Image.Image, zone: Box, content: Box) -> Box:
    """Fit inside the zone less a clear space of 15 % of its height, on the zone's side."""
    clear = round(0.15 * (zone[3] - zone[1]))
    inner = (zone[0] + clear, zone[1] + clear, zone[2] - clear, zone[3] - clear)
    w, h = _fit_contain(logo.size, inner)
    centre = (zone[0] + zone[2]) / 2
    third = (content[2] - content[0]) / 3
    if centre < content[0] + third:
        x0 = inner[0]
    elif centre > content[2] - third:
        x0 = inner[2] - w
    else:
        x0 = (inner[0] + inner[2] - w) // 2
    y0 = (inner[1] + inner[3] - h) // 2
    return (x0, y0, x0 + w, y0 + h)


@dataclass(frozen=True)
class Wording:
    """How text may wrap: names that never break, and the language whose hyphenation
    breaks a word too long for its box (German compounds), only when nothing else fits."""

    keep: tuple[str, ...]
    language: str = ""


def _fit_text(name, text, zone, fonts, min_size, max_size, wording) -> FittedText | None:
    w, h = zone[2] - zone[0], zone[3] - zone[1]
    font = fonts["headline" if name in ("headline", "badge") else "body"]
    return fit(
        text, w, h, font_path=font, min_size=min_size, max_size=min(max_size, h),
        keep=wording.keep, language=wording.language,
    )  # fmt: skip


def _fit_disclaimer(text, zone, fonts, wording, plan: Plan, high: float) -> FittedText | None:
    """Full text, else its first sentence; never under the minimum size."""
    low = placement.MIN_FONT_PX
    found = _fit_text("disclaimer", text, zone, fonts, low, high, wording)
    if found is None and ". " in text.strip():
        short = text.strip().split(". ")[0].rstrip(".") + "."
        found = _fit_text("disclaimer", short, zone, fonts, low, high, wording)
        if found:
            plan.notes.append("disclaimer shortened to its first sentence to stay readable")
    return found


def plan_template(template, layers, copy, brand, fmt, content, wording) -> Plan:
    zones = {k: _px(z, content) for k, z in template.zones.items()}
    edge = placement.RULES[template.family].min_margin
    canvas = (edge, edge, fmt.width - edge, fmt.height - edge)
    plan = Plan(template=template, zones=zones)
    if "product" in zones:
        zones["product"] = _clamp(zones["product"], canvas)
        if layers.baked_box is not None:
            plan.product = tuple(layers.baked_box)
        elif layers.product is not None:
            plan.product = _place_product(layers, zones["product"], fmt.height)
            box = plan.product
            share = (box[2] - box[0]) * (box[3] - box[1]) / (fmt.width * fmt.height)
            if share < placement.RULES[template.family].min_product_share:
                plan.penalty += 0.5  # the product_too_small check would fail
    if layers.logo is not None:
        if "logo" in zones:
            plan.logo = _place_logo(layers.logo, zones["logo"], content)
        else:
            plan.penalty += 1
    fonts = brand_fonts(brand)
    minimum = placement.MIN_FONT_PX
    head_min = placement.min_headline_px(min(fmt.width, fmt.height))
    # Large formats: a headline up to ~9 % of the short side (about 95 px on 1080) reads
    # as a headline without shouting; banners let it fill their height.
    cap = 0.09 * min(fmt.width, fmt.height) if min(fmt.width, fmt.height) > 200 else fmt.height
    headline = _fit_text("headline", copy.headline, zones["headline"], fonts, minimum, cap, wording)
    if headline is None:
        plan.penalty += 3
        plan.dropped.append("headline")
    else:
        plan.fitted["headline"] = headline
        if headline.size < head_min:
            plan.penalty += 1
    reference = headline.size if headline else minimum
    if copy.body.strip():
        body = None
        if "body" in zones:
            body = _fit_text(
                "body", copy.body, zones["body"], fonts, minimum, 0.5 * reference, wording
            )
        if body:
            plan.fitted["body"] = body
        else:
            plan.penalty += 0.1 if "body" not in zones else 0.2
            plan.dropped.append("body")
    button = fit_button(copy.cta, zones["cta"], fonts["headline"], max(minimum, 0.5 * reference))
    if button is None:
        plan.penalty += 2
        plan.dropped.append("cta")
    else:
        plan.fitted["cta"] = button
    if brand.disclaimer.strip():
        zone = zones.get("disclaimer")
        high = max(minimum + 3, 0.02 * min(fmt.width, fmt.height))
        found = zone and _fit_disclaimer(brand.disclaimer, zone, fonts, wording, plan, high)
        if found:
            plan.fitted["disclaimer"] = found
        else:
            plan.penalty += 1
            plan.dropped.append("disclaimer")
    if copy.badge.strip():
        zone = zones.get("badge")
        found = zone and fit_button(copy.badge, zone, fonts["headline"], 0.45 * reference)
        if found:
            plan.fitted["badge"] = found
        else:
            plan.penalty += 0.3
            plan.dropped.append("badge")
    return plan


def brand_fonts(brand: BrandBrief) -> dict[str, str]:
    return {
        "headline": brand.headline_font_path or default_font("bold"),
        "body": brand.body_font_path or default_font("regular"),
    }


def score_plan(plan: Plan, fmt: FormatSpec, small_lum, shrink: float) -> float:
    """Product area, type size, balance and contrast measured on (a reduced copy of) the
    background, less penalties for what the template could not place."""
    area = fmt.width * fmt.height
    product = plan.product
    share = ((product[2] - product[0]) * (product[3] - product[1]) / area) if product else 0
    head = plan.fitted.get("headline")
    head_min = placement.min_headline_px(min(fmt.width, fmt.height))
    type_score = min(2.0, head.size / head_min) / 2 if head else 0
    boxes = [b for b in (product, plan.logo) if b] + [plan.zones[k] for k in plan.fitted]
    cx = sum((b[0] + b[2]) / 2 for b in boxes) / max(1, len(boxes)) / fmt.width
    cy = sum((b[1] + b[3]) / 2 for b in boxes) / max(1, len(boxes)) / fmt.height
    balance = 1 - min(1.0, 2 * ((cx - 0.5) ** 2 + (cy - 0.5) ** 2) ** 0.5)
    ratios = []
    for name in ("headline", "body", "cta"):
        if name in plan.fitted:
            x0, y0, x1, y1 = (max(0, round(v * shrink)) for v in plan.zones[name])
            if x1 > x0 and y1 > y0:
                lum = small_lum[y0:y1, x0:x1].ravel()
                best = max(contrast_against(lum, c) for c in (WHITE, NEAR_BLACK))
                ratios.append(min(7.0, best) / 7)
    contrast = sum(ratios) / len(ratios) if ratios else 0
    return round(
        0.35 * min(1.0, share / 0.3) + 0.25 * type_score + 0.15 * balance + 0.25 * contrast
        - plan.penalty, 4,
    )  # fmt: skip


def choose(plans: list[Plan], slot: int) -> tuple[Plan, str]:
    """Spread a round over the templates that score close to the best (the slot index
    picks among them), so the review grid is not uniform."""
    best = max(p.score for p in plans)
    good = sorted((p for p in plans if p.score >= best - 0.2), key=lambda p: p.template.name)
    chosen = good[slot % len(good)]
    return chosen, f"slot {slot}: {len(good)} of {len(plans)} templates within 0.2 of the best"


@dataclass
class Choice:
    """The template chosen for a format, with what led to it."""

    family: str
    content: Box
    plans: list[Plan]
    chosen: Plan
    why: str


def choose_plan(
    layers: Layers,
    copy: AdCopy,
    brand: BrandBrief,
    fmt: FormatSpec,
    *,
    product_name: str = "",
    slot: int = 0,
    template: str | None = None,
) -> Choice:
    """Plan every template of the format's family (or only `template`) on these layers,
    score each and choose one: shared by render and by the pre-layout (prelayout.py)."""
    family = placement.family_of(fmt.width, fmt.height, fmt.slug)
    content = placement.content_box(fmt.width, fmt.height, placement.RULES[family])
    wording = Wording(tuple(n for n in (product_name, brand.name) if n), copy.language)
    candidates = [t for t in templates_for(family) if template in (None, t.name)]
    if not candidates:
        candidates = templates_for(family)
    plans = [plan_template(t, layers, copy, brand, fmt, content, wording) for t in candidates]
    # Template scores read contrast on a reduced copy: a ranking, not the final measure.
    shrink = 0.25 if min(fmt.width, fmt.height) >= 400 else 0.5 if fmt.width >= 200 else 1.0
    small = layers.background if shrink == 1 else layers.background.reduce(round(1 / shrink))
    # One luminance map for every template's zones.
    small_lum = luminance(np.asarray(small.convert("RGB")))
    for plan in plans:
        plan.score = score_plan(plan, fmt, small_lum, shrink)
    chosen, why = choose(plans, slot)
    return Choice(family, content, plans, chosen, why)


def render(
    layers: Layers,
    copy: AdCopy,
    brand: BrandBrief,
    fmt: FormatSpec,
    *,
    product_name: str = "",
    slot: int = 0,
    template: str | None = None,
) -> LayoutResult:
    choice = choose_plan(
        layers, copy, brand, fmt, product_name=product_name, slot=slot, template=template
    )
    chosen, rule = choice.chosen, placement.RULES[choice.family]
    result = LayoutResult(
        image=_rgb_copy(layers.background),
        family=choice.family,
        template=chosen.template.name,
        safe_area=placement.safe_area(fmt.width, fmt.height, rule),
        dropped=list(chosen.dropped),
        notes=[*chosen.notes, choice.why],
        candidates=[{"template": p.template.name, "score": p.score} for p in choice.plans],
        fonts={role: Path(path).name for role, path in brand_fonts(brand).items()},
        plan=chosen,
        content=choice.content,
    )
    draw_plan(result, chosen, layers, brand)
    result.checks = checks.run_checks(
        result, fmt, rule, brand, copy, layers, zones=set(chosen.template.zones)
    )
    return result


def _rgb_copy(image: Image.Image) -> Image.Image:
    # convert() already returns a new image; a further copy() would be a second full copy.
    return image.copy() if image.mode == "RGB" else image.convert("RGB")


def draw_plan(result: LayoutResult, plan: Plan, layers: Layers, brand: BrandBrief) -> None:
    canvas = result.image
    colours = brand_colours(brand)
    if plan.product and layers.product is not None:
        box = plan.product
        if layers.baked_box is not None:
            product = repaste_baked(canvas, layers.product, box)
        else:
            product = scaled(layers.product, (box[2] - box[0], box[3] - box[1]))
            paste_contact_shadow(canvas, box, layers.light_x)
            result.under_product = canvas.crop(box)
            canvas.paste(product, box[:2], product)
        result.boxes["product"], result.product_image = box, product
    if plan.logo and layers.logo is not None:
        box = plan.logo
        logo = scaled(layers.logo, (box[2] - box[0], box[3] - box[1]))
        zone = plan.zones["logo"]
        plate = logo_plate(canvas, logo, box, zone, colours["background"])
        canvas.paste(logo, box[:2], logo)
        result.boxes["logo"] = plate or box
    draw = ImageDraw.Draw(canvas)
    align = plan.template.align
    origins: dict[str, tuple[int, int]] = {}
    ink: dict[str, Box] = {}
    for name in TEXTS:
        if name in plan.fitted:
            fitted, zone = plan.fitted[name], plan.zones[name]
            origins[name] = _origin(fitted, zone, align, _valign(name, plan))
            ink[name] = ink_box(draw, fitted, origins[name], align)
            pad = max(2, fitted.size // 5)
            box = _grow(ink[name], pad)
            colour, _ = ensure_contrast(canvas, box, preferred=colours["text"], pad=pad)
            result.boxes[name], result.text_colours[name] = box, colour
    if "cta" in plan.fitted:
        button, origins["cta"], label = draw_button(
            canvas, plan.fitted["cta"], plan.zones["cta"], align, colours["cta"], brand.cta_shape
        )
        result.boxes["cta"], result.text_colours["cta"] = button, label
    if "badge" in plan.fitted:
        tag, origins["badge"], label = draw_badge(
            canvas, plan.fitted["badge"], plan.zones["badge"], colours["accent"]
        )
        result.boxes["badge"], result.text_colours["badge"] = tag, label
    result.background = canvas.copy()
    for name, fitted in plan.fitted.items():
        result.font_sizes[name] = fitted.size
        result.lines[name] = list(fitted.lines)
        a = "center" if name in ("cta", "badge") else align
        draw_lines(draw, fitted, origins[name], a, result.text_colours[name])
        # Measured on the pixels right behind the glyphs (a label: on its button's fill).
        behind = ink.get(name) or ink_box(draw, fitted, origins[name], a)
        result.ink[name] = behind
        ratio = measure_text_contrast(result.background, behind, result.text_colours[name])
        result.contrast[name] = round(float(ratio), 3)


def _valign(name: str, plan: Plan) -> str:
    if name == "headline":
        below = [plan.zones[k] for k in ("body", "cta") if k in plan.fitted]
        if below and all(z[1] >= plan.zones["headline"][3] - 1 for z in below):
            return "bottom"
        return "center"
    return "bottom" if name == "disclaimer" else "top"


def _origin(fitted: FittedText, zone: Box, align: str, valign: str) -> tuple[int, int]:
    x = (zone[0] + zone[2] - fitted.width) // 2 if align == "center" else zone[0]
    if valign == "top":
        y = zone[1]
    elif valign == "bottom":
        y = zone[3] - fitted.height
    else:
        y = (zone[1] + zone[3] - fitted.height) // 2
    return x, y


def _line_x(x0, fitted: FittedText, line: str, align: str) -> float:
    if align == "center":
        return x0 + (fitted.width - text_length(fitted.font_path, fitted.size, line)) / 2
    return x0


def ink_box(draw, fitted: FittedText, origin, align: str) -> Box:
    """Union of the glyphs' real bounding boxes, as drawn line by line from origin."""
    boxes = [
        draw.textbbox(
            (_line_x(origin[0], fitted, line, align), origin[1] + i * fitted.step),
            line,
            fitted.font,
            anchor="la",
        )  # fmt: skip
        for i, line in enumerate(fitted.lines)
    ]
    return (int(min(b[0] for b in boxes)), int(min(b[1] for b in boxes)),
            int(max(b[2] for b in boxes)) + 1, int(max(b[3] for b in boxes)) + 1)  # fmt: skip


def _grow(box: Box, pad: int) -> Box:
    return (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)


def draw_lines(draw, fitted: FittedText, origin, align: str, colour) -> None:
    for i, line in enumerate(fitted.lines):
        x = _line_x(origin[0], fitted, line, align)
        draw.text(
            (x, origin[1] + i * fitted.step), line, fill=colour, font=fitted.font, anchor="la"
        )


def product_shot(layers: Layers) -> Image.Image:
    """The background with the product on it and no text: the image the scorer and the
    moderation hash see (what the ad shows, less the copy the scorer reads as text)."""
    canvas = _rgb_copy(layers.background)
    if layers.product is None:
        return canvas
    if layers.baked_box is not None:
        repaste_baked(canvas, layers.product, layers.baked_box)
        return canvas
    w, h = canvas.size
    margin = round(0.12 * min(w, h))
    zone = (margin, margin, w - margin, h - margin)
    box = _place_product(layers, zone, h)
    product = scaled(layers.product, (box[2] - box[0], box[3] - box[1]))
    paste_contact_shadow(canvas, box, layers.light_x)
    canvas.paste(product, box[:2], product)
    return canvas


_SCALED: dict[tuple[int, tuple[int, int]], Image.Image] = {}


def scaled(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Lanczos resize; big reductions go through a box-filtered reduce first (Pillow's
    reducing_gap). A round places the same product and logo at the same few sizes in
    every variant, so each size is scaled once (a small per-process cache)."""
    if image.size == size:
        return image
    key = (id(image), size)
    found = _SCALED.get(key)
    if found is None or found.info.get("_source") is not image:
        if len(_SCALED) > 64:
            _SCALED.clear()
        found = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        found.info["_source"] = image
        _SCALED[key] = found
    return found
