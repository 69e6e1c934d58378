"""Layered composition: every format x every template keeps text off the product, inside
the canvas and the safe area, at or above the minimum sizes, and readable on its pixels."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from studio.engine import placement
from studio.engine.contrast import contrast_ratio, measure_text_contrast
from studio.engine.cutout import cutout
from studio.engine.layers import Layers
from studio.engine.layout import render
from studio.engine.painter.procedural import ProceduralPainter
from studio.engine.templates import TEMPLATES, templates_for
from studio.engine.types import AdCopy, BackgroundRequest, BrandBrief, FormatSpec

FORMATS = [
    FormatSpec("square-1080", 1080, 1080),
    FormatSpec("portrait-1080x1350", 1080, 1350),
    FormatSpec("story-1080x1920", 1080, 1920),
    FormatSpec("landscape-1200x628", 1200, 628),
    FormatSpec("mrec-300x250", 300, 250),
    FormatSpec("halfpage-300x600", 300, 600),
    FormatSpec("leaderboard-728x90", 728, 90),
    FormatSpec("skyscraper-160x600", 160, 600),
    FormatSpec("mobile-320x50", 320, 50),
]
COPY = AdCopy(
    headline="Summit 2: grip that goes further",
    body="Responsive foam and a grippy outsole for every muddy mile.",
    cta="Shop Summit 2",
    image_prompt="unused",
    badge="-20 %",
)
PLACED = ("headline", "body", "cta", "disclaimer", "logo", "badge")
CASES = [
    (fmt, template.name)
    for fmt in FORMATS
    for template in templates_for(placement.family_of(fmt.width, fmt.height, fmt.slug))
]


def shoe_like(opaque: bool) -> Image.Image:
    """A synthetic product: a red sole-and-upper shape, on white when opaque."""
    image = Image.new("RGBA", (420, 220), (255, 255, 255, 255 if opaque else 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((20, 150, 400, 200), radius=20, fill=(40, 40, 48, 255))
    draw.polygon([(40, 150), (120, 40), (260, 60), (390, 150)], fill=(200, 40, 50, 255))
    draw.ellipse((150, 70, 230, 120), fill=(250, 200, 40, 255))
    return image


@pytest.fixture(scope="module")
def logo():
    image = Image.new("RGBA", (200, 80), (0, 0, 0, 0))
    ImageDraw.Draw(image).rounded_rectangle((0, 0, 199, 79), 20, fill=(20, 83, 45, 255))
    return image


@pytest.fixture(scope="module")
def products():
    return {
        "transparent": cutout(shoe_like(opaque=False))[0],
        "opaque": cutout(shoe_like(opaque=True))[0],
    }


BRAND = BrandBrief(
    name="Trailhead Outfitters",
    palette=("#14532D", "#F97316", "#F5F5F4", "#1C1917"),
    disclaimer="New customers only. Terms apply; see site for details.",
    cta_shape="pill",
)


def background(fmt: FormatSpec, seed: int = 3) -> Image.Image:
    request = BackgroundRequest(
        concept="x", seed=seed, width=fmt.width, height=fmt.height, palette=BRAND.palette
    )
    return ProceduralPainter().paint_backgrounds([request])[0].image


def intersects(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(a, b) -> bool:
    return a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]


@pytest.mark.parametrize("kind", ["transparent", "opaque"])
@pytest.mark.parametrize(("fmt", "template"), CASES, ids=[f"{f.slug}-{t}" for f, t in CASES])
def test_every_format_and_template_keeps_the_rules(fmt, template, kind, products, logo):
    layers = Layers(background(fmt), products[kind], logo)
    result = render(layers, COPY, BRAND, fmt, product_name="Summit 2", template=template)
    assert result.template == template and result.image.size == (fmt.width, fmt.height)
    boxes = result.boxes
    product = boxes["product"]
    canvas = (0, 0, fmt.width, fmt.height)
    assert inside(product, canvas)
    for name in PLACED:
        if name in boxes:
            assert not intersects(boxes[name], product), f"{name} over the product"
            assert inside(boxes[name], canvas) and inside(boxes[name], result.safe_area), name
    head_min = placement.min_headline_px(min(fmt.width, fmt.height))
    for name, size in result.font_sizes.items():
        assert size >= placement.MIN_FONT_PX, name
    if "headline" in result.font_sizes and fmt.width >= 1000:
        assert result.font_sizes["headline"] >= head_min
    for name in ("headline", "body", "disclaimer"):
        if name in boxes:
            # Measured here, again, on the pixels behind the text.
            colour = result.text_colours[name]
            assert inside(result.ink[name], boxes[name])
            ratio = measure_text_contrast(result.background, result.ink[name], colour)
            assert ratio >= 4.5 and result.contrast[name] == pytest.approx(ratio, abs=0.01), name
    for name in ("cta", "badge"):
        if name in boxes:
            assert result.contrast[name] >= 4.5
    checks = result.checks
    for code in ("text_over_product", "outside_safe_area", "font_under_minimum", "product_cut"):
        assert checks[code]["ok"], checks[code]
    assert "logo" in boxes  # the brand has a logo: every format shows it


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.slug)
def test_product_pixels_are_the_cutout_over_the_background(fmt, products, logo):
    """Nothing was drawn over the product: inside its box the rendition is exactly the
    cut-out alpha-composited over the background (plus the contact shadow under it)."""
    bg = background(fmt)
    result = render(Layers(bg, products["opaque"], logo), COPY, BRAND, fmt, product_name="Summit 2")
    x0, y0, x1, y1 = result.boxes["product"]
    placed = np.asarray(result.product_image, np.float64)
    alpha = placed[..., 3:] / 255
    got = np.asarray(result.image.crop((x0, y0, x1, y1)), np.float64)
    under = np.asarray(result.under_product, np.float64)
    # Where the product is opaque, its own pixels; where it is soft, the alpha blend with
    # whatever lies under it (background or shadow), never text or a scrim.
    expected = placed[..., :3] * alpha + under * (1 - alpha)
    solid = alpha[..., 0] > 0.99
    assert solid.mean() > 0.3
    assert np.abs(got[solid] - placed[..., :3][solid]).max() <= 3
    assert np.abs(got - expected).max() <= 2


def test_templates_exist_for_every_family():
    large = ("square", "portrait", "story", "landscape")
    small = ("leaderboard", "mobile_banner", "mrec", "half_page", "skyscraper")
    for family in large:
        assert len(templates_for(family)) >= 3, family
    for family in small:
        assert 1 <= len(templates_for(family)) <= 2, family
    for template in TEMPLATES:
        zones = template.zones
        for name in PLACED:
            if name in zones:
                assert not intersects(zones[name], zones["product"]), (template.name, name)


def test_a_round_spreads_over_templates(products, logo):
    fmt = FORMATS[0]
    layers = Layers(background(fmt), products["transparent"], logo)
    chosen = {render(layers, COPY, BRAND, fmt, slot=slot).template for slot in range(6)}
    assert len(chosen) >= 2
    result = render(layers, COPY, BRAND, fmt, slot=0)
    assert {c["template"] for c in result.candidates} == {t.name for t in templates_for("square")}


def test_names_never_break_across_lines(products, logo):
    copy = AdCopy("Trailhead Outfitters presents the Summit 2 trail shoe", "", "Go", "x")
    for fmt in (FormatSpec("skyscraper", 160, 600), FormatSpec("mrec", 300, 250)):
        layers = Layers(background(fmt), products["transparent"], logo)
        result = render(layers, copy, BRAND, fmt, product_name="Summit 2")
        lines = result.lines["headline"]
        assert any("Summit 2" in line for line in lines), lines
        assert any("Trailhead Outfitters" in line for line in lines), lines


def test_no_badge_without_offer_and_disclaimer_never_unreadable(products, logo):
    fmt = FormatSpec("leaderboard-728x90", 728, 90)
    no_badge = AdCopy(COPY.headline, COPY.body, COPY.cta, "x", badge="")
    result = render(Layers(background(fmt), products["opaque"], logo), no_badge, BRAND, fmt)
    assert "badge" not in result.boxes
    long_terms = BrandBrief(name="X", disclaimer="Offer valid on " + "selected items " * 20 + ".")
    result = render(Layers(background(fmt), products["opaque"], None), no_badge, long_terms, fmt)
    if "disclaimer" in result.boxes:
        assert result.font_sizes["disclaimer"] >= placement.MIN_FONT_PX
    else:
        assert not result.checks["missing_element"]["ok"]  # flagged for review


def test_story_keeps_text_out_of_the_platform_bands(products, logo):
    fmt = FormatSpec("story-1080x1920", 1080, 1920)
    for slot in range(3):
        result = render(Layers(background(fmt), products["opaque"], logo), COPY, BRAND, fmt,
                        slot=slot)  # fmt: skip
        assert result.safe_area == (0, round(0.14 * 1920), 1080, 1920 - round(0.2 * 1920))
        for name in PLACED:
            if name in result.boxes:
                assert result.boxes[name][1] >= 269 and result.boxes[name][3] <= 1536


def test_contrast_ratio_reference_values():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    image = Image.new("RGB", (10, 10), (255, 255, 255))
    image.putpixel((5, 5), (0, 0, 0))  # the worst pixel decides
    assert measure_text_contrast(image, (0, 0, 10, 10), (0, 0, 0)) == pytest.approx(1.0)
