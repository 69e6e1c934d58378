"""Animated creatives: short MP4s and animated display banners made from the same layers
as the still (layout.py), each element moving on its own. No Django here."""

from studio.engine.motion.readback import read_frames
from studio.engine.motion.render import render_clip
from studio.engine.motion.spec import (
    BANNER_SIZES,
    LENGTHS,
    PLATFORMS,
    VIDEO_SIZES,
    ClipResult,
    ClipSpec,
    video_format,
)
from studio.engine.motion.timeline import BANNER_MOTIONS, MOTIONS, VIDEO_MOTIONS

__all__ = [
    "BANNER_MOTIONS",
    "BANNER_SIZES",
    "LENGTHS",
    "MOTIONS",
    "PLATFORMS",
    "VIDEO_MOTIONS",
    "VIDEO_SIZES",
    "ClipResult",
    "ClipSpec",
    "read_frames",
    "render_clip",
    "video_format",
]
