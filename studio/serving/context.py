"""Coarse, non-sensitive context kept with a logged decision: a closed list of keys, each
with a closed (or ISO-coded) set of values. Raw features are never stored; an age becomes
a band, interests and locale are dropped."""

from __future__ import annotations

import re
from typing import Any

CONTEXT_KEYS = ("age_band", "device", "country")
AGE_BANDS = (
    (0, 17, "under 18"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 54, "45-54"),
    (55, 64, "55-64"),
    (65, 200, "65+"),
)
DEVICE_BUCKETS = ("mobile", "desktop", "tablet", "ctv")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def age_band(age: int | None) -> str | None:
    if age is None:
        return None
    return next((label for low, high, label in AGE_BANDS if low <= age <= high), None)


def context_buckets(features: dict[str, Any]) -> dict[str, str]:
    """The buckets of one user's features; a key is left out when its value is unknown."""
    buckets = {
        "age_band": age_band(features.get("age")),
        "device": features.get("device") if features.get("device") in DEVICE_BUCKETS else None,
        "country": features.get("country")
        if _COUNTRY.match(features.get("country") or "")
        else None,
    }
    return {key: value for key, value in buckets.items() if value is not None}
