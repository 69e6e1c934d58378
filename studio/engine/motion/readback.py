"""Frames read back from a rendered clip (MP4 via PyAV, GIF/WebP via Pillow): what
moderation looks at and what the poster strip shows, taken from the file itself."""

from __future__ import annotations

from PIL import Image, ImageSequence


def read_frames(path: str, count: int = 6) -> list[Image.Image]:
    """count RGB frames spread evenly from the first to the last (fewer if the clip has
    fewer frames)."""
    if path.lower().endswith(".mp4"):
        import av

        with av.open(path) as container:
            frames = [f.to_image() for f in container.decode(video=0)]
    else:
        with Image.open(path) as image:
            frames = [f.convert("RGB") for f in ImageSequence.Iterator(image)]
    if not frames or count <= 0:
        return []
    if count == 1:
        return [frames[-1]]
    picks = sorted({round(i * (len(frames) - 1) / (count - 1)) for i in range(count)})
    return [frames[i] for i in picks]
