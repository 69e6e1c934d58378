"""Bulk-upload sheets for Google Ads Editor and Meta Ads Manager, written only with what
each platform would accept.

`PLACEMENTS` and `TEXT_LIMITS` are the one table of what each platform takes (the
README prints the same table with its sources). A rendition goes into a sheet only if
its real pixel size and file weight fit one of that sheet's placements, and a variant's
copy only if it fits the sheet's text limits; everything left out is reported with the
reason (`SheetPlan.skipped`, written to skipped.csv and shown on the export page).
Approved copy is never cut to fit: a variant whose headline is too long is left out.

Google Ads Editor ("Import a CSV file", support.google.com/google-ads/editor/answer/57747)
matches English headers ignoring case and spaces. Uploaded image ads exist only in
Google's fixed display sizes (150 KB at most); 1.91:1 and 1:1 images go into one
responsive display ad row per variant (one landscape and one square image are both
required), which also carries the approved copy. Image paths are relative to the
folder the ZIP is unzipped into: unzip, then import from that folder.
Meta Ads Manager ("Import ads in bulk"): the sheet uses the headers of its export;
Call to Action takes Meta's enum values; "Image File Name" matches an image uploaded
to the ad account by name, so every rendition has its own file name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

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
    "google_image_ads": "https://support.google.com/google-ads/answer/7031480",
    "google_rda": "https://developers.google.com/google-ads/api/reference/rpc/latest/ResponsiveDisplayAdInfo",
    "google_editor_csv": "https://support.google.com/google-ads/editor/answer/57747",
    "meta_feed": "https://www.facebook.com/business/ads-guide/image/facebook-feed",
    "meta_stories": "https://www.facebook.com/business/ads-guide/image/instagram-story",
}


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

GOOGLE_ADS_COLUMNS: tuple[str, ...] = (
    "Campaign",
    "Campaign type",
    "Ad group",
    "Ad type",
    "Ad name",
    "Image",
    "Marketing image",
    "Square marketing image",
    "Headline 1",
    "Long headline",
    "Description 1",
    "Business name",
    "Final URL",
)
META_COLUMNS: tuple[str, ...] = (
    "Campaign Name",
    "Ad Set Name",
    "Ad Name",
    "Title",
    "Body",
    "Link",
    "Call to Action",
    "Image File Name",
)
SKIPPED_COLUMNS: tuple[str, ...] = ("sheet", "variant_id", "format", "file", "reason")
# Our CTA texts -> Meta's call-to-action types; anything else falls back to LEARN_MORE.
META_CTA: dict[str, str] = {
    "learn more": "LEARN_MORE",
    "discover more": "LEARN_MORE",
    "see how": "LEARN_MORE",
    "visit us": "LEARN_MORE",
    "explore now": "SEE_MORE",
    "see details": "SEE_MORE",
    "compare now": "LEARN_MORE",
    "shop now": "SHOP_NOW",
    "buy now": "BUY_NOW",
    "get yours": "SHOP_NOW",
    "sign up": "SIGN_UP",
    "get a quote": "GET_QUOTE",
    "join now": "SIGN_UP",
    "install now": "INSTALL_MOBILE_APP",
    "get the app": "INSTALL_MOBILE_APP",
    "download": "DOWNLOAD",
}


@dataclass
class SheetPlan:
    """What one variant adds to each sheet, and what it leaves out and why."""

    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {GOOGLE_SHEET: [], META_SHEET: []}
    )
    skipped: list[dict[str, Any]] = field(default_factory=list)

    def skip(self, sheet: str, item: Mapping[str, Any], reason: str) -> None:
        self.skipped.append(
            {
                "sheet": sheet,
                "variant_id": item["variant_id"],
                "format": item["format"],
                "file": item["file"],
                "reason": reason,
            }
        )


def placement_for(sheet: str, width: int, height: int, size: int) -> tuple[Placement | None, str]:
    """The first placement of `sheet` this image fits, or None and the reason."""
    shaped = [p for p in PLACEMENTS if p.sheet == sheet and p.shape_fits(width, height)]
    if not shaped:
        return None, f"{width}x{height} is not {SHAPES_IN_WORDS[sheet]}"
    problems = []
    for placement in shaped:
        problem = placement.problem(width, height, size)
        if problem is None:
            return placement, ""
        problems.append(problem)
    return None, "; ".join(problems)


def plan_variant(items: Sequence[Mapping[str, Any]], *, business_name: str) -> SheetPlan:
    """Sheet rows for one variant's renditions (manifest rows: file, width, height,
    bytes, copy, campaign, segment, landing_url, variant_id, format)."""
    plan = SheetPlan()
    _plan_google(plan, items, business_name)
    _plan_meta(plan, items)
    return plan


def _plan_google(plan: SheetPlan, items, business_name: str) -> None:
    rda: dict[str, list[Mapping[str, Any]]] = {"rda_landscape": [], "rda_square": []}
    for item in items:
        placement, reason = placement_for(
            GOOGLE_SHEET, item["width"], item["height"], item["bytes"]
        )
        if placement is None:
            plan.skip(GOOGLE_SHEET, item, reason)
        elif placement.key == "image_ad":
            plan.rows[GOOGLE_SHEET].append(_google_row(item, "Image ad", Image=item["file"]))
        else:
            rda[placement.key].append(item)
    candidates = rda["rda_landscape"] + rda["rda_square"]
    if not candidates:
        return
    reason = _google_copy_problem(candidates[0], business_name)
    if reason is None and not (rda["rda_landscape"] and rda["rda_square"]):
        missing = "1:1 (square)" if rda["rda_landscape"] else "1.91:1 (landscape)"
        reason = (
            "a responsive display ad needs both a 1.91:1 and a 1:1 image; "
            f"this variant has no {missing} rendition in the export"
        )
    if reason is not None:
        for item in candidates:
            plan.skip(GOOGLE_SHEET, item, reason)
        return
    first = candidates[0]
    plan.rows[GOOGLE_SHEET].append(
        _google_row(
            first,
            "Responsive display ad",
            **{
                "Ad name": ad_name(first, "responsive"),
                "Marketing image": ";".join(i["file"] for i in rda["rda_landscape"]),
                "Square marketing image": ";".join(i["file"] for i in rda["rda_square"]),
                "Headline 1": first["headline"],
                "Long headline": first["headline"],
                "Description 1": first["body"],
                "Business name": business_name,
            },
        )
    )


def _google_copy_problem(item: Mapping[str, Any], business_name: str) -> str | None:
    limits = TEXT_LIMITS[GOOGLE_SHEET]
    fields = (
        ("headline", item["headline"], limits["headline"]),
        ("description (body)", item["body"], limits["description"]),
        ("business name (brand)", business_name, limits["business_name"]),
    )
    for name, text, limit in fields:
        if len(text) > limit:
            return (
                f"{name} is {len(text)} characters; Google responsive display ads take "
                f"at most {limit}"
            )
    if not item["landing_url"]:
        return "the campaign has no landing URL (Final URL is required)"
    return None


def _plan_meta(plan: SheetPlan, items) -> None:
    limit = TEXT_LIMITS[META_SHEET]["headline"]
    for item in items:
        placement, reason = placement_for(META_SHEET, item["width"], item["height"], item["bytes"])
        if placement is not None and len(item["headline"]) > limit:
            placement = None
            reason = f"headline is {len(item['headline'])} characters; Meta takes at most {limit}"
        if placement is None:
            plan.skip(META_SHEET, item, reason)
        else:
            plan.rows[META_SHEET].append(meta_row(item))


def ad_name(row: Mapping[str, Any], kind: str | None = None) -> str:
    return f"{row['segment']} - {kind or row['format']} - v{row['variant_id']}"


def _google_row(row: Mapping[str, Any], ad_type: str, **cells: str) -> dict[str, str]:
    out = dict.fromkeys(GOOGLE_ADS_COLUMNS, "")
    out.update(
        {
            "Campaign": row["campaign"],
            "Campaign type": "Display",
            "Ad group": row["segment"],
            "Ad type": ad_type,
            "Ad name": ad_name(row),
            "Final URL": row["landing_url"],
        }
    )
    out.update(cells)
    return out


def meta_row(row: Mapping[str, Any]) -> dict[str, str]:
    return {
        "Campaign Name": row["campaign"],
        "Ad Set Name": row["segment"],
        "Ad Name": ad_name(row),
        "Title": row["headline"],
        "Body": row["body"],
        "Link": row["landing_url"],
        "Call to Action": META_CTA.get(row["cta"].strip().lower(), "LEARN_MORE"),
        "Image File Name": row["file"].rsplit("/", 1)[-1],
    }


def _weight(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{size / KB:.0f} KB"
