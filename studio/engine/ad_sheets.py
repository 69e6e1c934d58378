"""Bulk-upload sheets for Google Ads Editor and Meta Ads Manager, written only with what
each platform would accept (`ad_platforms.PLACEMENTS` and `TEXT_LIMITS`).

A rendition goes into a sheet only if its real pixel size and file weight fit one of
that sheet's placements, and a variant's copy only if it fits the sheet's text limits;
everything left out is reported with the reason (`SheetPlan.skipped`, written to
skipped.csv and shown on the export page). Approved copy is never cut to fit.

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

from studio.engine.ad_platforms import (
    GOOGLE_ANIMATION_MAX_FPS,
    GOOGLE_ANIMATION_MAX_SECONDS,
    GOOGLE_SHEET,
    META_SHEET,
    TEXT_LIMITS,
    placement_for,
)

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
    "Video File Name",
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
    for item in items:
        _plan_meta_item(plan, item)


def _plan_meta_item(plan: SheetPlan, item: Mapping[str, Any], media: str = "image") -> None:
    """One image (or, with media="video", one MP4) into Meta's sheet, or skipped with why."""
    limit = TEXT_LIMITS[META_SHEET]["headline"]
    placement, reason = placement_for(
        META_SHEET, item["width"], item["height"], item["bytes"], media=media
    )
    if placement is not None and len(item["headline"]) > limit:
        placement = None
        reason = f"headline is {len(item['headline'])} characters; Meta takes at most {limit}"
    if placement is None:
        plan.skip(META_SHEET, item, reason)
    else:
        plan.rows[META_SHEET].append(meta_row(item, video=media == "video"))


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


def plan_clips(items: Sequence[Mapping[str, Any]]) -> SheetPlan:
    """Sheet rows for clips (manifest rows plus kind, seconds, fps): Meta takes the MP4s
    as video ads, Google the animated GIF banners as uploaded image ads; Google's video
    ads play from YouTube, so an MP4 is listed as left out of its sheet, with why."""
    plan = SheetPlan()
    for item in items:
        if item["kind"] == "mp4":
            plan.skip(GOOGLE_SHEET, item, GOOGLE_VIDEO_REASON)
            _plan_meta_item(plan, item, media="video")
        elif item["kind"] == "gif":
            _plan_google_animation(plan, item)
            plan.skip(META_SHEET, item, "Meta takes video as MP4 or MOV, not animated GIF")
        else:
            reason = "Google uploaded image ads take GIF, JPG or PNG, and Meta video MP4 or MOV"
            plan.skip(GOOGLE_SHEET, item, reason)
            plan.skip(META_SHEET, item, reason)
    return plan


GOOGLE_VIDEO_REASON = (
    "Google Ads video ads play from YouTube: upload the MP4 to YouTube, then use its "
    "video in Google Ads"
)


def _plan_google_animation(plan: SheetPlan, item: Mapping[str, Any]) -> None:
    placement, reason = placement_for(GOOGLE_SHEET, item["width"], item["height"], item["bytes"])
    if placement is not None and placement.key != "image_ad":
        placement, reason = None, "animated images go only into Google's uploaded image ads"
    if placement is not None and float(item.get("fps") or 0) > GOOGLE_ANIMATION_MAX_FPS:
        placement = None
        reason = f"{item['fps']} fps; Google animated image ads take at most 5 fps"
    played = float(item["seconds"]) * int(item.get("loops") or 1)
    if placement is not None and played > GOOGLE_ANIMATION_MAX_SECONDS:
        placement, reason = None, f"plays {played:g} s in all; Google animated ads stop by 30 s"
    if placement is None:
        plan.skip(GOOGLE_SHEET, item, reason)
    else:
        name = ad_name(item, f"{item['format']} {item['seconds']}s animated")
        plan.rows[GOOGLE_SHEET].append(
            _google_row(item, "Image ad", Image=item["file"], **{"Ad name": name})
        )


def meta_row(row: Mapping[str, Any], *, video: bool = False) -> dict[str, str]:
    name = row["file"].rsplit("/", 1)[-1]
    return {
        "Campaign Name": row["campaign"],
        "Ad Set Name": row["segment"],
        "Ad Name": ad_name(row, f"{row['format']} {row['seconds']}s video")
        if video
        else ad_name(row),
        "Title": row["headline"],
        "Body": row["body"],
        "Link": row["landing_url"],
        "Call to Action": META_CTA.get(row["cta"].strip().lower(), "LEARN_MORE"),
        "Image File Name": "" if video else name,
        "Video File Name": name if video else "",
    }
