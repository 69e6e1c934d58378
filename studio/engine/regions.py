"""Where each element of an ad goes, per layout family.

Regions are boxes (x0, y0, x1, y1) in pixels. Three families cover the usual formats:
"stacked" for square and tall, "side" for wide (copy in a left column), "banner" for
leaderboards (logo, copy and button in one row).
"""

from __future__ import annotations

from studio.engine.contrast import Box
from studio.engine.types import FormatSpec


def layout_kind(width: int, height: int) -> str:
    ratio = width / height
    return "banner" if ratio >= 3.5 else "side" if ratio >= 1.5 else "stacked"


def _split(box: Box, fractions: dict[str, tuple[float, float]], axis: int) -> dict[str, Box]:
    """Named slices of box along an axis (0 = x, 1 = y), given as fractions of its length."""
    start, length = box[axis], box[axis + 2] - box[axis]
    out = {}
    for name, (a, b) in fractions.items():
        cut = [*box]
        cut[axis], cut[axis + 2] = start + round(a * length), start + round(b * length)
        out[name] = tuple(cut)
    return out


def _stacked(w, h, logo, disclaimer) -> dict[str, Box]:
    m = max(4, round(0.06 * min(w, h)))
    top, bottom, plan = m, h - m, {}
    if disclaimer:
        strip = min(110, max(24, round(0.07 * h)))
        plan["disclaimer"] = (m, bottom - strip, w - m, bottom)
        bottom -= strip + m // 2
    if logo:
        side = max(16, round(0.13 * min(w, h)))
        plan["logo"] = (m, m, m + side, m + side)
        top += side + m // 2
    shares = {"headline": (0, 0.34), "body": (0.5, 0.8), "cta": (0.84, 1.0)}
    return plan | _split((m, top, w - m, bottom), shares, axis=1)


def _side(w, h, logo, disclaimer) -> dict[str, Box]:
    m = max(4, round(0.06 * h))
    top, bottom, plan = m, h - m, {}
    if disclaimer:
        strip = min(80, max(14, round(0.07 * h)))
        plan["disclaimer"] = (m, bottom - strip, w - m, bottom)
        bottom -= strip + m // 2
    if logo:
        side = max(16, round(0.14 * h))
        plan["logo"] = (m, m, m + side, m + side)
        top += side + m // 2
    shares = {"headline": (0, 0.4), "body": (0.45, 0.75), "cta": (0.8, 1.0)}
    return plan | _split((m, top, round(0.55 * w), bottom), shares, axis=1)


def _banner(w, h, logo, disclaimer) -> dict[str, Box]:
    m = max(3, round(0.08 * h))
    left, plan = m, {}
    if logo:
        plan["logo"] = (m, m, h - m, h - m)
        left = h
    cta_left = w - m - max(40, round(0.22 * w))
    plan["cta"] = (cta_left, m, w - m, h - m)
    column = (left, m, cta_left - m, h - m)
    if disclaimer:
        strip = max(10, round(0.2 * (h - 2 * m)))
        plan["disclaimer"] = (left, h - m - strip, cta_left - m, h - m)
        column = (left, m, cta_left - m, h - m - strip - 1)
    return plan | _split(column, {"headline": (0, 0.56), "body": (0.6, 1.0)}, axis=1)


def plan_regions(fmt: FormatSpec, logo: bool, disclaimer: bool) -> tuple[str, dict[str, Box]]:
    kind = layout_kind(fmt.width, fmt.height)
    build = {"stacked": _stacked, "side": _side, "banner": _banner}[kind]
    return kind, build(fmt.width, fmt.height, logo, disclaimer)
