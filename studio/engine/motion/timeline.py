"""Motion templates: when and how each sprite moves, and where everything is at a time.

A template names the background's move (slow zoom, slow pan, or none for banners) and
the product's entrance (a slide in from its nearest canvas edge, or a scale up in
place); the copy is always revealed in reading order (headline, body, badge, CTA, with
the disclaimer), each fading in while it slides a short way up; the end card fades the
headline, body, badge and corner logo out and a large logo in, in the headline's
zone, while the CTA and disclaimer stay. Text only moves and fades: it is never scaled,
so it never drops under its still size.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.engine.checks import inside, intersects
from studio.engine.contrast import Box

ENTRANCE = ("slide", "scale")
IN_VIEW = 0.65  # a sliding product starts this share of the way out of the canvas


@dataclass(frozen=True)
class Motion:
    name: str
    background: str  # zoom | pan | still
    product: str  # slide | scale
    amount: float = 0.06  # zoom: final scale - 1; pan: travel as a share of the width


MOTIONS: dict[str, Motion] = {
    m.name: m
    for m in (
        Motion("zoom-slide", "zoom", "slide"),
        Motion("zoom-scale", "zoom", "scale"),
        Motion("pan-slide", "pan", "slide", 0.05),
        Motion("pan-scale", "pan", "scale", 0.05),
        Motion("banner-slide", "still", "slide", 0.0),
        Motion("banner-scale", "still", "scale", 0.0),
    )
}
VIDEO_MOTIONS = ("pan-slide", "zoom-slide", "pan-scale", "zoom-scale")
BANNER_MOTIONS = ("banner-slide", "banner-scale")


@dataclass(frozen=True)
class Track:
    """A sprite's entrance (from an offset and scale, fading in) and optional exit."""

    start: float
    end: float
    dx: int = 0
    dy: int = 0
    scale: float = 1.0  # at start; 1 at end
    fade: bool = True
    alpha0: float = 0.0  # opacity at start, when fading
    out_start: float | None = None
    out_end: float | None = None


@dataclass(frozen=True)
class State:
    dx: int
    dy: int
    scale: float
    alpha: float


def ease_out(u: float) -> float:
    u = min(1.0, max(0.0, u))
    return 1 - (1 - u) ** 3


def state_at(track: Track, t: float) -> State:
    u = ease_out((t - track.start) / max(1e-6, track.end - track.start))
    alpha = track.alpha0 + (1 - track.alpha0) * u if track.fade else 1.0
    if track.out_start is not None and t >= track.out_start:
        span = max(1e-6, (track.out_end or track.out_start) - track.out_start)
        alpha *= 1 - min(1.0, (t - track.out_start) / span)
    if t < track.start:
        alpha = 0.0
    k = 1 - u
    return State(
        round(track.dx * k), round(track.dy * k), track.scale + (1 - track.scale) * u, alpha
    )


def placed_box(box: Box, s: State, anchor: str = "bottom") -> Box:
    """The box at a state: scaled about its bottom centre (where a product stands), then
    offset."""
    w, h = box[2] - box[0], box[3] - box[1]
    sw, sh = max(1, round(w * s.scale)), max(1, round(h * s.scale))
    cx = (box[0] + box[2]) // 2
    x0 = cx - sw // 2 + s.dx
    y0 = (box[3] - sh if anchor == "bottom" else box[1]) + s.dy
    return (x0, y0, x0 + sw, y0 + sh)


def schedule(seconds: float) -> dict[str, tuple[float, float]]:
    """Entrance windows in seconds: a 15 s clip reveals at a calmer pace than a 6 s one."""
    k = seconds / 6 if seconds < 6 else 1.0 if seconds < 15 else 1.6
    return {
        "product": (0.0, 0.8 * k),
        "shadow": (0.0, 0.8 * k),
        "logo": (0.2 * k, 0.7 * k),
        "headline": (0.5 * k, 1.0 * k),
        "body": (0.9 * k, 1.4 * k),
        "badge": (1.2 * k, 1.6 * k),
        "cta": (1.4 * k, 1.9 * k),
        "disclaimer": (1.4 * k, 1.9 * k),
    }


def end_card_start(seconds: float) -> float:
    if seconds < 6:
        return 0.7 * seconds
    return seconds - (1.8 if seconds < 15 else 3.0)


def plan_tracks(scene, motion: Motion, seconds: float, *, slide_px: int) -> dict[str, Track]:
    """Tracks for every sprite; text slides shortened (to none) where a longer slide
    would leave the safe area or touch the product or another element."""
    sprites = scene.sprites
    windows = schedule(seconds)
    end = end_card_start(seconds)
    has_end_logo = "end_logo" in sprites
    product = sprites.get("product")
    others = {n: s.box for n, s in sprites.items() if n not in ("product", "shadow")}
    tracks: dict[str, Track] = {}
    if product is not None and scene.baked:
        # A product painted into the scene stands still from the first frame.
        tracks["product"] = Track(0.0, 0.0, fade=False)
    elif product is not None:
        dx, dy, scale = _entrance(product.box, scene, motion, others)
        start, stop = windows["product"]
        # The first frame already shows the product (feeds show it before playing): a
        # slide starts a third in view at full opacity, a scale-up at half opacity.
        sliding = scale == 1.0
        tracks["product"] = Track(start, stop, dx, dy, scale, fade=not sliding, alpha0=0.5)
        tracks["shadow"] = tracks["product"]
    for name, box in others.items():
        if name == "end_logo":
            fade = 0.35
            tracks[name] = Track(end + fade, end + 2 * fade)
            continue
        start, stop = windows.get(name, (0.0, 0.5))
        leaves = has_end_logo and name in ("headline", "body", "badge", "logo")
        dy = _slide_room(box, scene, others, name, slide_px) if name != "logo" else 0
        tracks[name] = Track(
            start, stop, 0, dy, out_start=end if leaves else None,
            out_end=end + 0.35 if leaves else None,
        )  # fmt: skip
    return tracks


def _entrance(box: Box, scene, motion: Motion, others: dict[str, Box]):
    """(dx, dy, scale) the product starts from: off the nearest edge when the path there
    crosses no other element, else scaled down in place (inside its own box)."""
    if motion.product == "slide":
        w, h = scene.background.size
        gaps = {"left": box[0], "right": w - box[2], "top": box[1], "bottom": h - box[3]}
        side = min(gaps, key=gaps.get)
        dx = {"left": -box[2], "right": w - box[0]}.get(side, 0)
        dy = {"top": -box[3], "bottom": h - box[1]}.get(side, 0)
        path = (min(box[0], box[0] + dx), min(box[1], box[1] + dy),
                max(box[2], box[2] + dx), max(box[3], box[3] + dy))  # fmt: skip
        if not any(intersects(path, b) for b in others.values()):
            return round(dx * IN_VIEW), round(dy * IN_VIEW), 1.0
    return 0, 0, 0.82


def _slide_room(box: Box, scene, others: dict[str, Box], name: str, want: int) -> int:
    product = scene.sprites.get("product")
    blockers = [b for n, b in others.items() if n not in (name, "end_logo")]
    if product is not None:
        blockers.append(product.box)
    for dy in range(want, 0, -max(1, want // 8)):
        moved = (box[0], box[1] + dy, box[2], box[3] + dy)
        swept = (box[0], box[1], box[2], box[3] + dy)
        if inside(moved, scene.safe_area) and not any(intersects(swept, b) for b in blockers):
            return dy
    return 0


def frame_boxes(scene, tracks: dict[str, Track], t: float) -> dict[str, tuple[Box, State]]:
    """Every visible sprite's box at time t."""
    out = {}
    for name, sprite in scene.sprites.items():
        s = state_at(tracks[name], t)
        if s.alpha > 0:
            out[name] = (placed_box(sprite.box, s), s)
    return out


def frame_checks(scene, placed: dict[str, tuple[Box, State]]) -> list[str]:
    """What breaks the rules in one frame: an element outside the safe area, or anything
    drawn over the product."""
    bad = []
    product = placed.get("product")
    for name, (box, _) in placed.items():
        if name in ("product", "shadow"):
            continue
        if not inside(box, scene.safe_area):
            bad.append(f"{name} outside the safe area")
        if product is not None and intersects(box, product[0]):
            bad.append(f"{name} over the product")
    return bad
