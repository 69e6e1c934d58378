"""Bulk-upload sheets for Google Ads Editor and Meta Ads Manager, one row per image.

Google Ads Editor: "Import a CSV file" (support.google.com/google-ads/editor/answer/57747)
matches English headers ignoring case and spaces; we write uploaded display image ads
("Ad type" = "Image ad") with the image's path inside the ZIP.
Meta Ads Manager: the "Import ads in bulk" sheet uses the same headers as its export
("Campaign Name", "Ad Set Name", "Ad Name", "Title", "Body", "Link",
"Call to Action", "Image File Name"); Call to Action takes Meta's enum values.
Campaign and ad group / ad set names are the studio's, so an import creates new entities
the user can rename. Nothing beyond these columns is written, so an import has no
unknown column to warn about; everything else about an image is in manifest.csv.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

GOOGLE_ADS_COLUMNS: tuple[str, ...] = (
    "Campaign",
    "Ad group",
    "Ad type",
    "Ad name",
    "Image",
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


def ad_name(row: Mapping[str, Any]) -> str:
    return f"{row['segment']} - {row['format']} - v{row['variant_id']}"


def google_ads_row(row: Mapping[str, Any]) -> dict[str, str]:
    return {
        "Campaign": row["campaign"],
        "Ad group": row["segment"],
        "Ad type": "Image ad",
        "Ad name": ad_name(row),
        "Image": row["file"],
        "Final URL": row["landing_url"],
    }


def meta_row(row: Mapping[str, Any]) -> dict[str, str]:
    return {
        "Campaign Name": row["campaign"],
        "Ad Set Name": row["segment"],
        "Ad Name": ad_name(row),
        "Title": row["headline"],
        "Body": row["body"],
        "Link": row["landing_url"],
        "Call to Action": META_CTA.get(row["cta"].strip().lower(), "LEARN_MORE"),
        "Image File Name": row["file"],
    }
