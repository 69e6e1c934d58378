"""What Google Ads and Meta take, in one table: the placements an image can go to
(exact sizes or ratio, minimum size, file weight) and the copy limits of each sheet,
with the documentation each number comes from. The README prints the same table.
`ad_sheets` writes the sheets from it.
"""

from __future__ import annotations

from dataclasses import dataclass

KB = 1024
MB = 1024 * KB
GOOGLE_SHEET = "google_ads.csv"
META_SHEET = "meta_ads.csv"

# Google's uploaded display ad sizes (square/rectangle, skyscraper, leaderboard, mobile).
GOOGLE_IMAGE_AD_SIZES: tuple[tuple[int, int], ...] = (
    (200, 200), (240, 400), (250, 250), (250, 360), (300, 250), (336, 280), (580, 400),
    (120, 600), (160, 600), (300, 600), (300, 1050),
    (468, 60), (728, 90), (930, 180), (970, 90), (970, 250), (980, 120),
    (300, 50), (320, 50), (320, 100),
)  # fmt: skip

SOURCES = {
    "google_image_ads": "https://support.google.com/google-ads/answer/1722096",
    "google_rda": "https://developers.google.com/google-ads/api/reference/rpc/latest/ResponsiveDisplayAdInfo",
    "google_editor_csv": "https://support.google.com/google-ads/editor/answer/57747",
    "meta_feed": "https://www.facebook.com/business/ads-guide/image/facebook-feed",
    "meta_stories": "https://www.facebook.com/business/ads-guide/image/instagram-story",
    "meta_video_feed": "https://www.facebook.com/business/ads-guide/video/facebook-feed",
    "meta_video_reels": "https://www.facebook.com/business/ads-guide/video/instagram-reels",
    "google_video": "https://support.google.com/google-ads/answer/2375497",
    "google_animated": "https://support.google.com/adspolicy/answer/176108",
}
GB = 1024 * MB
# Google's uploaded animated image ads: at most 30 s in all and 5 frames per second.
GOOGLE_ANIMATION_MAX_SECONDS = 30
GOOGLE_ANIMATION_MAX_FPS = 5


@dataclass(frozen=True)
class Placement:
    """One kind of ad a platform takes an image for, and what the image must be."""

    sheet: str
    key: str
    label: str
    max_bytes: int
    source: str
    sizes: tuple[tuple[int, int], ...] = ()  # exact pixel sizes, or () for a ratio rule
    ratio: tuple[float, float] = (0.0, 0.0)  # width / height, lowest and highest
    tolerance: float = 0.0  # relative, around the ratio bounds
    min_size: tuple[int, int] = (0, 0)
    media: str = "image"  # "video": an MP4 placement (clips), never offered to stills

    def shape_fits(self, width: int, height: int) -> bool:
        if self.sizes:
            return (width, height) in self.sizes
        ratio = width / height
        low, high = self.ratio
        return low * (1 - self.tolerance) <= ratio <= high * (1 + self.tolerance)

    def problem(self, width: int, height: int, size: int) -> str | None:
        """Why an image of this shape cannot go here (None: it can)."""
        min_width, min_height = self.min_size
        if width < min_width or height < min_height:
            minimum = f"{min_width}x{min_height}" if min_height else f"{min_width} px wide"
            return f"{width}x{height} is below the {minimum} minimum for {self.label}"
        if size > self.max_bytes:
            return f"{_weight(size)} is over the {_weight(self.max_bytes)} limit for {self.label}"
        return None


PLACEMENTS: tuple[Placement, ...] = (
    Placement(
        GOOGLE_SHEET,
        "image_ad",
        "a Google uploaded image ad",
        max_bytes=150 * KB,
        source=SOURCES["google_image_ads"],
        sizes=GOOGLE_IMAGE_AD_SIZES,
    ),
    Placement(
        GOOGLE_SHEET,
        "rda_landscape",
        "a Google responsive display ad (landscape image)",
        max_bytes=5120 * KB,
        source=SOURCES["google_rda"],
        ratio=(1.91, 1.91),
        tolerance=0.01,
        min_size=(600, 314),
    ),
    Placement(
        GOOGLE_SHEET,
        "rda_square",
        "a Google responsive display ad (square image)",
        max_bytes=5120 * KB,
        source=SOURCES["google_rda"],
        ratio=(1.0, 1.0),
        tolerance=0.01,
        min_size=(300, 300),
    ),
    Placement(
        META_SHEET,
        "feed",
        "a Meta feed image ad",
        max_bytes=30 * MB,
        source=SOURCES["meta_feed"],
        ratio=(4 / 5, 1.91),
        tolerance=0.03,
        min_size=(600, 0),
    ),
    Placement(
        META_SHEET,
        "story",
        "a Meta Stories/Reels image ad",
        max_bytes=30 * MB,
        source=SOURCES["meta_stories"],
        ratio=(9 / 16, 9 / 16),
        tolerance=0.01,
        min_size=(500, 0),
    ),
    Placement(
        META_SHEET,
        "video_feed",
        "a Meta feed video ad",
        max_bytes=4 * GB,
        source=SOURCES["meta_video_feed"],
        ratio=(4 / 5, 16 / 9),
        tolerance=0.03,
        min_size=(120, 120),
        media="video",
    ),
    Placement(
        META_SHEET,
        "video_reels",
        "a Meta Stories/Reels video ad",
        max_bytes=4 * GB,
        source=SOURCES["meta_video_reels"],
        ratio=(9 / 16, 9 / 16),
        tolerance=0.01,
        min_size=(500, 0),
        media="video",
    ),
)
# Characters; copy over a limit keeps the variant out of that sheet (never cut).
TEXT_LIMITS: dict[str, dict[str, int]] = {
    GOOGLE_SHEET: {"headline": 30, "long_headline": 90, "description": 90, "business_name": 25},
    META_SHEET: {"headline": 40},
}
SHAPES_IN_WORDS = {
    GOOGLE_SHEET: "an uploaded image ad size (300x250, 728x90, 160x600, 300x600, 320x50, ...) "
    "or a responsive display ad ratio (1.91:1 or 1:1)",
    META_SHEET: "a Meta feed ratio (1.91:1 to 4:5) or Stories (9:16)",
}


def placement_for(
    sheet: str, width: int, height: int, size: int, media: str = "image"
) -> tuple[Placement | None, str]:
    """The first placement of `sheet` this image (or, with media="video", this MP4)
    fits, or None and the reason."""
    shaped = [
        p
        for p in PLACEMENTS
        if p.sheet == sheet and p.media == media and p.shape_fits(width, height)
    ]
    if not shaped:
        words = VIDEO_SHAPES_IN_WORDS if media == "video" else SHAPES_IN_WORDS[sheet]
        return None, f"{width}x{height} is not {words}"
    problems = []
    for placement in shaped:
        problem = placement.problem(width, height, size)
        if problem is None:
            return placement, ""
        problems.append(problem)
    return None, "; ".join(problems)


VIDEO_SHAPES_IN_WORDS = "a Meta video ratio (4:5 to 16:9 in feeds, 9:16 in Stories/Reels)"


def _weight(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{size / KB:.0f} KB"
