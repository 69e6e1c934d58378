"""Layout templates per aspect family: named zones where each layer of an ad goes.

Zones are fractions (x0, y0, x1, y1) of the format's content box (the safe area less its
margin, see placement.py). Text, logo, CTA and badge zones stay inside it and never
overlap the product zone, so nothing placed inside its zone can cover the product. The
product zone may reach past the content box into the reserved bands (a product is not
text), and is clamped to the canvas so it is never cut by an edge.
"""

from __future__ import annotations

from dataclasses import dataclass

Zone = tuple[float, float, float, float]
TEXT_ELEMENTS = ("headline", "body", "cta", "disclaimer", "badge", "logo")


@dataclass(frozen=True)
class Template:
    name: str
    family: str
    zones: dict[str, Zone]
    align: str = "left"  # left | center: how text sits in its zone


def _t(family: str, name: str, align: str, **zones: Zone) -> Template:
    return Template(name=f"{family}/{name}", family=family, zones=zones, align=align)


TEMPLATES: tuple[Template, ...] = (
    # Square 1:1 and the medium rectangle's big sibling.
    _t("square", "product-right", "left",
       logo=(0, 0, 0.26, 0.09), badge=(0.80, 0, 1, 0.12), product=(0.47, 0.13, 1.05, 0.92),
       headline=(0, 0.13, 0.44, 0.47), body=(0, 0.49, 0.44, 0.69), cta=(0, 0.72, 0.44, 0.84),
       disclaimer=(0, 0.93, 1, 1)),
    _t("square", "product-left", "left",
       logo=(0.74, 0, 1, 0.09), badge=(0, 0, 0.2, 0.12), product=(-0.05, 0.13, 0.53, 0.92),
       headline=(0.56, 0.13, 1, 0.47), body=(0.56, 0.49, 1, 0.69), cta=(0.56, 0.72, 1, 0.84),
       disclaimer=(0, 0.93, 1, 1)),
    _t("square", "product-top", "center",
       logo=(0, 0, 0.24, 0.08), badge=(0.76, 0, 1, 0.08), product=(0.1, 0.1, 0.9, 0.56),
       headline=(0, 0.58, 1, 0.73), body=(0, 0.74, 1, 0.83), cta=(0.2, 0.84, 0.8, 0.92),
       disclaimer=(0, 0.94, 1, 1)),
    # Portrait 4:5 feed.
    _t("portrait", "product-top", "center",
       logo=(0, 0, 0.24, 0.07), badge=(0.76, 0, 1, 0.07), product=(0.06, 0.09, 0.94, 0.56),
       headline=(0, 0.58, 1, 0.73), body=(0, 0.74, 1, 0.83), cta=(0.2, 0.85, 0.8, 0.92),
       disclaimer=(0, 0.94, 1, 1)),
    _t("portrait", "product-bottom", "center",
       logo=(0, 0, 0.24, 0.07), badge=(0.76, 0, 1, 0.07), headline=(0, 0.09, 1, 0.25),
       body=(0, 0.26, 1, 0.35), product=(0.06, 0.37, 0.94, 0.83), cta=(0.2, 0.85, 0.8, 0.92),
       disclaimer=(0, 0.94, 1, 1)),
    _t("portrait", "stacked-left", "left",
       logo=(0, 0, 0.24, 0.07), badge=(0.8, 0, 1, 0.1), headline=(0, 0.1, 0.9, 0.28),
       body=(0, 0.29, 0.8, 0.4), cta=(0, 0.42, 0.5, 0.5), product=(0.04, 0.52, 0.96, 0.92),
       disclaimer=(0, 0.94, 1, 1)),
    # Story 9:16: the product may sit in the bottom band the platform keeps free of text.
    _t("story", "product-low", "center",
       logo=(0, 0, 0.26, 0.07), badge=(0.78, 0, 1, 0.1), headline=(0, 0.1, 1, 0.28),
       body=(0, 0.29, 1, 0.39), cta=(0.2, 0.41, 0.8, 0.48), disclaimer=(0, 0.49, 1, 0.54),
       product=(0.04, 0.57, 0.96, 1.28)),
    _t("story", "product-high", "center",
       logo=(0, 0, 0.26, 0.07), badge=(0.78, 0, 1, 0.1), product=(0.04, 0.1, 0.96, 0.55),
       headline=(0, 0.57, 1, 0.74), body=(0, 0.75, 1, 0.85), cta=(0.2, 0.86, 0.8, 0.93),
       disclaimer=(0, 0.95, 1, 1)),
    _t("story", "product-centre", "center",
       logo=(0.37, 0, 0.63, 0.07), badge=(0.76, 0, 1, 0.07), headline=(0, 0.09, 1, 0.26),
       product=(0.06, 0.28, 0.94, 0.7), body=(0, 0.72, 1, 0.82), cta=(0.2, 0.84, 0.8, 0.92),
       disclaimer=(0, 0.95, 1, 1)),
    # Reels 9:16 (bottom 35 % and the sides kept free).
    _t("reels", "product-low", "center",
       logo=(0, 0, 0.3, 0.08), headline=(0, 0.1, 1, 0.32), body=(0, 0.33, 1, 0.46),
       cta=(0.15, 0.48, 0.85, 0.57), disclaimer=(0, 0.58, 1, 0.64),
       product=(0.0, 0.67, 1.0, 1.45)),
    # Landscape 1.91:1.
    _t("landscape", "product-right", "left",
       logo=(0, 0, 0.18, 0.12), badge=(0.8, 0, 1, 0.13), product=(0.5, 0.15, 1.0, 1.06),
       headline=(0, 0.16, 0.47, 0.52), body=(0, 0.54, 0.47, 0.75), cta=(0, 0.78, 0.34, 0.92),
       disclaimer=(0, 0.94, 0.47, 1)),
    _t("landscape", "product-left", "left",
       logo=(0.82, 0, 1, 0.12), badge=(0, 0, 0.2, 0.13), product=(0, 0.15, 0.5, 1.06),
       headline=(0.53, 0.16, 1, 0.52), body=(0.53, 0.54, 1, 0.75), cta=(0.53, 0.78, 0.87, 0.92),
       disclaimer=(0.53, 0.94, 1, 1)),
    _t("landscape", "product-centre", "left",
       logo=(0, 0, 0.18, 0.12), badge=(0.84, 0, 1, 0.17), headline=(0, 0.17, 0.31, 0.7),
       product=(0.33, 0.02, 0.71, 1.06), body=(0.74, 0.2, 1, 0.55), cta=(0.74, 0.6, 1, 0.76),
       disclaimer=(0, 0.8, 0.31, 1)),
    # Leaderboard 728x90: one row.
    _t("leaderboard", "row-product-left", "left",
       logo=(0, 0.08, 0.11, 0.92), product=(0.125, -0.1, 0.27, 1.1),
       headline=(0.29, 0, 0.72, 0.64), disclaimer=(0.29, 0.66, 0.72, 1), cta=(0.75, 0.1, 1, 0.9)),
    _t("leaderboard", "row-product-right", "left",
       logo=(0, 0.08, 0.11, 0.92), headline=(0.13, 0, 0.55, 0.64),
       disclaimer=(0.13, 0.66, 0.55, 1), product=(0.57, -0.1, 0.73, 1.1),
       cta=(0.75, 0.1, 1, 0.9)),
    # Mobile banner 320x50.
    _t("mobile_banner", "row", "left",
       logo=(0, 0.1, 0.1, 0.9), product=(0.11, -0.1, 0.24, 1.1), headline=(0.26, 0, 0.72, 0.64),
       disclaimer=(0.26, 0.66, 0.72, 1), cta=(0.74, 0.08, 1, 0.92)),
    _t("mobile_banner", "row-headline", "left",
       logo=(0, 0.1, 0.1, 0.9), product=(0.11, -0.1, 0.24, 1.1), headline=(0.26, 0, 0.72, 1),
       cta=(0.74, 0.08, 1, 0.92)),
    # Medium rectangle 300x250.
    _t("mrec", "product-right", "left",
       logo=(0, 0, 0.34, 0.13), badge=(0.64, 0, 1, 0.15), product=(0.5, 0.17, 1.06, 0.88),
       headline=(0, 0.17, 0.48, 0.62), cta=(0, 0.68, 0.48, 0.86), disclaimer=(0, 0.9, 1, 1)),
    _t("mrec", "product-centre", "center",
       logo=(0, 0, 0.34, 0.13), badge=(0.64, 0, 1, 0.15), headline=(0, 0.15, 1, 0.35),
       product=(0.14, 0.37, 0.86, 0.76), cta=(0.2, 0.77, 0.8, 0.89), disclaimer=(0, 0.91, 1, 1)),
    # Half page 300x600.
    _t("half_page", "product-middle", "center",
       logo=(0, 0, 0.4, 0.07), badge=(0.74, 0, 1, 0.09), headline=(0, 0.1, 1, 0.28),
       body=(0, 0.29, 1, 0.41), product=(0.04, 0.43, 0.96, 0.79), cta=(0.12, 0.81, 0.88, 0.89),
       disclaimer=(0, 0.92, 1, 1)),
    _t("half_page", "product-top", "center",
       logo=(0, 0, 0.4, 0.07), badge=(0.74, 0, 1, 0.09), product=(0.04, 0.1, 0.96, 0.45),
       headline=(0, 0.47, 1, 0.65), body=(0, 0.66, 1, 0.78), cta=(0.12, 0.8, 0.88, 0.88),
       disclaimer=(0, 0.92, 1, 1)),
    # Skyscraper 160x600.
    _t("skyscraper", "product-middle", "center",
       logo=(0.1, 0, 0.9, 0.07), headline=(0, 0.09, 1, 0.36), product=(0, 0.38, 1, 0.62),
       body=(0, 0.64, 1, 0.77), cta=(0, 0.79, 1, 0.87), disclaimer=(0, 0.89, 1, 1)),
    _t("skyscraper", "product-low", "center",
       logo=(0.1, 0, 0.9, 0.07), headline=(0, 0.09, 1, 0.34), body=(0, 0.35, 1, 0.48),
       cta=(0, 0.5, 1, 0.58), product=(0, 0.6, 1, 0.87), disclaimer=(0, 0.89, 1, 1)),
)  # fmt: skip

BY_NAME = {t.name: t for t in TEMPLATES}


def templates_for(family: str) -> list[Template]:
    return [t for t in TEMPLATES if t.family == family]
