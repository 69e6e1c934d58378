"""H.264 MP4 encoding with PyAV (libx264 ships in its wheels).

High profile, yuv420p (what every ad platform and browser decodes), BT.709 tagged (HD
video is read as BT.709 when untagged, so converting with BT.601 would shift colours),
the moov atom first (+faststart: a browser starts playing before the whole file is
in), no audio track, quality-targeted (CRF) under a VBV cap from the platform table.
The thread count is fixed: x264's output depends on it, and a same seed must give the
same file on any machine.
"""

from __future__ import annotations

import queue
import threading
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


def encode_mp4(frames: Iterable[Any], path: str, spec: ClipSpec) -> dict[str, Any]:
    """Encode frames to path: RGB arrays (H x W x 3 uint8) or rgb24 av.VideoFrames (see
    rgb_frames); returns encoder facts and timings.

    Frames are composed and converted to yuv420p on a second thread while x264 encodes
    the ones before (PyAV, OpenCV and numpy release the GIL), a few frames ahead."""
    import av

    width, height = spec.size
    options = encoder_options(spec)
    feed = _Feed(frames, lambda rgb: _to_yuv(av, rgb))
    encode = 0.0
    count = 0
    with av.open(path, "w", format="mp4", options={"movflags": "+faststart"}) as container:
        container.metadata.clear()
        stream = container.add_stream("libx264", rate=spec.fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = options
        ctx = stream.codec_context
        ctx.colorspace, ctx.color_primaries, ctx.color_trc = 1, 1, 1  # BT.709
        ctx.color_range = 1  # limited (MPEG) range
        try:
            for frame in feed:
                t0 = time.perf_counter()
                frame.pts = count
                container.mux(stream.encode(frame))
                count += 1
                encode += time.perf_counter() - t0
        finally:
            feed.close()
        t0 = time.perf_counter()
        container.mux(stream.encode(None))
    encode += time.perf_counter() - t0
    return {
        "codec": "h264",
        "encoder": "libx264",
        "options": options,
        "frames": count,
        "timings": {
            "compose_s": round(feed.compose, 3),
            "convert_s": round(feed.convert, 3),
            "encode_s": round(encode, 3),
        },
    }


def rgb_frames(compose, count: int, size: tuple[int, int]):
    """rgb24 video frames, each composed in place by compose(index, array view of the
    frame's own buffer): no copy from a separate array."""
    import av

    width, height = size
    for index in range(count):
        frame = av.VideoFrame(width, height, "rgb24")
        plane = frame.planes[0]
        rows = np.frombuffer(plane, np.uint8).reshape(height, plane.line_size)
        compose(index, rows[:, : width * 3].reshape(height, width, 3))
        yield frame


def _to_yuv(av, rgb):
    if isinstance(rgb, av.VideoFrame):
        return rgb.reformat(format="yuv420p", dst_colorspace="ITU709", dst_color_range="MPEG")
    return av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(
        format="yuv420p", dst_colorspace="ITU709", dst_color_range="MPEG"
    )


class _Feed:
    """Frames made on a worker thread, handed over in order through a short queue."""

    DEPTH = 4

    def __init__(self, frames: Iterable[np.ndarray], convert):
        self.compose = self.convert = 0.0
        self._queue: queue.Queue = queue.Queue(self.DEPTH)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(iter(frames), convert), daemon=True)
        self._thread.start()

    def _run(self, frames, convert) -> None:
        try:
            while not self._stop.is_set():
                t0 = time.perf_counter()
                rgb = next(frames, None)
                t1 = time.perf_counter()
                self.compose += t1 - t0
                if rgb is None:
                    break
                item = convert(rgb)
                self.convert += time.perf_counter() - t1
                self._put(("frame", item))
        except BaseException as error:  # handed to the encoding thread, raised there
            self._put(("error", error))
            return
        self._put(("end", None))

    def _put(self, item) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def __iter__(self):
        while True:
            kind, item = self._queue.get()
            if kind == "end":
                return
            if kind == "error":
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
