"""Frames composed cheaply with numpy and OpenCV.

Each sprite is converted once to premultiplied colour and inverse alpha (uint8, 3
channels), so drawing it is one multiply and one add on its box (OpenCV's saturating
uint8 arithmetic), with no float image per frame. The background move is one crop of a
pre-enlarged copy (pan) or one resize of a centred crop (zoom) per frame. Only sprites in an
entrance or exit are scaled or faded; resting ones are drawn from their cached arrays.
OpenCV is imported where used: the studio imports this package for ClipSpec alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.engine.contrast import Box
from studio.engine.motion.timeline import Motion, State, Track, placed_box, state_at


@dataclass
class Prepared:
    pm: np.ndarray  # premultiplied RGB
    inv: np.ndarray  # 255 - alpha, on 3 channels
    box: Box


def prepare(image) -> tuple[np.ndarray, np.ndarray]:
    import cv2

    rgba = np.asarray(image.convert("RGBA"))
    alpha = rgba[..., 3:4]
    pm = cv2.multiply(rgba[..., :3], np.repeat(alpha, 3, axis=2), scale=1 / 255)
    inv = np.repeat(255 - alpha, 3, axis=2)
    return np.ascontiguousarray(pm), np.ascontiguousarray(inv)


class Compositor:
    def __init__(self, scene, motion: Motion, tracks: dict[str, Track], seconds: float):
        import cv2

        self.scene, self.motion, self.tracks, self.seconds = scene, motion, tracks, seconds
        self.bg = np.ascontiguousarray(np.asarray(scene.background.convert("RGB")))
        self.h, self.w = self.bg.shape[:2]
        self.sprites = {
            name: Prepared(*prepare(s.image), s.box) for name, s in scene.sprites.items()
        }
        self._big = None
        self._last: tuple | None = None  # (key, frame) of the last frame composed
        if motion.background == "pan":
            # Enlarged once; each frame is then a crop (a pan costs one copy).
            k = 1 + motion.amount
            size = (round(self.w * k) + 1, round(self.h * k) + 1)
            self._big = cv2.resize(self.bg, size, interpolation=cv2.INTER_AREA)

    def background_key(self, t: float) -> int:
        """Where the background is at t, in whole pixels: the pan's offset, or the zoom's
        crop inset (0 when it does not move)."""
        u = min(1.0, max(0.0, t / self.seconds))
        if self.motion.background == "pan":
            return round(u * (self._big.shape[1] - self.w))
        if self.motion.background == "zoom":
            k = 1 + self.motion.amount * u
            return round(self.w * (1 - 1 / k) / 2)
        return 0

    def background_at(self, t: float, out: np.ndarray | None = None) -> np.ndarray:
        """The moved background at t, written into out (a new array when None)."""
        import cv2

        if out is None:
            out = np.empty_like(self.bg)
        at = self.background_key(t)
        if self.motion.background == "pan":
            y = round((self._big.shape[0] - self.h) / 2)
            np.copyto(out, self._big[y : y + self.h, at : at + self.w])
        elif self.motion.background == "zoom":
            # Zoom in slowly about the centre: a centred crop, shrinking by whole pixels on
            # each side, resized to the canvas (one resize; an affine warp costs ~4x).
            cw = self.w - 2 * at
            top = round((self.h - self.h * cw / self.w) / 2)
            crop = self.bg[top : self.h - top, at : self.w - at]
            cv2.resize(crop, (self.w, self.h), dst=out, interpolation=cv2.INTER_LINEAR)
        else:
            np.copyto(out, self.bg)
        return out

    def frame(self, t: float, out: np.ndarray | None = None) -> np.ndarray:
        """The frame at t, composed into out (e.g. a video frame's own buffer) or anew.

        The background moves in whole-pixel steps and sprites rest most of the clip, so
        many frames equal the one before: those are copied, not composed again."""
        states = {name: state_at(self.tracks[name], t) for name in self.sprites}
        key = (self.background_key(t), tuple(states.values()))
        if self._last is not None and key == self._last[0]:
            if out is None:
                return self._last[1].copy()
            np.copyto(out, self._last[1])
            return out
        out = self.background_at(t, out)
        for name, sprite in self.sprites.items():
            if states[name].alpha > 0:
                self.draw(out, sprite, states[name])
        self._last = (key, out)
        return out

    def draw(self, out: np.ndarray, sprite: Prepared, s: State) -> None:
        import cv2

        pm, inv = sprite.pm, sprite.inv
        box = placed_box(sprite.box, s)
        if s.scale != 1.0:
            size = (box[2] - box[0], box[3] - box[1])
            pm = cv2.resize(pm, size, interpolation=cv2.INTER_LINEAR)
            inv = cv2.resize(inv, size, interpolation=cv2.INTER_LINEAR)
        if s.alpha < 1.0:
            pm = cv2.convertScaleAbs(pm, alpha=s.alpha)
            inv = 255 - cv2.convertScaleAbs(255 - inv, alpha=s.alpha)
        blend(out, pm, inv, box[0], box[1])


def blend(out: np.ndarray, pm: np.ndarray, inv: np.ndarray, x: int, y: int) -> None:
    """out = pm + out * inv / 255 over the sprite's box, clipped to the canvas."""
    import cv2

    h, w = pm.shape[:2]
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(out.shape[1], x + w), min(out.shape[0], y + h)
    if x1 <= x0 or y1 <= y0:
        return
    region = out[y0:y1, x0:x1]
    sx, sy = x0 - x, y0 - y
    keep = cv2.multiply(region, inv[sy : sy + y1 - y0, sx : sx + x1 - x0], scale=1 / 255)
    region[:] = cv2.add(keep, pm[sy : sy + y1 - y0, sx : sx + x1 - x0])
