"""Checks on a laid-out rendition, stored in its layout report and shown on its card.

Each check is {"ok": bool, "detail": str}. A rendition passes when every check is ok.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studio.engine import placement
from studio.engine.contrast import Box

if TYPE_CHECKING:
    from studio.engine.layers import Layers
    from studio.engine.layout import LayoutResult
    from studio.engine.placement import PlacementRule
    from studio.engine.types import AdCopy, BrandBrief, FormatSpec

PLACED = ("headline", "body", "cta", "disclaimer", "logo", "badge")
LABELS = {
    "text_over_product": "Text over product",
    "outside_safe_area": "Outside the safe area",
    "font_under_minimum": "Type under the minimum",
    "low_contrast": "Contrast under 4.5",
    "product_too_small": "Product too small",
    "product_cut": "Product cut by the edge",
    "missing_element": "Element left out",
    "file_over_budget": "File over the size budget",
}


def intersects(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(a: Box, b: Box) -> bool:
    return a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]


def _check(bad: list[str], what: str) -> dict[str, Any]:
    return {"ok": not bad, "detail": f"{what}: {', '.join(bad)}" if bad else ""}


def run_checks(
    result: LayoutResult,
    fmt: FormatSpec,
    rule: PlacementRule,
    brand: BrandBrief,
    copy: AdCopy,
    layers: Layers,
    zones: set[str] | None = None,
) -> dict[str, dict[str, Any]]:
    boxes = result.boxes
    product = boxes.get("product")
    placed = [name for name in PLACED if name in boxes]
    canvas = (0, 0, fmt.width, fmt.height)
    head_min = placement.min_headline_px(min(fmt.width, fmt.height))
    small = [
        f"{name} {size}px"
        for name, size in result.font_sizes.items()
        if size < placement.MIN_FONT_PX or (name == "headline" and size < head_min)
    ]
    share = 0.0
    if product:
        share = (product[2] - product[0]) * (product[3] - product[1]) / (fmt.width * fmt.height)
    wanted = {
        "headline": copy.headline,
        "cta": copy.cta,
        "disclaimer": brand.disclaimer,
        # A badge is optional where the template has no room for one (small banners).
        "badge": copy.badge if zones is None or "badge" in zones else "",
        "logo": "logo" if layers.logo is not None else "",
        "product": "product" if layers.product is not None else "",
    }
    missing = [name for name, value in wanted.items() if value.strip() and name not in boxes]
    return {
        "text_over_product": _check(
            [n for n in placed if product and intersects(boxes[n], product)], "overlapping"
        ),
        "outside_safe_area": _check(
            [n for n in placed if not inside(boxes[n], result.safe_area)], "outside"
        ),
        "font_under_minimum": _check(small, "too small"),
        "low_contrast": _check(
            [f"{n} {r:.2f}" for n, r in result.contrast.items() if r < placement.MIN_CONTRAST],
            "under 4.5:1",
        ),
        "product_too_small": _check(
            [f"{share:.0%} of the canvas"] if product and share < rule.min_product_share else [],
            f"under {rule.min_product_share:.0%}",
        ),
        "product_cut": _check(
            ["product"] if product and not inside(product, canvas) else [], "cut"
        ),
        "missing_element": _check(missing, "left out"),
    }


def failed(report_checks: dict[str, dict[str, Any]]) -> list[str]:
    return [code for code, check in report_checks.items() if not check.get("ok", True)]
