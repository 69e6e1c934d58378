"""Geometry of painting around the product: masks, the master square, and each format's
canvas built from it (outpainting).

One variant is painted once, as a square master at the model's native size with the
product where the squarest format has it. Every format then gets the master scaled so the
master's product box lands on the format's own box; whatever the master does not cover is
painted by inpainting (the margins), and the master's pixels are put back exactly, with a
short feathered seam outside them. No cover-crop: neither product nor scene is cut.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops, ImageFilter

from studio.engine.painter.product import product_box_for, product_fitted
from studio.engine.types import BackgroundRequest, EngineError

OPAQUE = 250  # alpha from which a cut-out pixel counts as product (kept, never repainted)
OVERLAP = 8  # px the margin mask reaches into the master, so the model sees a seam to join
SNAP = 2  # px of gap between the scaled master and a canvas edge closed by stretching


def edge_px(size) -> int:
    """How far the repaint mask reaches into the cut-out's edge, so the model paints the
    seam and the exact re-composite covers it with the product's own anti-aliased edge."""
    return max(2, round(0.01 * min(size)))


def repaint_mask(size, product: Image.Image, box, edge: int | None = None) -> Image.Image:
    """L mask at `size`: 255 where the model paints (everything outside the cut-out,
    dilated `edge` px into it), 0 on the product's opaque core."""
    fitted = product_fitted(product, box).getchannel("A")
    keep = Image.new("L", size, 0)
    keep.paste(fitted.point(lambda a: 255 if a >= OPAQUE else 0), (box[0], box[1]))
    edge = edge_px(size) if edge is None else edge
    if edge:
        keep = keep.filter(ImageFilter.MinFilter(2 * edge + 1))
    return ImageChops.invert(keep)


def check_box(request: BackgroundRequest) -> tuple[int, int, int, int]:
    if not request.product_path or request.product_box is None:
        raise EngineError("Painting around the product needs product_path and product_box.")
    x0, y0, x1, y1 = (int(v) for v in request.product_box)
    if not (0 <= x0 < x1 <= request.width and 0 <= y0 < y1 <= request.height):
        raise EngineError(
            f"Product box {request.product_box} is not inside the "
            f"{request.width}x{request.height} canvas."
        )
    return x0, y0, x1, y1


def master_box(requests: list[BackgroundRequest], side: int) -> tuple[int, int, int, int]:
    """The product's box on the side x side master: the squarest format's layout, seen
    through a square window on its product (so that format needs no outpainting)."""
    ref = min(requests, key=lambda r: abs(math.log(r.width / r.height)))
    x0, y0, x1, y1 = check_box(ref)
    m = min(ref.width, ref.height)
    wx = min(max((x0 + x1) / 2 - m / 2, 0), ref.width - m)
    wy = min(max((y0 + y1) / 2 - m / 2, 0), ref.height - m)
    k = side / m
    box = tuple(round(v) for v in ((x0 - wx) * k, (y0 - wy) * k, (x1 - wx) * k, (y1 - wy) * k))
    if box[0] >= 0 and box[1] >= 0 and box[2] <= side and box[3] <= side:
        return box
    # The product is wider or taller than the window (a wide product on a leaderboard).
    return product_box_for((x1 - x0, y1 - y0), (side, side), 0.82)


@dataclass(frozen=True)
class Placement:
    """The master scaled to (width, height) with its top-left corner at (x, y)."""

    x: int
    y: int
    width: int
    height: int

    def cover(self, size) -> tuple[int, int, int, int]:
        """The part of a `size` canvas the master covers."""
        x0, y0 = max(self.x, 0), max(self.y, 0)
        x1, y1 = min(self.x + self.width, size[0]), min(self.y + self.height, size[1])
        return x0, y0, x1, y1

    def covers(self, size) -> bool:
        return self.cover(size) == (0, 0, *size)


def place(mbox, side: int, fbox, size) -> Placement:
    """Scale the master so its product box becomes `fbox`, and put it there. A gap of
    a pixel or two left by rounding the boxes is closed by stretching the master over it
    (invisible, and the product is re-composited exactly anyway) rather than painted."""
    sx = (fbox[2] - fbox[0]) / (mbox[2] - mbox[0])
    sy = (fbox[3] - fbox[1]) / (mbox[3] - mbox[1])
    x, y = fbox[0] - round(mbox[0] * sx), fbox[1] - round(mbox[1] * sy)
    x1, y1 = x + max(1, round(side * sx)), y + max(1, round(side * sy))
    x, y = (0 if 0 < x <= SNAP else x), (0 if 0 < y <= SNAP else y)
    x1 = size[0] if 0 < size[0] - x1 <= SNAP else x1
    y1 = size[1] if 0 < size[1] - y1 <= SNAP else y1
    return Placement(x=x, y=y, width=x1 - x, height=y1 - y)


def master_on_canvas(master: Image.Image, placement: Placement, size) -> Image.Image:
    """The scaled master on a `size` canvas, its edge pixels stretched out to the borders
    (the colours the feathered seam and the model's starting canvas continue)."""
    scaled = master.resize((placement.width, placement.height), Image.Resampling.LANCZOS)
    x0, y0, x1, y1 = placement.cover(size)
    crop = np.asarray(scaled.crop((x0 - placement.x, y0 - placement.y, x1 - placement.x,
                                   y1 - placement.y)))  # fmt: skip
    pad = ((y0, size[1] - y1), (x0, size[0] - x1), (0, 0))
    return Image.fromarray(np.pad(crop, pad, mode="edge"), "RGB")


def margin_mask(size, cover) -> Image.Image:
    """L mask: 255 on the margins to paint, reaching OVERLAP px into the master."""
    mask = Image.new("L", size, 255)
    x0, y0, x1, y1 = cover
    inner = (
        x0 + (OVERLAP if x0 > 0 else 0),
        y0 + (OVERLAP if y0 > 0 else 0),
        x1 - (OVERLAP if x1 < size[0] else 0),
        y1 - (OVERLAP if y1 < size[1] else 0),
    )
    if inner[0] < inner[2] and inner[1] < inner[3]:
        mask.paste(0, inner)
    return mask


def starting_canvas(base: Image.Image, mask: Image.Image) -> Image.Image:
    """The model's starting canvas: the master, its stretched edges blurred on the margins."""
    blurred = base.filter(ImageFilter.GaussianBlur(max(2, min(base.size) // 16)))
    return Image.composite(blurred, base, mask)


def keep_master(painted: Image.Image, base: Image.Image, cover) -> Image.Image:
    """The painted canvas with the master's pixels put back exactly on `cover` and
    blended into the painted margins over a short feathered seam outside it."""
    size = painted.size
    alpha = Image.new("L", size, 0)
    alpha.paste(255, cover)
    feather = max(2, round(0.01 * max(size)))
    seam = alpha.filter(ImageFilter.MaxFilter(2 * feather + 1))
    seam = seam.filter(ImageFilter.GaussianBlur(feather / 2))
    return Image.composite(base, painted, ImageChops.lighter(alpha, seam))
