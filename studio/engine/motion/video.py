"""H.264 MP4 encoding with PyAV (libx264 ships in its wheels).

High profile, yuv420p (what every ad platform and browser decodes), BT.709 tagged (HD
video is read as BT.709 when untagged, so converting with BT.601 would shift colours),
the moov atom first (+faststart: a browser starts playing before the whole file is
in), no audio track, quality-targeted (CRF) under a VBV cap from the platform table.
The thread count is fixed: x264's output depends on it, and a same seed must give the
same file on any machine.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import numpy as np

from studio.engine.motion.spec import PLATFORMS, ClipSpec

PRESET = "veryfast"  # x264's speed/size trade-off; the bench's floor uses the same
CRF = 21
THREADS = 2
KEYFRAME_SECONDS = 2  # a keyframe every 2 s: hover previews and seeking start quickly


def encoder_options(spec: ClipSpec) -> dict[str, str]:
    kbps = PLATFORMS[spec.platform].max_kbps
    return {
        "preset": PRESET,
        "profile": "high",
        "crf": str(CRF),
        "maxrate": f"{kbps}k",
        "bufsize": f"{2 * kbps}k",
        "g": str(KEYFRAME_SECONDS * spec.fps),
        "threads": str(THREADS),
    }


def encode_mp4(frames: Iterable[np.ndarray], path: str, spec: ClipSpec) -> dict[str, Any]:
    """Encode RGB frames (H x W x 3 uint8) to path; returns encoder facts and timings."""
    import av

    width, height = spec.size
    options = encoder_options(spec)
    compose = encode = 0.0
    count = 0
    with av.open(path, "w", format="mp4", options={"movflags": "+faststart"}) as container:
        container.metadata.clear()
        stream = container.add_stream("libx264", rate=spec.fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = options
        ctx = stream.codec_context
        ctx.colorspace, ctx.color_primaries, ctx.color_trc = 1, 1, 1  # BT.709
        ctx.color_range = 1  # limited (MPEG) range
        it = iter(frames)
        while True:
            t0 = time.perf_counter()
            rgb = next(it, None)
            t1 = time.perf_counter()
            compose += t1 - t0
            if rgb is None:
                break
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(
                format="yuv420p", dst_colorspace="ITU709", dst_color_range="MPEG"
            )
            frame.pts = count
            container.mux(stream.encode(frame))
            count += 1
            encode += time.perf_counter() - t1
        t1 = time.perf_counter()
        container.mux(stream.encode(None))
    encode += time.perf_counter() - t1
    return {
        "codec": "h264",
        "encoder": "libx264",
        "options": options,
        "frames": count,
        "timings": {"compose_s": round(compose, 3), "encode_s": round(encode, 3)},
    }
