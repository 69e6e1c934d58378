"""Animated display banners: GIF or animated WebP within 150 KB, at most 3 plays.

Loop counts differ by format. A GIF's NETSCAPE2.0 count is the number of repeats
after the first play (browsers play loop=2 three times; no extension plays once), so
3 plays are written as loop=2 and 1 play as no loop entry. An animated WebP's loop
count is the number of plays (0 = forever), so 3 plays are loop=3.

The weight is met by trying cheaper encodings in turn: fewer palette colours (GIF) or
a lower quality (WebP), then fewer frames per second; the first under the budget wins,
and none under it raises EngineError.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from PIL import Image

from studio.engine.motion.spec import BANNER_MAX_BYTES, ClipSpec
from studio.engine.types import EngineError

GIF_COLOURS = (128, 64, 32)
WEBP_QUALITY = (80, 60, 45, 30)


def loop_param(kind: str, plays: int) -> int | None:
    """Pillow's `loop` argument for a number of plays (None: write no loop entry)."""
    if kind == "gif":
        return plays - 1 if plays > 1 else None
    return plays


def plays_of(kind: str, loop: int | None) -> float:
    """Plays a browser gives a file written with this loop value (inf = forever)."""
    if loop == 0:
        return float("inf")
    if kind == "gif":
        return 1 if loop is None else loop + 1
    return loop or 1


def encode_banner(frames_at, path: str, spec: ClipSpec, seconds: float) -> dict[str, Any]:
    """frames_at(fps) gives the RGB frames for a frame rate; the first encoding within
    the budget is written to path."""
    tried = []
    for fps in _rates(spec.fps):
        frames = [Image.fromarray(f) for f in frames_at(fps)]
        for level in GIF_COLOURS if spec.kind == "gif" else WEBP_QUALITY:
            data = _encode(frames, spec, fps, level)
            tried.append({"fps": fps, "level": level, "bytes": len(data)})
            if len(data) <= BANNER_MAX_BYTES:
                with open(path, "wb") as out:
                    out.write(data)
                return {
                    "codec": spec.kind,
                    "fps": fps,
                    "frames": len(frames),
                    "level": level,
                    "loop": loop_param(spec.kind, spec.loops),
                    "plays": spec.loops,
                    "tried": tried,
                    "bytes": len(data),
                }
    smallest = min(t["bytes"] for t in tried)
    raise EngineError(
        f"The {spec.fmt.width}x{spec.fmt.height} {spec.kind.upper()} banner cannot fit "
        f"{BANNER_MAX_BYTES // 1000} KB (smallest try: {smallest // 1000} KB); "
        "try a shorter banner or the other format."
    )


def _rates(fps: int) -> list[int]:
    return sorted({fps, max(1, fps * 2 // 3), max(1, fps // 2), max(1, fps // 3)}, reverse=True)


def _encode(frames: list[Image.Image], spec: ClipSpec, fps: int, level: int) -> bytes:
    buf = io.BytesIO()
    # GIF delays are in hundredths of a second: round to 10 ms.
    duration = max(20, round(1000 / fps / 10) * 10) if spec.kind == "gif" else round(1000 / fps)
    extra: dict[str, Any] = {}
    loop = loop_param(spec.kind, spec.loops)
    if loop is not None:
        extra["loop"] = loop
    if spec.kind == "gif":
        palette = _palette(frames, level)
        quantised = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
        quantised[0].save(
            buf, "GIF", save_all=True, append_images=quantised[1:], duration=duration,
            optimize=False, disposal=1, **extra,
        )  # fmt: skip
    else:
        frames[0].save(
            buf, "WEBP", save_all=True, append_images=frames[1:], duration=duration,
            quality=level, method=4, lossless=False, **extra,
        )  # fmt: skip
    return buf.getvalue()


def _palette(frames: list[Image.Image], colours: int) -> Image.Image:
    """One palette for every frame (frames then differ only where something moved, which
    is all the GIF writer stores), taken from a few frames spread over the clip."""
    picks = [frames[i] for i in np.linspace(0, len(frames) - 1, 4).round().astype(int)]
    w, h = picks[0].size
    sheet = Image.new("RGB", (w, h * len(picks)))
    for i, image in enumerate(picks):
        sheet.paste(image, (0, i * h))
    return sheet.quantize(colors=colours, method=Image.Quantize.MEDIANCUT)
