"""Layout + encode per format against a floor measured in the same run.

The floor is the least any compositor must do for one rendition: resize a background to
the format, alpha-composite the product, draw one line of text, encode with the same
encoder and settings the studio picks for that image (encode_rendition), plus the
grid thumbnail. The studio's cost is the whole layered composition (templates planned
and scored, product and contact shadow, logo, text with measured contrast and scrims,
CTA, badge, checks) with the same encode and thumbnail. Both are measured on a flat
background and on a photographic one. Target: ratio <= 2.0 for both. Run:

    .venv/bin/python bench/layout.py [--repeats 15]

No database: engine only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from campaigns.demo_art import draw_logo, draw_shoe  # noqa: E402
from studio.engine import layout, placement  # noqa: E402
from studio.engine.disclosure import disclosure_for  # noqa: E402
from studio.engine.encode import encode_rendition, encode_thumbnail  # noqa: E402
from studio.engine.layers import Layers  # noqa: E402
from studio.engine.textfit import default_font, load_font  # noqa: E402
from studio.engine.types import AdCopy, BrandBrief, FormatSpec  # noqa: E402

FORMATS = [
    FormatSpec("square-1080", 1080, 1080),
    FormatSpec("portrait-1080x1350", 1080, 1350),
    FormatSpec("story-1080x1920", 1080, 1920),
    FormatSpec("landscape-1200x628", 1200, 628),
    FormatSpec("mrec-300x250", 300, 250),
    FormatSpec("leaderboard-728x90", 728, 90),
    FormatSpec("skyscraper-160x600", 160, 600),
]
COPY = AdCopy(
    "Summit 2: grip that goes further",
    "Responsive foam and a grippy outsole for every muddy mile.",
    "Shop Summit 2",
    "x",
    badge="-20 %",
)
BRAND = BrandBrief(
    name="Trailhead Outfitters",
    palette=("#14532D", "#F97316", "#F5F5F4", "#1C1917"),
    disclaimer="Terms apply. See site for details.",
    colours=(("cta", "#14532D"), ("text", "#1C1917")),
    cta_shape="pill",
)
LABEL = disclosure_for({"painter": {"backend": "backdrop"}}, variant_id="bench")


def flat(size) -> Image.Image:
    """A two-colour vertical gradient: what a studio sweep or a flat fill looks like."""
    w, h = size
    t = np.linspace(0, 1, h)[:, None, None]
    rgb = np.array((238, 234, 226)) * (1 - t) + np.array((214, 206, 192)) * t
    return Image.fromarray(np.broadcast_to(rgb, (h, w, 3)).astype(np.uint8), "RGB")


def photographic(size) -> Image.Image:
    """Grain over soft shapes and light: statistically close to a photo for an encoder."""
    rng = np.random.default_rng(1)
    w, h = size
    base = Image.fromarray(rng.integers(0, 256, (h // 16 + 1, w // 16 + 1, 3), np.uint8))
    base = base.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(6))
    grain = rng.normal(0, 9, (h, w, 3))
    return Image.fromarray((np.asarray(base, np.float64) + grain).clip(0, 255).astype(np.uint8))


def floor(source: Image.Image, product: Image.Image, fmt: FormatSpec, kind: str) -> None:
    """The product is scaled once per size (as the studio does), so the floor only pays
    the background resize, the composite, one line of text and the encodes."""
    canvas = source.resize((fmt.width, fmt.height), Image.Resampling.BILINEAR)
    side = min(fmt.width, fmt.height) // 2
    small = layout.scaled(product, (side, max(1, side * product.height // product.width)))
    canvas.paste(small, (fmt.width // 4, fmt.height // 3), small)
    font = load_font(default_font("bold"), max(11, fmt.height // 20))
    ImageDraw.Draw(canvas).text((8, 8), COPY.headline, font=font, fill=(17, 17, 17))
    rule = placement.RULES[placement.family_of(fmt.width, fmt.height, fmt.slug)]
    encoded = encode_rendition(canvas, disclosure=LABEL, budget=rule.file_budget, kind=kind)
    encode_thumbnail(canvas, encoded=encoded)


def studio(background: Image.Image, product, logo, fmt: FormatSpec, slot: int) -> str:
    """One rendition as the pipeline makes it; returns the file type it chose."""
    layers = Layers(background, product, logo)
    result = layout.render(layers, COPY, BRAND, fmt, product_name="Summit 2", slot=slot)
    rule = placement.RULES[result.family]
    encoded = encode_rendition(result.image, disclosure=LABEL, budget=rule.file_budget)
    encode_thumbnail(result.image, encoded=encoded)
    return encoded.ext


def paired(studio_call, floor_call, repeats: int) -> tuple[float, float]:
    """Median ms of each, the two interleaved so a busy machine slows both alike."""
    ours, base = [], []
    for i in range(repeats):
        started = time.perf_counter()
        studio_call(i)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        floor_call()
        base.append(time.perf_counter() - started)
    return 1000 * statistics.median(ours), 1000 * statistics.median(base)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    product, logo = draw_shoe(), draw_logo()
    print(
        f"{'format':<22}{'background':<14}{'file':<6}{'studio ms':>10}{'floor ms':>10}{'ratio':>7}"
    )
    worst = 0.0
    for name, make in (("flat", flat), ("photographic", photographic)):
        source = make((768, 768))  # the floor resizes a painted square, as main did
        for fmt in FORMATS:
            background = make((fmt.width, fmt.height))  # painted at the format's size
            # Warm the caches (fonts, fits, scaled product); the floor encodes to the type
            # the studio chose for this rendition: the same encoder and settings.
            kind = studio(background, product, logo, fmt, 0)
            floor(source, product, fmt, kind)
            ms, base = paired(
                partial(studio, background, product, logo, fmt),
                partial(floor, source, product, fmt, kind),
                args.repeats,
            )
            worst = max(worst, ms / base)
            print(f"{fmt.slug:<22}{name:<14}{kind:<6}{ms:>10.1f}{base:>10.1f}{ms / base:>7.2f}")
    print(f"worst ratio {worst:.2f} (target <= 2.0)")


if __name__ == "__main__":
    main()
