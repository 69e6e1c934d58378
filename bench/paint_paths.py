"""The diffusion painting paths timed side by side on one device, for gpu_check.py (CUDA,
fp16) and generation.py (CPU): text-to-image backgrounds (the baseline), backgrounds
painted around the product (inpainting + outpainting to every format), and variations
(inpainting outside the product; image-to-image on the text-to-image weights).

Every path paints the same variants x formats with the same steps, so the ratios compare
the work each path adds (outpainting calls, masks) rather than model size.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from bench.backdrop_sheet import sample_product
from studio.engine.painter import outpaint
from studio.engine.painter.diffusion import DiffusersPainter
from studio.engine.painter.inpaint import InpaintPainter
from studio.engine.painter.product import open_product, product_box_for, product_fitted
from studio.engine.types import BackgroundRequest


def formats(native: int) -> list[tuple[int, int]]:
    """A square (the master: no outpainting), a landscape and a portrait."""
    return [(native, native), (2 * native, native), (native, 2 * native)]


def build_requests(product_path: str, native: int, variants: int) -> list[BackgroundRequest]:
    product = open_product(product_path)
    return [
        BackgroundRequest(
            f"a bottle on a stone, variant {v}",
            100 + v,
            w,
            h,
            negative_prompt="blurry",
            colours=(("background", "#F5F5F4"),),
            product_path=product_path,
            product_box=product_box_for(product.size, (w, h), 0.85),
        )  # fmt: skip
        for v in range(variants)
        for w, h in formats(native)
    ]


def covered(request, variant: list[BackgroundRequest], native: int) -> bool:
    """Whether the variant's master alone fills this format (no outpainting needed)."""
    mbox = outpaint.master_box(variant, native)
    size = (request.width, request.height)
    return outpaint.place(mbox, native, request.product_box, size).covers(size)


def product_max_diff(painted, requests) -> int:
    """The largest difference on the cut-out's opaque pixels, over every image."""
    worst = 0
    for image, request in zip(painted, requests, strict=True):
        fitted = product_fitted(open_product(request.product_path), request.product_box)
        opaque = np.asarray(fitted.getchannel("A")) == 255
        x0, y0, x1, y1 = request.product_box
        got = np.asarray(image.image.convert("RGB"), np.int16)[y0:y1, x0:x1][opaque]
        worst = max(
            worst, int(np.abs(got - np.asarray(fitted.convert("RGB"), np.int16)[opaque]).max())
        )
    return worst


def run(paths, device: str, native: int, steps: int, variants: int, tmp: Path, sync=lambda: None):
    """Each path twice (the first warms up); returns {path: (seconds, images, painter
    calls, result)} for the second run, and the painters."""
    product_path = str(tmp / "bottle.png")
    sample_product(Path(product_path))
    requests = build_requests(product_path, native, variants)
    t2i = DiffusersPainter(model=str(paths["sd"]), preset="sd15", device=device, steps=steps)
    inpaint = InpaintPainter(model=str(paths["sd_inpaint"]), device=device, steps=steps)
    for painter in (t2i, inpaint):
        painter.preset = replace(painter.preset, size=native)
        painter.load()
    layers = []
    for i, painted in enumerate(inpaint.paint_around(requests)):
        layers.append(tmp / f"layer{i}.png")
        painted.image.save(layers[-1])
    varied = [
        replace(r, init_path=str(p), strength=0.5) for r, p in zip(requests, layers, strict=True)
    ]
    paths_run = {
        "text-to-image backgrounds": (t2i, lambda: t2i.paint_backgrounds(requests)),
        "inpaint + outpaint (paint_around)": (inpaint, lambda: inpaint.paint_around(requests)),
        "inpaint variations (0.5)": (inpaint, lambda: inpaint.paint_variations(varied)),
        "image-to-image variations (0.5)": (t2i, lambda: t2i.paint_variations(varied)),
    }
    results = {}
    for name, (painter, call) in paths_run.items():
        call()
        calls = painter.pipeline_calls
        sync()
        started = time.perf_counter()
        out = call()
        sync()
        results[name] = (
            time.perf_counter() - started,
            len(out),
            painter.pipeline_calls - calls,
            out,
        )
    return results, requests, (t2i, inpaint)


def report(results) -> None:
    base = results["text-to-image backgrounds"][0]
    print(f"  {'path':<36} {'s':>8} {'images':>7} {'calls':>6} {'ms/image':>9} {'x t2i':>6}")
    for name, (seconds, images, calls, _) in results.items():
        print(
            f"  {name:<36} {seconds:8.3f} {images:>7} {calls:>6} "
            f"{1000 * seconds / images:9.1f} {seconds / base:6.2f}"
        )
