"""Tools the backdrop styles share: colour roles, a soft-resolution canvas, light, grain.

Everything soft (gradients, light pools, the cove of a sweep) is computed on a small
float canvas and upscaled, because blur hides the resampling; grain is added at full
size, where it belongs, so it stays fine and also dithers away 8-bit banding.
"""

from __future__ import annotations

import colorsys
import threading
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageChops

# Soft layers are computed at this long side (then upscaled to the format).
SOFT_LONG_SIDE = 480
ROLE_ORDER = ("background", "accent", "text", "cta")
FALLBACK_ROLES = {
    "background": "#E7E2DA",
    "accent": "#C2410C",
    "text": "#1F2937",
    "cta": "#0F766E",
}
# Floor line (fraction of height) by aspect ratio: wide banners stand the product low,
# squares and stories leave room above for copy.
_FLOOR_BY_ASPECT = ((0.25, 0.76), (0.56, 0.72), (1.0, 0.72), (1.9, 0.78), (8.0, 0.86))


def seeded(seed: int, stream: int) -> np.random.Generator:
    """A generator for one purpose (`stream`) of one seed; any int seed, negative too."""
    return np.random.default_rng([int(seed) % 2**63, stream])


def hex_rgb(code: str) -> np.ndarray | None:
    digits = (code or "").strip().lstrip("#")
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    try:
        return np.array([int(digits[i : i + 2], 16) for i in (0, 2, 4)], np.float32) / 255
    except ValueError:
        return None


def rgb_hex(rgb) -> str:
    return "#{:02X}{:02X}{:02X}".format(*(int(round(float(c) * 255)) for c in rgb))


def roles_from(colours, palette) -> dict[str, np.ndarray]:
    """Colour roles as float RGB: the request's roles, else palette order, else fallback."""
    roles: dict[str, np.ndarray] = {}
    for role, code in colours or ():
        rgb = hex_rgb(code)
        if rgb is not None and role in ROLE_ORDER:
            roles[role] = rgb
    parsed = [c for c in (hex_rgb(code) for code in palette or ()) if c is not None]
    for role, rgb in zip(ROLE_ORDER, parsed, strict=False):
        roles.setdefault(role, rgb)
    if "cta" not in roles and "accent" in roles:
        roles["cta"] = roles["accent"]
    for role in ROLE_ORDER:
        roles.setdefault(role, hex_rgb(FALLBACK_ROLES[role]))
    return roles


def with_hls(rgb, lightness: float | None = None, saturation: float | None = None, scale=1.0):
    """The colour with its HLS lightness set and saturation capped (scaled)."""
    h, lum, sat = colorsys.rgb_to_hls(*map(float, rgb))
    lum = lum if lightness is None else lightness
    sat = sat * scale if saturation is None else min(sat * scale, saturation)
    return np.array(colorsys.hls_to_rgb(h, lum, sat), np.float32)


def mix(a, b, t):
    return np.asarray(a, np.float32) * (1 - t) + np.asarray(b, np.float32) * t


def blend(rgb: np.ndarray, cover, shade, colour, sheen=None) -> np.ndarray:
    """Lay colour * shade (+ white sheen) over rgb, in place, weighted by cover.

    Only the bounding box where cover > 0 is touched: a podium or a plinth covers a
    small part of the frame, and full-frame colour arithmetic is what costs."""
    shape = rgb.shape[:2]
    cover = np.broadcast_to(cover, shape)
    rows, cols = np.flatnonzero(cover.any(axis=1)), np.flatnonzero(cover.any(axis=0))
    if not rows.size:
        return rgb
    box = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
    target = np.broadcast_to(shade, shape)[box][..., None] * np.asarray(colour, np.float32)
    if sheen is not None:
        target += np.broadcast_to(sheen, shape)[box][..., None]
    region = rgb[box]
    region += (target - region) * cover[box][..., None]
    return rgb


def smoothstep(edge0: float, edge1: float, x):
    t = np.clip((x - edge0) / (edge1 - edge0), 0.0, 1.0)
    return t * t * (3 - 2 * t)


def floor_for_aspect(width: int, height: int) -> float:
    aspect = np.log(width / height)
    xs = [np.log(a) for a, _ in _FLOOR_BY_ASPECT]
    return float(np.interp(aspect, xs, [f for _, f in _FLOOR_BY_ASPECT]))


@dataclass
class Scene:
    """A soft canvas (w x h) standing for the full format (W x H), with its stage.

    Coordinates: `x`, `y` run 0..1 across the canvas; `u`, `v` are the same positions
    measured in short sides (so a light pool stays round on a 728x90 banner)."""

    W: int
    H: int
    rng: np.random.Generator
    # Textures draw from their own stream, so a texture's size (which follows the
    # format's) never shifts the style's other choices: one variant, one look, every format.
    tex_rng: np.random.Generator
    roles: dict[str, np.ndarray]
    floor_y: float
    stage_x: float  # centre of the product's footprint, 0..1
    stage_w: float  # width of the product's footprint, fraction of W
    light_x: float
    w: int = 0
    h: int = 0
    x: np.ndarray = field(default=None, repr=False)
    y: np.ndarray = field(default=None, repr=False)

    def __post_init__(self):
        scale = min(1.0, SOFT_LONG_SIDE / max(self.W, self.H))
        self.w, self.h = max(8, round(self.W * scale)), max(8, round(self.H * scale))
        self.x = ((np.arange(self.w, dtype=np.float32) + 0.5) / self.w)[None, :]
        self.y = ((np.arange(self.h, dtype=np.float32) + 0.5) / self.h)[:, None]
        short = min(self.W, self.H)
        self.ax, self.ay = self.W / short, self.H / short

    def u(self, cx: float):
        return (self.x - cx) * self.ax

    def v(self, cy: float):
        return (self.y - cy) * self.ay

    def pool(self, cx: float, cy: float, rx: float, ry: float):
        """A soft gaussian pool of light, radii in short sides."""
        return np.exp(-((self.u(cx) / rx) ** 2) - (self.v(cy) / ry) ** 2)

    def vignette(self, strength: float):
        r2 = ((self.x - 0.5) * 2) ** 2 * 0.8 + ((self.y - 0.48) * 2) ** 2
        return 1 - strength * np.clip(r2, 0, 2) / 2

    def paint(self, shade, colour):
        """A (h, w, 3) layer: colour (3,) or (h, w, 3) times shade (h, w) or scalar."""
        shade = np.asarray(shade, np.float32)
        if shade.ndim == 2:
            shade = shade[..., None]
        return np.broadcast_to(np.asarray(colour, np.float32) * shade, (self.h, self.w, 3))

    def ellipse(self, cx: float, cy: float, rx: float, ry: float):
        """Coverage (0..1, one soft pixel of anti-aliasing) of an ellipse, radii in
        short sides: the distance to the rim is r-1 over the gradient of r."""
        eu, ev = self.u(cx) / rx, self.v(cy) / ry
        r = np.sqrt(eu**2 + ev**2) + 1e-6
        grad = np.sqrt((eu / rx) ** 2 + (ev / ry) ** 2) / r
        return np.clip(0.5 - (r - 1) / grad * min(self.w, self.h), 0, 1)

    def band(self, cx: float, half: float):
        """Coverage of the columns within `half` short sides of cx (anti-aliased)."""
        return np.clip(0.5 - (np.abs(self.u(cx)) - half) * min(self.w, self.h), 0, 1)

    def stage_px(self) -> tuple[float, float]:
        """Footprint half-width in short sides, and its centre (0..1)."""
        return max(self.stage_w * self.ax / 2, 0.05), self.stage_x


# Darkest and lightest 8-bit level a painted canvas may hold, so grain can be added
# modulo 256 (one C pass, no clipping pass) without ever wrapping around.
FLOOR_LEVEL, CEIL_LEVEL = 4, 251
GRAIN_FIELD = 2048  # side of the per-process grain field that every canvas crops from
_grain_lock = threading.Lock()
_grain_fields: dict[int, Image.Image] = {}


def finish(rgb: np.ndarray, size: tuple[int, int], seed: int, grain: int) -> Image.Image:
    """Soft float canvas -> full-size 8-bit RGB with fine monochrome grain."""
    levels = np.clip(rgb * 255 + 0.5, FLOOR_LEVEL, CEIL_LEVEL).astype(np.uint8)
    soft = Image.fromarray(levels, "RGB")
    # Bilinear never overshoots (so the levels stay inside the grain margin) and is
    # twice as fast as bicubic; on soft light the difference is invisible under grain.
    image = soft.resize(size, Image.Resampling.BILINEAR) if soft.size != size else soft
    if grain <= 0:
        return image
    return ImageChops.add_modulo(image, grain_image(size, seed, grain))


def grain_image(size: tuple[int, int], seed: int, spread: int) -> Image.Image:
    """Fine monochrome film grain as signed offsets mod 256 (RGB), at full size.

    Drawn from one random field per process, at an offset chosen by the seed: every
    pixel still gets its own grain (no upscaling), the same seed gives the same grain,
    and no canvas pays for generating millions of random numbers."""
    width, height = size
    field = _grain_field(spread)
    rng = seeded(seed, 0x6A09)
    if width <= GRAIN_FIELD and height <= GRAIN_FIELD:
        x = int(rng.integers(GRAIN_FIELD - width + 1))
        y = int(rng.integers(GRAIN_FIELD - height + 1))
        return field.crop((x, y, x + width, y + height))
    tiled = Image.new("RGB", size)
    for ty in range(0, height, GRAIN_FIELD):
        for tx in range(0, width, GRAIN_FIELD):
            tiled.paste(field, (tx, ty))
    return tiled


def _grain_field(spread: int) -> Image.Image:
    with _grain_lock:
        if spread not in _grain_fields:
            rng = np.random.default_rng(0x6A09E667 + spread)
            shape = (GRAIN_FIELD, GRAIN_FIELD)
            # A triangular distribution from two uniforms: grain-like and cheap.
            offsets = rng.integers(0, spread + 1, shape, dtype=np.int16)
            offsets += rng.integers(0, spread + 1, shape, dtype=np.int16) - spread
            mono = Image.fromarray((offsets % 256).astype(np.uint8), "L")
            _grain_fields[spread] = Image.merge("RGB", (mono, mono, mono))
        return _grain_fields[spread]
