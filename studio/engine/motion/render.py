"""render_clip: a creative's layers to an MP4 or an animated banner, with its poster and
a report of what every frame was checked for."""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np
from PIL import Image

from studio.engine import placement
from studio.engine.contrast import contrast_against, luminance
from studio.engine.layers import Layers
from studio.engine.motion import timeline
from studio.engine.motion.banner import encode_banner
from studio.engine.motion.compose import Compositor
from studio.engine.motion.spec import ClipResult, ClipSpec
from studio.engine.motion.sprites import Scene, build_scene
from studio.engine.motion.video import encode_mp4, rgb_frames
from studio.engine.types import AdCopy, BrandBrief, EngineError

SLIDE_SHARE = 0.025  # text slides up 2.5 % of the canvas height (48 px on 1920) at most
POSTER_LEAD = 0.1  # the poster: this long before the end card (everything revealed)


def render_clip(
    layers: Layers,
    copy: AdCopy,
    brand: BrandBrief,
    spec: ClipSpec,
    *,
    out_path: str,
    product_name: str = "",
    slot: int = 0,
    template: str | None = None,
    seed: int = 0,
    motion: str | None = None,
) -> ClipResult:
    """template: the layout template (as layout.render); motion: a motion template name
    (timeline.MOTIONS), else one picked by seed and slot among those for the kind."""
    started = time.perf_counter()
    if layers.background.size != spec.size:
        raise EngineError(
            f"The background is {layers.background.size[0]}x{layers.background.size[1]}, "
            f"the clip {spec.fmt.width}x{spec.fmt.height}: paint it at the clip's size."
        )
    chosen = pick_motion(spec, seed + slot, motion)
    if layers.baked_box is not None:
        # The product is painted into the background: moving the background would move
        # the product under the copy, so the scene holds still and only the copy moves.
        chosen = timeline.Motion(f"{chosen.name}-baked", "still", chosen.product, 0.0)
    scene = build_scene(
        layers, copy, brand, spec.fmt, product_name=product_name, slot=slot, template=template
    )
    planned = time.perf_counter()
    tracks, frame_report = _tracks(scene, chosen, spec)
    comp = Compositor(scene, chosen, tracks, spec.seconds)
    encoded, fps, frames, codec = _encode(comp, spec, out_path)
    contrast = check_contrast(scene, comp, tracks, spec.seconds)
    poster_t = max(0.0, timeline.end_card_start(spec.seconds) - POSTER_LEAD)
    poster = Image.fromarray(comp.frame(poster_t))
    done = time.perf_counter()
    report = _report(scene, chosen, tracks, frame_report, encoded, spec, poster_t)
    report["contrast"] = contrast
    low = [f"{n} {r:.2f}" for n, r in contrast.items() if r < placement.MIN_CONTRAST]
    report["checks"]["low_contrast"] = {"ok": not low, "detail": ", ".join(low)}
    report["timings"] = {
        "plan_s": round(planned - started, 3),
        **encoded.get("timings", {}),
        "total_s": round(done - started, 3),
    }
    return ClipResult(
        path=out_path, poster=poster, kind=spec.kind, width=spec.fmt.width,
        height=spec.fmt.height, fps=fps, frames=frames, seconds=frames / fps,
        bytes=os.path.getsize(out_path), codec=codec, report=report,
    )  # fmt: skip


def _tracks(scene: Scene, chosen: timeline.Motion, spec: ClipSpec):
    slide = round(SLIDE_SHARE * spec.fmt.height)
    tracks = timeline.plan_tracks(scene, chosen, spec.seconds, slide_px=slide)
    frame_report = check_frames(scene, tracks, spec.seconds, spec.fps)
    if not frame_report["ok"]:
        # Fall back to the still's geometry (fades and a scale-in inside the product's own
        # box), which passes whatever the still passes.
        tracks = timeline.plan_tracks(
            scene, timeline.Motion(chosen.name, chosen.background, "scale"), spec.seconds,
            slide_px=0,
        )  # fmt: skip
        frame_report = check_frames(scene, tracks, spec.seconds, spec.fps)
        frame_report["fallback"] = "slides removed: a frame broke a rule"
    return tracks, frame_report


def _encode(comp: Compositor, spec: ClipSpec, out_path: str):
    """(encoder facts, fps, frame count, codec) once out_path is written."""
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    if spec.is_banner:
        encoded = encode_banner(
            lambda fps: [comp.frame(i / fps) for i in range(round(spec.seconds * fps))],
            out_path, spec, spec.seconds,
        )  # fmt: skip
        return encoded, encoded["fps"], encoded["frames"], spec.kind
    count = spec.seconds * spec.fps
    source = rgb_frames(lambda i, out: comp.frame(i / spec.fps, out), count, spec.size)
    encoded = encode_mp4(source, out_path, spec)
    return encoded, spec.fps, encoded["frames"], "h264"


def pick_motion(spec: ClipSpec, seed: int, name: str | None) -> timeline.Motion:
    allowed = timeline.BANNER_MOTIONS if spec.is_banner else timeline.VIDEO_MOTIONS
    if name is None:
        return timeline.MOTIONS[allowed[seed % len(allowed)]]
    if name not in allowed:
        raise EngineError(
            f"Unknown motion template {name!r} for a {spec.kind}: one of {', '.join(allowed)}."
        )
    return timeline.MOTIONS[name]


def check_frames(scene: Scene, tracks, seconds: float, fps: int) -> dict[str, Any]:
    """Geometry of every frame: each visible element inside the safe area and clear of
    the product. A sample (one frame a second) keeps its boxes for the report."""
    bad: dict[str, list[int]] = {}
    samples = []
    count = round(seconds * fps)
    for i in range(count):
        placed = timeline.frame_boxes(scene, tracks, i / fps)
        for problem in timeline.frame_checks(scene, placed):
            bad.setdefault(problem, []).append(i)
        if i % fps == 0 or i == count - 1:
            samples.append({
                "frame": i,
                "t": round(i / fps, 3),
                "boxes": {n: list(b) for n, (b, _) in placed.items()},
                "alpha": {n: round(s.alpha, 3) for n, (_, s) in placed.items()},
            })  # fmt: skip
    problems = {p: f"{len(f)} frames from {f[0]}" for p, f in bad.items()}
    return {"ok": not bad, "frames_checked": count, "problems": problems, "samples": samples}


def check_contrast(scene: Scene, comp: Compositor, tracks, seconds: float) -> dict:
    """Worst text contrast over the clip: measured every half second, for each text,
    CTA and badge at rest, on that frame's moved background under its scrim or button
    (the still measured it on the unmoved one)."""
    worst: dict[str, float] = {}
    texts = {n: s for n, s in scene.sprites.items() if s.backing is not None}
    for step in range(int(seconds * 2)):
        t = step / 2 + 0.25
        background = None
        for name, sprite in texts.items():
            state = timeline.state_at(tracks[name], t)
            if state.alpha < 1 or state.dx or state.dy:
                continue  # entering or leaving: not read yet
            if background is None:
                background = comp.background_at(t)
            ratio = _contrast_on(background, sprite)
            worst[name] = round(min(worst.get(name, ratio), ratio), 3)
    return worst


def _contrast_on(background: np.ndarray, sprite) -> float:
    x0, y0, x1, y1 = sprite.box
    behind = background[y0:y1, x0:x1].astype(np.float32)
    backing = np.asarray(sprite.backing, np.float32)
    alpha = backing[..., 3:] / 255
    mixed = behind * (1 - alpha) + backing[..., :3] * alpha
    ix0, iy0, ix1, iy1 = sprite.ink
    under = mixed[iy0 - y0 : iy1 - y0, ix0 - x0 : ix1 - x0].reshape(-1, 3)
    return contrast_against(luminance(np.floor(under + 0.5)), sprite.colour)


def _report(scene, motion, tracks, frames, encoded, spec: ClipSpec, poster_t) -> dict[str, Any]:
    still = scene.still
    w = min(spec.fmt.width, spec.fmt.height)
    minimum = {
        name: placement.min_headline_px(w) if name == "headline" else placement.MIN_FONT_PX
        for name in still.font_sizes
    }
    small = [n for n, size in still.font_sizes.items() if size < minimum[n]]
    return {
        "motion": motion.name,
        "background_move": motion.background,
        "product_entrance": "slide" if tracks.get("product", None) and (
            tracks["product"].dx or tracks["product"].dy) else "scale",
        "layout": {k: still.report()[k] for k in ("family", "template", "safe_area", "boxes")},
        "tracks": {n: [round(t.start, 3), round(t.end, 3), t.dx, t.dy, t.scale,
                       t.out_start, t.out_end] for n, t in tracks.items()},
        "end_card_s": round(timeline.end_card_start(spec.seconds), 3),
        "poster_s": round(poster_t, 3),
        # Text is never scaled in motion: its size in every frame is its still size.
        "font_sizes": dict(still.font_sizes),
        "font_minimum": minimum,
        "checks": {
            "frames": {"ok": frames["ok"], "detail": "; ".join(
                f"{k}: {v}" for k, v in frames["problems"].items())},
            "font_under_minimum": {"ok": not small, "detail": ", ".join(small)},
        },
        "frames": frames,
        "still_checks": still.checks,
        "encoding": {k: v for k, v in encoded.items() if k != "timings"},
    }  # fmt: skip
