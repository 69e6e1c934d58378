"""Sampled frames of a finished clip, for people who judge it without playing it
(moderators): a strip of a few frames spread over its length, read back from the file.

No Django; PyAV and Pillow are imported inside the functions (heavy imports, TID253).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

STRIP_HEIGHT = 320
GAP = 8


def sample_fractions(count: int) -> list[float]:
    """`count` points spread over a clip, as fractions of its length, the ends left out
    (the first frame is the poster, shown beside the strip)."""
    return [(i + 1) / (count + 1) for i in range(count)]


def sample_frames(path: str, kind: str, *, seconds: float, count: int = 4) -> list[Image.Image]:
    """Frames at `sample_fractions`, decoded from the MP4 (PyAV) or from one loop of the
    animated GIF/WebP."""
    if kind == "mp4":
        return _video_frames(path, [f * seconds for f in sample_fractions(count)])
    return _animated_frames(path, sample_fractions(count))


def _video_frames(path: str, times: list[float]) -> list[Image.Image]:
    import av  # heavy: only where a clip is read back

    frames, wanted = [], list(times)
    with av.open(path) as container:
        # Decoding from the start is cheap next to encoding (short clips, one pass).
        for frame in container.decode(container.streams.video[0]):
            if not wanted:
                break
            if frame.time is not None and frame.time >= wanted[0]:
                frames.append(frame.to_image())
                wanted.pop(0)
    return frames


def _animated_frames(path: str, fractions: list[float]) -> list[Image.Image]:
    from PIL import Image, ImageSequence

    with Image.open(path) as opened:
        durations = [f.info.get("duration", 100) or 100 for f in ImageSequence.Iterator(opened)]
        clock, wanted, frames = 0, [f * sum(durations) for f in fractions], []
        for frame, duration in zip(ImageSequence.Iterator(opened), durations, strict=False):
            clock += duration
            while wanted and clock >= wanted[0]:
                frames.append(frame.convert("RGB"))
                wanted.pop(0)
    return frames


def frames_strip(frames: list[Image.Image], *, height: int = STRIP_HEIGHT) -> Image.Image:
    """The frames side by side at one height, on white, `GAP` pixels apart."""
    from PIL import Image

    scaled = [
        f.resize((max(1, round(f.width * height / f.height)), height), Image.Resampling.LANCZOS)
        for f in frames
    ]
    width = sum(f.width for f in scaled) + GAP * max(0, len(scaled) - 1)
    strip = Image.new("RGB", (max(1, width), height), "white")
    x = 0
    for frame in scaled:
        strip.paste(frame, (x, 0))
        x += frame.width + GAP
    return strip
