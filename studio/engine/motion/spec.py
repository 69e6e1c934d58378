"""What a clip is asked to be (ClipSpec), what came out (ClipResult), and the limits both
are checked against: video sizes and lengths, display-banner sizes, weight and loops, and
the bitrate cap per ad platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studio.engine.types import EngineError, FormatSpec

if TYPE_CHECKING:
    from PIL import Image

VIDEO_SIZES = {"9x16": (1080, 1920), "1x1": (1080, 1080), "4x5": (1080, 1350)}
BANNER_SIZES = {(300, 250), (728, 90), (160, 600)}
LENGTHS = (6, 15)
VIDEO_KINDS = ("mp4",)
BANNER_KINDS = ("gif", "webp")
VIDEO_FPS = (24, 25, 30)
# IAB display guidelines and Google Ads' uploaded animated ads: at most 150 KB, an
# animation of at most 15 s, looping at most 3 times (3 plays in all).
BANNER_MAX_BYTES = 150_000
BANNER_MAX_SECONDS = 15
BANNER_MAX_LOOPS = 3
BANNER_MAX_FPS = 15
BANNER_FPS = 10  # GIF delays are in 10 ms steps: 10 fps is exact


@dataclass(frozen=True)
class PlatformVideo:
    """One platform's upload limit and the video bitrate cap we encode to for it."""

    name: str
    max_file_bytes: int
    max_kbps: int  # VBV cap (x264 maxrate); the buffer is 2 s of it
    note: str
    fps: int = 30  # the default frame rate for it


# Caps sit well under each platform's upload limit: a 15 s clip at the cap weighs
# max_kbps * 15 / 8 kB (at most ~15 MB), and the platforms re-encode on upload anyway, so
# more bits buy nothing. 8 Mbps is YouTube's recommended upload rate for 1080p at 30 fps.
PLATFORMS: dict[str, PlatformVideo] = {
    p.name: p
    for p in (
        PlatformVideo("meta", 4 * 1024**3, 8000,
                      "Facebook/Instagram feed, Stories, Reels: H.264, up to 4 GB"),
        PlatformVideo("tiktok", 500 * 1024**2, 8000,
                      "TikTok ads: up to 500 MB, bitrate at least 516 kbps"),
        PlatformVideo("google", 256 * 1024**3, 8000,
                      "Google Ads video = YouTube upload: 8 Mbps recommended for 1080p30"),
        PlatformVideo("linkedin", 200 * 1024**2, 5000,
                      "LinkedIn video ads: 75 KB to 200 MB (500 MB on newer pages), "
                      "frame rate under 30 fps", fps=25),
        PlatformVideo("snapchat", 1024**3, 8000, "Snap ads: up to 1 GB, H.264"),
        PlatformVideo("x", 1024**3, 6000, "X (Twitter) video ads: up to 1 GB"),
    )
}  # fmt: skip
DEFAULT_PLATFORM = "meta"


def video_format(key: str) -> FormatSpec:
    """The FormatSpec of a video size key ("9x16", "1x1", "4x5")."""
    if key not in VIDEO_SIZES:
        raise EngineError(f"Unknown video format {key!r}: one of {', '.join(VIDEO_SIZES)}.")
    width, height = VIDEO_SIZES[key]
    return FormatSpec(f"video-{key}", width, height)


@dataclass(frozen=True)
class ClipSpec:
    fmt: FormatSpec
    seconds: int  # 6 or 15 for video; at most 15 for a banner
    kind: str = "mp4"  # mp4 | gif | webp
    # 0 = the default: the platform's for video (30; 25 for LinkedIn), 10 for banners. A
    # banner's rate is a start value, lowered when that is what it takes to fit 150 KB.
    fps: int = 0
    loops: int = 3  # banners only: plays in all (1 = play once)
    platform: str = DEFAULT_PLATFORM  # video only: the bitrate cap (PLATFORMS)

    def __post_init__(self) -> None:
        if not self.fps:
            platform = PLATFORMS.get(self.platform)
            video = platform.fps if platform else VIDEO_FPS[-1]
            object.__setattr__(self, "fps", BANNER_FPS if self.kind in BANNER_KINDS else video)
        problem = self.problem()
        if problem:
            raise EngineError(problem)

    @property
    def size(self) -> tuple[int, int]:
        return (self.fmt.width, self.fmt.height)

    @property
    def is_banner(self) -> bool:
        return self.kind in BANNER_KINDS

    def problem(self) -> str:
        """Why this spec cannot be rendered, in words a user can act on; empty if it can."""
        size = f"{self.fmt.width}x{self.fmt.height}"
        if self.kind in VIDEO_KINDS:
            sizes = ", ".join(f"{w}x{h} ({k})" for k, (w, h) in VIDEO_SIZES.items())
            if self.size not in VIDEO_SIZES.values():
                return f"Unknown video format {size}: videos are {sizes}."
            if self.seconds not in LENGTHS:
                return f"Unknown video length {self.seconds} s: videos last 6 or 15 s."
            if self.fps not in VIDEO_FPS:
                return f"Unsupported frame rate {self.fps}: videos run at 24, 25 or 30 fps."
            if self.platform not in PLATFORMS:
                return f"Unknown platform {self.platform!r}: one of {', '.join(PLATFORMS)}."
            return ""
        if self.kind in BANNER_KINDS:
            if self.size not in BANNER_SIZES:
                sizes = ", ".join(f"{w}x{h}" for w, h in sorted(BANNER_SIZES))
                return f"Unknown banner format {size}: animated banners are {sizes}."
            if not 1 <= self.seconds <= BANNER_MAX_SECONDS:
                return f"Banner length {self.seconds} s: it must be 1 to 15 s."
            if not 1 <= self.loops <= BANNER_MAX_LOOPS:
                return f"Banner plays {self.loops}: a banner plays 1 to 3 times."
            if not 1 <= self.fps <= BANNER_MAX_FPS:
                return f"Banner frame rate {self.fps}: at most 15 fps (150 KB budget)."
            return ""
        return f"Unknown clip kind {self.kind!r}: mp4, gif or webp."


@dataclass
class ClipResult:
    path: str
    poster: Image.Image  # RGB, the clip's size: every element revealed, before the end card
    kind: str
    width: int
    height: int
    fps: int
    frames: int
    seconds: float
    bytes: int
    codec: str  # h264 | gif | webp
    report: dict[str, Any] = field(default_factory=dict)
