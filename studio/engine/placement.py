"""Placement rules per aspect family: safe areas, minimum type, product share, file budgets.

One table, quoted in the README with the same sources. Layout reads it to build the
safe area and the minimum sizes; checks read it to flag a rendition that breaks it.
"""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[int, int, int, int]

# Nothing under this many pixels in any format (WCAG has no pixel floor; 11 px is the
# smallest size the IAB display guidelines and most ad-network reviews accept as legible).
MIN_FONT_PX = 11
# Headline at least 40 px on a 1080-wide canvas (Meta's feed and Stories design guides
# show headlines at ~40-60 px on 1080 px), scaled with the canvas width, never under 11.
HEADLINE_PX_AT_1080 = 40
MIN_CONTRAST = 4.5  # WCAG 2.x AA for normal text


@dataclass(frozen=True)
class PlacementRule:
    family: str
    # Fractions of the canvas kept free of text, logo and CTA: top, bottom, left, right.
    reserved: tuple[float, float, float, float]
    # Margin inside the safe area, in px on a 1080-wide canvas (scaled), at least min_margin.
    margin_at_1080: int
    min_margin: int
    # The product box must cover at least this share of the canvas.
    min_product_share: float
    # Upload weight limit in bytes where the platform sets one; None where it does not.
    file_budget: int | None
    source: str


RULES: dict[str, PlacementRule] = {
    rule.family: rule
    for rule in (
        PlacementRule("square", (0, 0, 0, 0), 64, 8, 0.10, None,
                      "Meta feed 1:1, 1080x1080; margins as for 4:5"),
        PlacementRule("portrait", (0, 0, 0, 0), 64, 8, 0.12, None,
                      "Meta feed 4:5, 1080x1350: keep 64 px margins"),
        PlacementRule("story", (0.14, 0.20, 0, 0), 64, 8, 0.10, None,
                      "Meta Stories 1080x1920: top 14 % (~250 px) and bottom 20 % (~340 px) "
                      "free of text, logo and CTA"),
        PlacementRule("reels", (0.14, 0.35, 0.06, 0.06), 48, 8, 0.08, None,
                      "Meta/Instagram Reels 9:16: bottom 35 % and 6 % at each side free"),
        PlacementRule("landscape", (0, 0, 0, 0), 48, 8, 0.12, None,
                      "Meta link ad / Google responsive display 1.91:1, 1200x628"),
        PlacementRule("leaderboard", (0, 0, 0, 0), 40, 4, 0.06, 150_000,
                      "IAB 728x90; Google Ads uploaded image ads: 150 KB"),
        PlacementRule("mobile_banner", (0, 0, 0, 0), 30, 3, 0.06, 150_000,
                      "IAB 320x50; Google Ads uploaded image ads: 150 KB"),
        PlacementRule("mrec", (0, 0, 0, 0), 60, 6, 0.10, 150_000,
                      "IAB 300x250; Google Ads uploaded image ads: 150 KB"),
        PlacementRule("half_page", (0, 0, 0, 0), 60, 6, 0.10, 150_000,
                      "IAB 300x600; Google Ads uploaded image ads: 150 KB"),
        PlacementRule("skyscraper", (0, 0, 0, 0), 50, 5, 0.08, 150_000,
                      "IAB 160x600; Google Ads uploaded image ads: 150 KB"),
    )
}  # fmt: skip

SOURCES = {
    "Meta Stories / Reels safe zones": "https://www.facebook.com/business/help/980593475366490",
    "Meta image ad specs (feed 1:1, 4:5, 1.91:1)": "https://www.facebook.com/business/ads-guide",
    "Google Ads uploaded image ad sizes and 150 KB": "https://support.google.com/google-ads/answer/7031480",
    "IAB New Standard Ad Unit Portfolio": "https://www.iab.com/guidelines/iab-new-ad-portfolio/",
    "WCAG 2.2 contrast (minimum) 1.4.3": "https://www.w3.org/TR/WCAG22/#contrast-minimum",
}


def family_of(width: int, height: int, slug: str = "") -> str:
    """The aspect family of a canvas: exact IAB sizes first, then by ratio and size."""
    if "reel" in slug and "story" not in slug:
        return "reels"
    ratio = width / height
    if ratio >= 4:
        return "mobile_banner" if height <= 60 else "leaderboard"
    if ratio >= 1.5:
        return "landscape"
    if ratio < 0.4:
        return "skyscraper"
    small = width < 600
    if ratio < 0.62:
        return "half_page" if small else "story"
    if ratio < 0.9:
        return "half_page" if small else "portrait"
    return "mrec" if small else "square"


def scale(width: int, px_at_1080: float) -> float:
    return px_at_1080 * width / 1080


def min_headline_px(width: int) -> int:
    return max(MIN_FONT_PX, round(scale(width, HEADLINE_PX_AT_1080)))


def safe_area(width: int, height: int, rule: PlacementRule) -> Box:
    top, bottom, left, right = rule.reserved
    return (round(left * width), round(top * height), width - round(right * width),
            height - round(bottom * height))  # fmt: skip


def margin(width: int, height: int, rule: PlacementRule) -> int:
    short = min(width, height)
    # Small banners: margins follow the short side, or a 90 px banner would lose half.
    by_width = scale(width, rule.margin_at_1080) if short >= 400 else 0.06 * short
    return max(rule.min_margin, round(by_width))


def content_box(width: int, height: int, rule: PlacementRule) -> Box:
    """The safe area inset by the margin: where text, logo, CTA and badge may go."""
    x0, y0, x1, y1 = safe_area(width, height, rule)
    m = margin(width, height, rule)
    return (x0 + m, y0 + m, x1 - m, y1 - m)
