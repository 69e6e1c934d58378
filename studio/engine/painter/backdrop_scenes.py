"""Backdrops with a surface of their own: a tabletop against a wall, and outdoors
(sky, distant hills, ground), both with textures seen in perspective."""

from __future__ import annotations

import numpy as np
from PIL import Image

from studio.engine.painter.backdrop_kit import Scene, blend, mix, rgb_hex, smoothstep, with_hls
from studio.engine.painter.backdrop_styles import _gel

OUTDOOR_MOODS = {
    # sky top, sky at the horizon, sun, distant hills, ground
    "golden hour": ("#5B7BA6", "#F3C99A", "#FFD9A0", "#8A7F8F", "#7A6446"),
    "daylight": ("#3F74B5", "#CFE2F1", "#FFFFFF", "#7E93A6", "#6B7550"),
    "dusk": ("#2A2F5E", "#E89A7A", "#FFB08A", "#4E4660", "#3F3636"),
    "overcast": ("#8C98A3", "#DCE1E3", "#F4F4F2", "#8F979B", "#6F7266"),
}


def _hex(code: str) -> np.ndarray:
    return np.array([int(code[i : i + 2], 16) for i in (1, 3, 5)], np.float32) / 255


def value_noise(rng: np.random.Generator, size: tuple[int, int], cells: tuple[int, int]):
    """Smooth noise in 0..1: a small random grid upscaled bicubically (C speed)."""
    grid = (rng.random((cells[1], cells[0])) * 255).astype(np.uint8)
    return np.asarray(Image.fromarray(grid, "L").resize(size, Image.Resampling.BICUBIC)) / 255.0


def perspective_texture(sc: Scene, horizon: float, cells: tuple[int, int], reach: float = 1.0):
    """A surface texture laid on the ground plane and seen in perspective: it shrinks
    and flattens toward the horizon, and fades to its mean where it would alias."""
    side = 256
    field = 0.65 * value_noise(sc.tex_rng, (side, side), cells)
    field = field + 0.35 * value_noise(sc.tex_rng, (side, side), (cells[0] * 4, cells[1] * 4))
    depth = np.clip((sc.y - horizon) * sc.ay, 1e-3, None)  # short sides below the horizon
    ground_x = sc.u(0.5) / depth * (side / 6) * reach
    ground_z = (0.5 / depth) * (side / 5) * reach
    ix = np.mod(ground_x, side).astype(np.intp)
    iz = np.broadcast_to(np.mod(ground_z, side).astype(np.intp), ix.shape)
    tex = field[iz, ix].astype(np.float32)
    mean = float(field.mean())
    return mean + (tex - mean) * np.clip(depth * 4, 0, 1)


def tabletop(sc: Scene):
    """A table surface (stone or wood) meeting a plain wall at a crisp edge."""
    f = sc.floor_y
    half, cx = sc.stage_px()
    # A mid-dark wall behind a lit surface: the table's edge is the brightest line.
    wall = with_hls(sc.roles["background"], float(sc.rng.uniform(0.36, 0.5)), 0.28)
    material = str(sc.rng.choice(["stone", "wood", "matte"]))
    if material == "wood":
        surface = np.array([0.74, 0.58, 0.42], np.float32)
    elif material == "stone":
        surface = with_hls(sc.roles["text"], 0.8, 0.06)
    else:
        surface = with_hls(sc.roles["accent"], 0.74, 0.3)
    gel = _gel(sc, "accent", float(sc.rng.uniform(0.1, 0.25)))
    t = smoothstep(f - 0.004, f + 0.004, sc.y)
    wall_light = 0.55 + 0.35 * sc.pool(cx + 0.2 * sc.light_x / sc.ax, f - 0.2 / sc.ay, 1.1, 0.7)
    vignette = sc.vignette(0.35)
    rgb = (wall_light * vignette)[..., None] * (wall * (0.94 + 0.06 * gel))
    cells = {"wood": (3, 40), "stone": (10, 10), "matte": (8, 8)}[material]
    texture = perspective_texture(sc, f, cells)
    veins = {"wood": 0.16, "stone": 0.08, "matte": 0.025}[material]
    sheen = np.exp(-(((sc.y - f) * sc.ay / 0.18) ** 2))
    top_light = 0.86 + 0.22 * sheen * sc.pool(cx, f, 1.2 + half, 1.0) - 0.2 * (sc.y - f)
    top_light = top_light * (1 - veins / 2 + veins * texture)
    blend(rgb, t, top_light * vignette, surface)
    return rgb, f, {"material": material, "wall": rgb_hex(wall), "surface": rgb_hex(surface)}


def _ridge(sc: Scene, base: float, amp: float, cells: int) -> np.ndarray:
    """A hill line: y of the ridge per column (fraction of height)."""
    noise = value_noise(sc.tex_rng, (sc.w, 1), (cells, 1))[0] * 0.7
    noise = noise + 0.3 * value_noise(sc.tex_rng, (sc.w, 1), (cells * 4, 1))[0]
    return base - amp * noise


def outdoor(sc: Scene):
    """Low-angle outdoor shot: sky, sun glow, hazy hills, and ground whose far edge is
    the floor line (the camera sits near the ground, so the horizon meets the base)."""
    f = sc.floor_y
    half, cx = sc.stage_px()
    mood = str(sc.rng.choice(list(OUTDOOR_MOODS)))
    top, low, sun, hills, ground = (_hex(c) for c in OUTDOOR_MOODS[mood])
    ground = mix(ground, with_hls(sc.roles["background"], 0.35, 0.4), 0.15)
    sky_t = np.clip(sc.y / max(f, 1e-3), 0, 1) ** 1.6
    sky = (top * (1 - sky_t[..., None]) + low * sky_t[..., None]).astype(np.float32)  # (h, 1, 3)
    sun_x = 0.5 + 0.38 * sc.light_x
    glow = sc.pool(sun_x, f - 0.1 / sc.ay, 1.4, 0.7) * 0.55
    rgb = sky + glow[..., None] * (sun * (1 - sky))  # screen the sun's glow over the sky
    short_in_h = 1 / sc.ay
    for depth, (base, amp, cells) in enumerate(
        ((f - 0.02 * short_in_h, 0.18 * short_in_h, 5), (f, 0.09 * short_in_h, 9))
    ):
        ridge = _ridge(sc, base, amp * float(sc.rng.uniform(0.6, 1.3)), cells)[None, :]
        # Below the floor line the ground covers the hills: leave those rows alone.
        cover = smoothstep(ridge - 0.6 / sc.h, ridge + 0.6 / sc.h, sc.y) * (sc.y < f + 2 / sc.h)
        haze = (0.72, 0.5)[depth]
        colour = mix(hills, low, haze)
        shade = 1 - 0.12 * np.clip((sc.y - ridge) / (0.1 * short_in_h), 0, 1)
        blend(rgb, cover, shade, colour)
    t = smoothstep(f - 0.5 / sc.h, f + 1.0 / sc.h, sc.y)
    texture = perspective_texture(sc, f, (40, 40), reach=1.6)
    near = np.clip((sc.y - f) / max(1 - f, 1e-3), 0, 1)
    ground_light = (0.95 - 0.35 * near) * (0.85 + 0.3 * texture)
    ground_light = ground_light + 0.25 * sc.pool(cx, f + 0.04 / sc.ay, 0.8 + half, 0.15)
    # Haze lifts the far ground toward the horizon's colour (a y-only mix, done in the
    # light: ground x (1 - h) + low x h == ground x (light (1 - h) + h low / ground)).
    haze = 0.12 * np.exp(-near * 18)
    blend(rgb, t, ground_light * (1 - haze), ground)
    rows = slice(int(np.argmax(t[:, 0] > 0)), None)
    rgb[rows] += (haze * t)[rows][..., None] * low
    rgb *= sc.vignette(0.3)[..., None]
    return rgb, f, {"mood": mood, "sun_x": round(float(sun_x), 3), "sky": rgb_hex(top)}
