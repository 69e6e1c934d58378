"""Brand library photos as backdrops: cover-cropped natively to each format, graded
gently toward the brand's colours, with the floor line kept where the photo has it.

The asset's floor (a fraction of the photo's height; the lower third when unknown) is
where the product stands; the crop is slid vertically so that line lands near the
format's usual floor, and the floor reported is where it really landed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageOps

from studio.engine.painter.backdrop_kit import (
    CEIL_LEVEL,
    FLOOR_LEVEL,
    finish,
    floor_for_aspect,
    grain_image,
    rgb_hex,
    with_hls,
)
from studio.engine.types import BackgroundRequest, EngineError

DEFAULT_FLOOR = 2 / 3  # the lower third line: where a tabletop or ground usually sits
GRADE = 0.24  # share of the duotone in the graded photo: a grade, never a flat tint
DEPTH_OF_FIELD = 0.003  # softness as a share of the short side: soft, still legible
CACHE_LONG_SIDE = 2400
_cache: OrderedDict[tuple[str, float], Image.Image] = OrderedDict()
_cache_lock = threading.Lock()


def _open(path: str) -> Image.Image:
    """Decode once per process (a photo serves every format of every variant)."""
    try:
        key = (path, Path(path).stat().st_mtime)
    except OSError as exc:
        raise EngineError(f"Library image not found: {path}") from exc
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    try:
        with Image.open(path) as source:
            source.draft("RGB", (CACHE_LONG_SIDE, CACHE_LONG_SIDE))  # JPEG: decode smaller
            image = ImageOps.exif_transpose(source).convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise EngineError(f"Could not open the library image {path}: {exc}") from exc
    image.thumbnail((CACHE_LONG_SIDE, CACHE_LONG_SIDE), Image.Resampling.LANCZOS)
    with _cache_lock:
        _cache[key] = image
        while len(_cache) > 6:
            _cache.popitem(last=False)
    return image


def cover_crop(image: Image.Image, size, floor: float, target: float):
    """Scale to cover `size`, crop, and slide vertically to put `floor` near `target`.
    Returns the crop and where the floor landed (fraction of the crop's height)."""
    sw, sh = image.size
    width, height = size
    scale = max(width / sw, height / sh)
    # min(): float rounding may make the covering box a hair larger than the photo.
    cw, ch = min(width / scale, sw), min(height / scale, sh)
    left = (sw - cw) / 2
    top = max(0.0, min(floor * sh - target * ch, sh - ch))
    box = (left, top, left + cw, top + ch)
    return box, (floor * sh - top) / ch


def grade(image: Image.Image, roles) -> Image.Image:
    """A split-tone toward the brand: shadows toward the darkest role, highlights toward
    a pale version of the background role, blended in at GRADE over the photo's own colour."""
    ink = min((roles[r] for r in roles), key=lambda c: float(c.mean()))
    dark = with_hls(ink, 0.1, 0.5)
    mid = with_hls(roles["accent"], 0.5, 0.45)
    light = with_hls(roles["background"], 0.93, 0.3)
    toned = ImageOps.colorize(
        image.convert("L"),
        black=rgb_hex(dark),
        white=rgb_hex(light),
        mid=rgb_hex(mid),
    )
    return Image.blend(image, toned, GRADE)


def light_direction(image: Image.Image) -> float:
    """-1 lit from the left .. 1 from the right, from the upper half's brightness."""
    small = np.asarray(image.convert("L").resize((24, 12), Image.Resampling.BOX), np.float32)
    upper = small[:6]
    left, right = upper[:, :8].mean(), upper[:, 16:].mean()
    return round(float(np.clip((right - left) / max(0.2 * (left + right), 1.0), -1, 1)), 3)


def compose(request: BackgroundRequest, roles, rng: np.random.Generator):
    """(image, floor_y, light_x, facts) for a library backdrop."""
    size = (request.width, request.height)
    floor = request_floor(request)
    if request.product_box:
        target = request.product_box[3] / request.height
    else:
        target = floor_for_aspect(*size)
    photo = _open(request.asset_path)
    box, landed = cover_crop(photo, size, floor, target)
    # Slightly out of focus, as behind a product shot at a wide aperture, so a busy photo
    # does not compete with the product: the grade runs on a crop a few times smaller
    # than the format and the one upscale is the blur (only the grain is full size).
    factor = max(1, round(DEPTH_OF_FIELD * min(size)))
    work = (max(1, size[0] // factor), max(1, size[1] // factor))
    crop = photo.resize(work, Image.Resampling.BILINEAR, box=box)
    graded = ImageChops.multiply(grade(crop, roles), finish(_vignette(work), work, 0, 0))
    # Keep the levels inside the grain's margin, then grain like the painted backdrops.
    graded = graded.point(lambda v: min(max(v, FLOOR_LEVEL), CEIL_LEVEL))
    if work != size:
        graded = graded.resize(size, Image.Resampling.BILINEAR)
    graded = ImageChops.add_modulo(graded, grain_image(size, request.seed, 2))
    facts = {
        "asset_floor": round(floor, 4),
        "grade": GRADE,
        "depth_of_field": DEPTH_OF_FIELD,
        "photo_size": list(photo.size),
    }
    return graded, float(np.clip(landed, 0.0, 1.0)), light_direction(crop), facts


def request_floor(request: BackgroundRequest) -> float:
    """The photo's floor line: the asset's own when recorded, else the lower third."""
    if request.asset_floor is None:
        return DEFAULT_FLOOR
    return float(np.clip(request.asset_floor, 0.05, 0.98))


def _vignette(size) -> np.ndarray:
    """A soft darkening toward the corners, as a float canvas for `finish`."""
    width, height = size
    scale = min(1.0, 96 / max(size))
    w, h = max(4, round(width * scale)), max(4, round(height * scale))
    x = (np.arange(w) + 0.5) / w - 0.5
    y = (np.arange(h) + 0.5) / h - 0.5
    r2 = (x[None, :] * 2) ** 2 * 0.8 + (y[:, None] * 2) ** 2
    shade = 1 - 0.22 * np.clip(r2, 0, 2) / 2
    return np.repeat(shade[..., None], 3, axis=2)
