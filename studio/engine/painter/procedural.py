"""Procedural painter: brand-palette backgrounds with the product photo on top.

The offline default when no diffusion weights are available. Everything is drawn
from the request's seed with numpy and Pillow, so the same request gives the same
bytes on every run and every machine with the same library versions.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from studio.engine.types import (
    BackgroundRequest,
    EngineError,
    ImageRequest,
    PaintedBackground,
    PaintedImage,
)

STYLES = ("gradient", "bokeh", "blobs", "stripes")
FALLBACK_PALETTE = ("#1F2937", "#F59E0B", "#FFFFFF")
# Soft layers are drawn at this long side and upscaled: blur hides the resampling and
# a 1080x1920 story costs a fraction of the time.
SOFT_LONG_SIDE = 480


def parse_palette(palette: tuple[str, ...]) -> list[tuple[int, int, int]]:
    """Palette hex codes as RGB; bad entries skipped, at least two colours guaranteed."""
    colours = []
    for code in palette or ():
        digits = code.strip().lstrip("#")
        if len(digits) == 3:
            digits = "".join(ch * 2 for ch in digits)
        try:
            colours.append(tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4)))
        except ValueError:
            continue
    if len(colours) < 2:
        colours += [c for c in parse_palette(FALLBACK_PALETTE) if c not in colours]
    return colours


def linear_gradient(size, start, end, angle: float) -> Image.Image:
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    t = xs / max(width - 1, 1) * np.cos(angle) + ys / max(height - 1, 1) * np.sin(angle)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    rgb = (
        np.array(start, np.float32) * (1 - t[..., None]) + np.array(end, np.float32) * t[..., None]
    )
    return Image.fromarray(rgb.round().astype(np.uint8), "RGB")


def _soft_size(width: int, height: int) -> tuple[int, int]:
    scale = min(1.0, SOFT_LONG_SIDE / max(width, height))
    return max(8, round(width * scale)), max(8, round(height * scale))


def _base(size, colours, rng: random.Random) -> Image.Image:
    first, second = rng.sample(colours, 2)
    return linear_gradient(size, first, second, rng.uniform(0, 2 * np.pi))


def _circles(size, colours, rng, count, radius, alpha, blur) -> Image.Image:
    """Translucent palette circles on the gradient, blurred into soft light."""
    base = _base(size, colours, rng).convert("RGBA")
    # Transparent pixels carry the base colour, so blurred edges fade into it, not into black.
    layer = base.copy()
    layer.putalpha(0)
    draw = ImageDraw.Draw(layer)
    short = min(size)
    for _ in range(count):
        r = rng.uniform(*radius) * short
        x, y = rng.uniform(0, size[0]), rng.uniform(0, size[1])
        fill = (*rng.choice(colours), rng.randint(*alpha))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
    layer = layer.filter(ImageFilter.GaussianBlur(blur * short))
    return Image.alpha_composite(base, layer).convert("RGB")


def _stripes(size, colours, rng) -> Image.Image:
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.choice((np.pi / 4, -np.pi / 4, np.pi / 6, np.pi / 2))
    period = rng.uniform(0.08, 0.2) * min(size)
    band = ((xs * np.cos(angle) + ys * np.sin(angle)) // period).astype(np.int64)
    picks = np.array(rng.sample(colours, min(3, len(colours))), np.uint8)
    stripes = Image.fromarray(picks[band % len(picks)], "RGB")
    # A gradient wash keeps the stripes from fighting the copy laid over them.
    wash = _base(size, colours, rng)
    return Image.blend(stripes, wash, 0.45).filter(ImageFilter.GaussianBlur(1))


def background(style: str, size, colours, rng: random.Random) -> Image.Image:
    if style == "stripes":
        return _stripes(size, colours, rng)
    soft = _soft_size(*size)
    if style == "gradient":
        image = _base(soft, colours, rng)
    elif style == "bokeh":
        image = _circles(soft, colours, rng, 28, (0.03, 0.12), (60, 170), 0.012)
    else:
        image = _circles(soft, colours, rng, 6, (0.25, 0.45), (110, 200), 0.08)
    return image.resize(size, Image.Resampling.BICUBIC)


def place_product(canvas: Image.Image, path: str, rng: random.Random) -> tuple[int, ...]:
    """Paste the product centred-ish with a soft drop shadow; return its box."""
    try:
        with Image.open(path) as source:
            product = source.convert("RGBA")
    except (OSError, ValueError) as exc:
        raise EngineError(f"Could not open the product image {path}: {exc}") from exc
    width, height = canvas.size
    scale = min(0.6 * width / product.width, 0.6 * height / product.height)
    target = (max(1, round(product.width * scale)), max(1, round(product.height * scale)))
    product = product.resize(target, Image.Resampling.LANCZOS)
    x = round((width - target[0]) / 2 + rng.uniform(-0.05, 0.05) * width)
    y = round((height - target[1]) / 2 + rng.uniform(-0.05, 0.05) * height)
    offset = max(2, round(0.02 * min(width, height)))
    shadow = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    silhouette = Image.new("RGBA", target, (0, 0, 0, 110))
    silhouette.putalpha(product.getchannel("A").point(lambda a: a * 110 // 255))
    shadow.paste(silhouette, (x + offset, y + offset))
    shadow = shadow.filter(ImageFilter.GaussianBlur(offset * 1.5))
    layered = Image.alpha_composite(canvas.convert("RGBA"), shadow)
    layered.alpha_composite(product, (x, y))
    canvas.paste(layered.convert("RGB"))
    return (x, y, x + target[0], y + target[1])


class ProceduralPainter:
    name = "procedural"
    paints_around = False  # layout places the product; paint_around bakes it on request

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "styles": list(STYLES)}

    def paint(self, requests: list[ImageRequest]) -> list[PaintedImage]:
        return [self._paint_one(request) for request in requests]

    def paint_backgrounds(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        """Today's styles at each format's own size, without the product (its own layer).
        The style follows the seed alone, so a variant's formats share one look."""
        return [self._background(request) for request in requests]

    def paint_around(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        """The background with the product composited exactly at its box (no floor here)."""
        from studio.engine.painter.outpaint import check_box
        from studio.engine.painter.variations import bake

        products: dict = {}
        out = []
        for request in requests:
            box = check_box(request)
            painted = self._background(request)
            painted.image = bake(painted.image, request, products)
            painted.lineage.update(product_baked=True, product_box=list(box))
            out.append(painted)
        return out

    def paint_variations(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        """The source's style (request.style, else the one its seed chose) re-drawn from a
        derived seed, the product re-composited; strength 0 returns the layer untouched."""
        from studio.engine.painter.variations import bake, derived_seed, open_init

        products: dict = {}
        out = []
        for request in requests:
            source = open_init(request)
            if request.strength <= 0:
                out.append(PaintedBackground(image=source, lineage={"task": "variation"}))
                continue
            style = request.style or STYLES[random.Random(request.seed).randrange(len(STYLES))]
            seed = derived_seed(request.seed, 0x9C)
            painted = self._background(replace(request, seed=seed, style=style))
            painted.image = bake(painted.image, request, products)
            painted.lineage.update(
                task="variation",
                strength=float(request.strength),
                source_seed=int(request.seed),
                product_baked=request.product_box is not None,
            )
            out.append(painted)
        return out

    def _background(self, request: BackgroundRequest) -> PaintedBackground:
        if request.width < 1 or request.height < 1:
            raise EngineError(f"Image size must be positive, got {request.width}x{request.height}")
        rng = random.Random(request.seed)
        colours = parse_palette(request.palette)
        style = request.style if request.style in STYLES else STYLES[rng.randrange(len(STYLES))]
        image = background(style, (request.width, request.height), colours, rng)
        lineage = {
            "backend": self.name,
            "style": style,
            "seed": request.seed,
            "palette": ["#{:02X}{:02X}{:02X}".format(*c) for c in colours],
            "size": [request.width, request.height],
        }
        return PaintedBackground(image=image, floor_y=None, light_x=0.0, lineage=lineage)

    def _paint_one(self, request: ImageRequest) -> PaintedImage:
        if request.width < 1 or request.height < 1:
            raise EngineError(f"Image size must be positive, got {request.width}x{request.height}")
        rng = random.Random(request.seed)
        colours = parse_palette(request.palette)
        style = STYLES[rng.randrange(len(STYLES))]
        canvas = background(style, (request.width, request.height), colours, rng)
        product_box = None
        if request.product_image_path:
            if not Path(request.product_image_path).is_file():
                raise EngineError(f"Product image not found: {request.product_image_path}")
            product_box = place_product(canvas, request.product_image_path, rng)
        lineage = {
            "backend": self.name,
            "style": style,
            "seed": request.seed,
            "palette": ["#{:02X}{:02X}{:02X}".format(*c) for c in colours],
            "size": [request.width, request.height],
            "product_box": list(product_box) if product_box else None,
        }
        return PaintedImage(image=canvas, lineage=lineage, nsfw_detected=None)
