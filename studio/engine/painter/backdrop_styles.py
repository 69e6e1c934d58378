"""The backdrop styles: each paints a soft float canvas for one Scene and says where its
floor is. Light is modelled, not decorated: an albedo (the paper, the plinth, the table)
times the light that falls on it (ambient + key pool, tinted by a brand-colour gel).

A style returns (rgb float array (h, w, 3), floor_y, facts for the lineage).
"""

from __future__ import annotations

import numpy as np

from studio.engine.painter.backdrop_kit import Scene, blend, mix, rgb_hex, smoothstep, with_hls

WHITE = np.ones(3, np.float32)


def _paper(sc: Scene) -> tuple[np.ndarray, str]:
    """The sweep's paper: the brand background role, as high-, mid- or low-key paper."""
    key = sc.rng.choice(["high", "high", "mid", "low"])
    lightness, sat = {"high": (0.84, 0.22), "mid": (0.6, 0.3), "low": (0.26, 0.38)}[key]
    return with_hls(sc.roles["background"], lightness, sat), str(key)


def _gel(sc: Scene, role: str, strength: float) -> np.ndarray:
    """A light's colour: white through a gel of the role's hue (normalised to max 1)."""
    hue = with_hls(sc.roles[role], 0.55, 0.9, scale=1.4)
    light = mix(WHITE, hue / max(float(hue.max()), 1e-3), strength)
    return light / max(float(light.max()), 1e-3)


def _sweep(sc: Scene, paper, horizon: float, gel, cove: float = 0.04, pool_gain: float = 0.42):
    """A seamless sweep: wall light falls off upwards, the floor catches the overhead
    light, the cove between them is a soft horizon at `horizon`."""
    half, cx = sc.stage_px()
    t = smoothstep(horizon - cove, horizon + cove, sc.y)
    # The wall is lit by a pool behind the product and falls off toward the cove; the
    # floor faces the overhead light, so the cove reads as a soft step up in light.
    # Less light reaches down into the curve of the cove: a soft shade just above it.
    cove_shade = smoothstep(horizon - 0.18 / sc.ay, horizon, sc.y)
    wall_light = 0.6 + 0.1 * np.clip(sc.y / max(horizon, 1e-3), 0, 1) - 0.1 * cove_shade
    key_x = cx + 0.18 * sc.light_x / sc.ax
    wall_pool = sc.pool(key_x, horizon - 0.45 / sc.ay, 0.9 + half, 0.6)
    # The floor darkens with distance from the light: per short side, not per frame, so
    # a skyscraper's short floor does not fall off faster than a square's.
    floor_light = 0.95 - 0.12 * np.clip((sc.y - horizon) * sc.ay, 0, None)
    floor_pool = sc.pool(cx, horizon + 0.1 / sc.ay, 0.8 + half, 0.3)
    vignette = sc.vignette(0.38)
    white = (wall_light * (1 - t) + floor_light * t) * vignette
    tinted = (pool_gain * wall_pool * (1 - t) + 0.18 * floor_pool * t) * vignette
    # paper x (white light + gel light), with the 3-channel work done once each.
    return white[..., None] * paper + tinted[..., None] * (np.asarray(gel) * paper)


def seamless(sc: Scene):
    paper, key = _paper(sc)
    gel = _gel(sc, "accent", float(sc.rng.uniform(0.12, 0.3)))
    rgb = _sweep(sc, paper, sc.floor_y, gel)
    return rgb, sc.floor_y, {"key": key, "paper": rgb_hex(paper), "gel": rgb_hex(gel)}


def _occlusion(sc: Scene, cx: float, cy: float, rx: float, ry: float, depth: float):
    """Darkening of the floor around where something stands (ambient occlusion)."""
    return 1 - depth * sc.pool(cx, cy, rx, ry)


def podium(sc: Scene):
    """A cylinder podium on a sweep; the product stands in the middle of its top."""
    paper, key = _paper(sc)
    gel = _gel(sc, "accent", float(sc.rng.uniform(0.1, 0.25)))
    half, cx = sc.stage_px()
    rx = half * float(sc.rng.uniform(1.35, 1.7))
    ry = rx * float(sc.rng.uniform(0.14, 0.2))
    tall = float(sc.rng.uniform(0.14, 0.26))  # short sides
    f = sc.floor_y
    base = f + tall / sc.ay
    horizon = f - float(sc.rng.uniform(0.02, 0.08))
    rgb = _sweep(sc, paper, horizon, gel)
    rgb = rgb * _occlusion(sc, cx, base + 0.01, rx * 1.25, ry * 2.2, 0.45)[..., None]
    stone = _block_colour(sc, paper)
    column = sc.band(cx, rx) * (sc.y >= f) * (sc.y <= base)
    body = np.maximum(column, sc.ellipse(cx, base, rx, ry))
    s = np.clip(sc.u(cx) / rx, -1, 1)
    # A matte cylinder: brightest where it faces the key light, rolling off at the sides.
    round_light = 0.46 + 0.28 * np.sqrt(1 - s**2) + 0.14 * sc.light_x * s
    face = round_light * (1 - 0.2 * np.clip((sc.y - f) / max(base - f, 1e-3), 0, 1))
    blend(rgb, body, face, stone)
    top_cover = sc.ellipse(cx, f, rx, ry)
    lip = sc.ellipse(cx, f + 0.004 / sc.ay, rx, ry) - sc.ellipse(cx, f - 0.004 / sc.ay, rx, ry)
    lip = np.clip(lip, 0, 1) * (sc.y > f)
    toward = 0.06 * np.clip(sc.v(f) / ry, -1, 1)  # the front of the top catches more light
    top_light = 0.95 + toward + 0.05 * sc.pool(cx + 0.3 * sc.light_x * rx / sc.ax, f, rx, ry)
    # The front edge catches a specular line whatever the podium's colour.
    blend(rgb, top_cover, top_light, stone, sheen=0.16 * lip)
    facts = {"key": key, "paper": rgb_hex(paper), "podium": rgb_hex(stone), "radius": rx}
    return rgb, f, facts


def _block_colour(sc: Scene, paper) -> np.ndarray:
    """Podiums and plinths: the paper's hue or the brand accent, muted, always a clear
    step lighter or darker than the paper so the top face separates from the wall."""
    import colorsys

    paper_l = colorsys.rgb_to_hls(*map(float, paper))[1]
    lightness = paper_l + 0.24 if paper_l < 0.55 else paper_l - 0.28
    if sc.rng.random() < 0.4:
        return with_hls(sc.roles["accent"], lightness, 0.45)
    return with_hls(paper, lightness, 0.22)


def _box(sc: Scene, rgb, cx, half, top_back, top_front, base, colour):
    """A plinth seen slightly from above: a lit top face and a shaded front face."""
    edge = 1.2 / sc.h
    inside_x = smoothstep(half + edge * sc.ay, half - edge * sc.ay, np.abs(sc.u(cx)))
    top = smoothstep(top_back - edge, top_back + edge, sc.y) * (sc.y < top_front)
    front = smoothstep(top_front - edge, top_front + edge, sc.y) * smoothstep(
        base + edge, base - edge, sc.y
    )
    front_light = 0.66 + 0.06 * sc.light_x * sc.u(cx) / half
    front_light = front_light - 0.14 * np.clip((sc.y - top_front) / (base - top_front), 0, 1)
    lip = np.exp(-(((sc.y - top_front) * sc.h / 1.6) ** 2))
    top_light = 0.96 + 0.06 * smoothstep(top_back, top_front, sc.y)
    blend(rgb, top * inside_x, top_light, colour, sheen=0.14 * lip)
    return blend(rgb, front * inside_x, front_light, colour)


def plinth(sc: Scene):
    """One or two rectangular plinths; the product stands mid-way across the top face."""
    paper, key = _paper(sc)
    gel = _gel(sc, "accent", float(sc.rng.uniform(0.1, 0.25)))
    half, cx = sc.stage_px()
    half *= float(sc.rng.uniform(1.3, 1.6))
    depth = float(sc.rng.uniform(0.035, 0.06)) / sc.ay * 2  # top face, in heights
    tall = float(sc.rng.uniform(0.2, 0.35)) / sc.ay
    f = sc.floor_y
    top_back, top_front, base = f - depth / 2, f + depth / 2, f + depth / 2 + tall
    rgb = _sweep(sc, paper, f - float(sc.rng.uniform(0.04, 0.1)), gel)
    rgb = rgb * _occlusion(sc, cx, base, half * 1.3, 0.06, 0.4)[..., None]
    colour = _block_colour(sc, paper)
    second = bool(sc.rng.random() < 0.6)
    if second:
        side = 1.0 if sc.rng.random() < 0.5 else -1.0
        half2 = half * 0.7
        cx2 = cx + side * (half + half2 * 0.55) / sc.ax
        lift = float(sc.rng.uniform(0.1, 0.2)) / sc.ay
        colour2 = mix(colour, paper, 0.45)
        rgb = _box(
            sc,
            rgb,
            cx2,
            half2,
            top_back - lift - depth * 0.8,
            top_back - lift,
            base - depth * 0.6,
            colour2,
        )
    rgb = _box(sc, rgb, cx, half, top_back, top_front, base, colour)
    facts = {"key": key, "paper": rgb_hex(paper), "plinth": rgb_hex(colour), "pair": second}
    return rgb, f, facts


def gel(sc: Scene):
    """A low-key set lit through two coloured gels from the brand roles, on a glossy
    floor that mirrors them faintly."""
    # Near-neutral paper, so the gels show their own colour rather than a muddy mix.
    paper = with_hls(sc.roles["background"], 0.5, 0.06)
    side = 1.0 if sc.rng.random() < 0.5 else -1.0
    first = _gel(sc, "accent", 0.85)
    second = _gel(sc, "cta" if sc.rng.random() < 0.5 else "background", 0.7)
    half, cx = sc.stage_px()
    f = sc.floor_y
    t = smoothstep(f - 0.012, f + 0.012, sc.y)
    spread = float(sc.rng.uniform(0.7, 1.1))
    # Each gel lights its own side of the wall; they only meet behind the product.
    # Tall formats get taller pools, so the colour climbs the wall above the product.
    tall = 0.55 + 0.35 * sc.ay
    pool_a = sc.pool(0.5 - side * 0.3, f - 0.55 / sc.ay, spread * 0.7 + 0.12 * sc.ax, tall)
    pool_b = sc.pool(0.5 + side * 0.32, f - 0.25 / sc.ay, spread * 0.6 + 0.1 * sc.ax, tall * 0.8)
    wall = sc.paint(0.16, WHITE) + sc.paint(1.25 * pool_a, first) + sc.paint(1.0 * pool_b, second)
    wall = sc.paint(1.0, paper) * wall
    # The glossy floor: the wall mirrored about the horizon, fading with distance.
    rows = np.clip(np.round((2 * f - sc.y[:, 0]) * sc.h - 0.5).astype(int), 0, sc.h - 1)
    fade = np.exp(-np.clip(sc.y - f, 0, None) * sc.ay * 5.0)
    spot = sc.pool(cx, f + 0.08 / sc.ay, 0.7 + half, 0.35)
    # A glossy floor reflects about a third of the wall: the horizon reads as a step down.
    floor = wall[rows] * (0.25 * fade)[..., None] + sc.paint(0.1 + 0.45 * spot, paper)
    rgb = wall * (1 - t[..., None]) + floor * t[..., None]
    rgb = rgb * sc.vignette(0.45)[..., None]
    facts = {"gels": [rgb_hex(first), rgb_hex(second)], "side": side}
    return rgb, f, facts


def window(sc: Scene):
    """Warm window light falling across a pale sweep: the soft shadow of the mullions on
    the wall, the sun's patch on the floor."""
    # Pale warm paper: window light reads as morning sun on a warm-white wall.
    paper = mix(with_hls(sc.roles["background"], 0.86, 0.16), [1.0, 0.95, 0.88], 0.5)
    sun = mix(WHITE, np.array([1.0, 0.86, 0.66], np.float32), float(sc.rng.uniform(0.4, 0.8)))
    f = sc.floor_y
    half, cx = sc.stage_px()
    angle = np.deg2rad(float(sc.rng.uniform(18, 32))) * (-1 if sc.light_x < 0 else 1)
    u, v = sc.u(0.5 - 0.25 * np.sign(angle) / sc.ax), sc.v(f - 0.5 / sc.ay)
    p = u * np.cos(angle) + v * np.sin(angle)
    q = -u * np.sin(angle) + v * np.cos(angle)
    pane = float(sc.rng.uniform(0.5, 0.7))
    bar = 0.06
    soft = 0.05
    px = np.abs(((p / pane) % 1.0) - 0.5) * pane
    qy = np.abs(((q / (pane * 1.3)) % 1.0) - 0.5) * pane * 1.3
    glass = smoothstep(bar / 2 - soft, bar / 2 + soft, px) * smoothstep(
        bar / 2 - soft, bar / 2 + soft, qy
    )
    frame = smoothstep(1.35 + soft * 4, 1.35 - soft * 4, np.abs(p)) * smoothstep(
        1.0 + soft * 4, 1.0 - soft * 4, np.abs(q)
    )
    lit = glass * frame * smoothstep(f + 0.02, f - 0.04, sc.y)
    t = smoothstep(f - 0.035, f + 0.035, sc.y)
    base = _sweep(sc, paper, f, WHITE, pool_gain=0.12) * 0.86
    patch = sc.pool(cx + 0.35 * np.sign(angle) / sc.ax, f + 0.1 / sc.ay, 0.9 + half, 0.2) * t
    light = sc.paint(0.3 * lit + 0.3 * patch, sun)
    rgb = base + base * light
    facts = {"sun": rgb_hex(sun), "angle_deg": round(float(np.rad2deg(angle)), 1)}
    return rgb, f, facts
