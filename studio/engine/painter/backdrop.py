"""Backdrop painter: product-shoot sets painted per format, the offline default.

Seven styles (a seamless sweep, a podium, plinths, coloured gels, window light, a
tabletop, outdoors), chosen per variant from the concept's words and the seed, painted
natively at each format's size with the brand's colour roles as paper and gels, and the
floor line reported so the product's contact shadow sits on it. With an `asset_path`
the backdrop is a brand library photo instead, cover-cropped and graded (library.py).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from studio.engine.painter import backdrop_scenes, backdrop_styles, library
from studio.engine.painter.backdrop_kit import (
    ROLE_ORDER,
    Scene,
    finish,
    floor_for_aspect,
    rgb_hex,
    roles_from,
    seeded,
)
from studio.engine.painter.product import (
    contact_shadow,
    open_product,
    place_product,
    product_box_for,
    product_composite,
)
from studio.engine.types import (
    BackgroundRequest,
    EngineError,
    ImageRequest,
    PaintedBackground,
    PaintedImage,
)

STYLES = {
    "seamless": backdrop_styles.seamless,
    "podium": backdrop_styles.podium,
    "plinth": backdrop_styles.plinth,
    "gel": backdrop_styles.gel,
    "window": backdrop_styles.window,
    "tabletop": backdrop_scenes.tabletop,
    "outdoor": backdrop_scenes.outdoor,
}
STUDIO_STYLES = tuple(s for s in STYLES if s != "outdoor")
# Words in an image concept that ask for a style; outdoor words win over the rest.
OUTDOOR_WORDS = frozenset(
    "outdoor outdoors outside trail trails mountain mountains hill hills hillside beach "
    "forest woods field meadow desert sunset sunrise dusk nature park coast lake river "
    "landscape sky garden alpine countryside hiking valley".split()
)
STYLE_WORDS = {
    "podium": "podium",
    "pedestal": "podium",
    "plinth": "plinth",
    "plinths": "plinth",
    "block": "plinth",
    "blocks": "plinth",
    "neon": "gel",
    "night": "gel",
    "dramatic": "gel",
    "moody": "gel",
    "window": "window",
    "sunlit": "window",
    "sunlight": "window",
    "table": "tabletop",
    "tabletop": "tabletop",
    "desk": "tabletop",
    "counter": "tabletop",
    "vanity": "tabletop",
    "studio": "seamless",
    "seamless": "seamless",
}
GRAIN = 3  # grain spread in 8-bit levels: visible at 100 %, invisible at a glance


def choose_style(concept: str, seed: int) -> tuple[str, str | None]:
    """(style, the concept word that chose it or None): outdoors when the concept asks
    for it, a style the concept names, else one of the studio styles by seed."""
    words = re.findall(r"[a-z]+", concept.lower())
    rng = seeded(seed, 0x5EED)
    outdoor = next((w for w in words if w in OUTDOOR_WORDS), None)
    if outdoor:
        return "outdoor", outdoor
    hinted = sorted({(STYLE_WORDS[w], w) for w in words if w in STYLE_WORDS})
    if hinted:
        style, word = hinted[int(rng.integers(len(hinted)))]
        return style, word
    return STUDIO_STYLES[int(rng.integers(len(STUDIO_STYLES)))], None


def _stage(request: BackgroundRequest, rng: np.random.Generator) -> tuple[float, float, float]:
    """(floor_y, stage_x, stage_w): from where layout put the product, else a default
    footprint centred on the floor line that suits the format's shape."""
    width, height = request.width, request.height
    # Drawn whether used or not, so every later choice (paper, gels...) is the same for a
    # variant's formats with and without a product box: one variant, one set.
    jitter = float(rng.uniform(-0.02, 0.02))
    if request.product_box:
        x0, y0, x1, y1 = request.product_box
        return y1 / height, (x0 + x1) / 2 / width, max(x1 - x0, 1) / width
    floor = floor_for_aspect(width, height) + jitter
    footprint = 0.42 * min(width, height) / width
    return floor, 0.5, footprint


def paint_one(request: BackgroundRequest) -> PaintedBackground:
    if request.width < 1 or request.height < 1:
        raise EngineError(f"Image size must be positive, got {request.width}x{request.height}")
    roles = roles_from(request.colours, request.palette)
    rng = seeded(request.seed, 0xB4C)
    light_x = round(float(rng.uniform(-0.8, 0.8)), 3)
    size = (request.width, request.height)
    lineage: dict[str, Any] = {
        "backend": "backdrop",
        "seed": request.seed,
        "size": list(size),
        "colours": {role: rgb_hex(roles[role]) for role in ROLE_ORDER},
    }
    if request.asset_path:
        image, floor_y, light_x, facts = library.compose(request, roles, rng)
        lineage.update(source="library", style="library", asset=Path(request.asset_path).name)
    else:
        image, floor_y, facts = _paint_style(request, roles, rng, light_x)
        lineage.update(
            source="backdrop",
            style=facts.pop("style"),
            stage_x=facts.pop("stage_x"),
            stage_w=facts.pop("stage_w"),
        )
    lineage.update(floor_y=round(floor_y, 4), light_x=light_x, details=facts)
    return PaintedBackground(image=image, floor_y=floor_y, light_x=light_x, lineage=lineage)


def _paint_style(request, roles, rng, light_x):
    if request.style is not None and request.style not in STYLES:
        raise EngineError(f"Unknown backdrop style {request.style!r}; one of {', '.join(STYLES)}")
    style, word = (
        (request.style, None) if request.style else choose_style(request.concept, request.seed)
    )
    floor, stage_x, stage_w = _stage(request, rng)
    scene = Scene(
        W=request.width,
        H=request.height,
        rng=rng,
        tex_rng=seeded(request.seed, 0x7E7),
        roles=roles,
        floor_y=float(np.clip(floor, 0.3, 0.97)),
        stage_x=stage_x,
        stage_w=stage_w,
        light_x=light_x,
    )
    rgb, floor_y, facts = STYLES[style](scene)
    image = finish(rgb, (request.width, request.height), request.seed, GRAIN)
    facts = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in facts.items()}
    facts.update(
        style=style, concept_word=word, stage_x=round(stage_x, 4), stage_w=round(stage_w, 4)
    )
    return image, float(floor_y), facts


def stand_product(painted: PaintedBackground, request, box, products) -> PaintedBackground:
    """The product at exactly `box` (never moved), its contact shadow on the floor under it."""
    if not request.product_path:
        raise EngineError("A product box was given without the product image (product_path).")
    if request.product_path not in products:
        products[request.product_path] = open_product(request.product_path)
    image = painted.image
    shadow = contact_shadow(image.size, box, painted.light_x)
    image = Image.composite(image.point(lambda v: v * 30 // 100), image, shadow)
    painted.image = product_composite(image, products[request.product_path], box)
    painted.floor_y = box[3] / request.height
    painted.lineage.update(product_baked=True, product_box=list(box))
    return painted


class BackdropPainter:
    name = "backdrop"
    # The product is its own layer, placed per format by layout (paint_around exists for
    # callers that want it baked, e.g. variations of a baked layer).
    paints_around = False

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "styles": list(STYLES)}

    def paint_backgrounds(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        return [paint_one(request) for request in requests]

    def paint_around(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        """The set painted natively at each format with its stage under the product box,
        then the product stood there with its contact shadow, composited exactly."""
        from studio.engine.painter.outpaint import check_box

        products: dict[str, Image.Image] = {}
        out = []
        for request in requests:
            box = check_box(request)
            out.append(stand_product(paint_one(request), request, box, products))
        return out

    def paint_variations(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        """A new set in the source's style and colour roles (request.seed is the source
        variant's; its style is request.style, else the one that seed chose), the rest
        re-rolled by a seed derived from it. No blend of old and new (it would ghost):
        any strength above 0 paints a clean set; 0 returns the stored layer untouched."""
        from studio.engine.painter.variations import derived_seed, open_init

        products: dict[str, Image.Image] = {}
        out = []
        for request in requests:
            source = open_init(request)
            lineage = {"task": "variation", "strength": float(request.strength)}
            if request.strength <= 0:
                floor = request.product_box[3] / request.height if request.product_box else None
                out.append(PaintedBackground(image=source, floor_y=floor, lineage=lineage))
                continue
            style = request.style or choose_style(request.concept, request.seed)[0]
            seed = derived_seed(request.seed, 0xB4C)
            painted = paint_one(replace(request, style=style, seed=seed, init_path=None))
            painted.lineage.update(
                lineage, source_seed=int(request.seed), source=Path(request.init_path).name
            )
            if request.product_box is not None:
                painted = stand_product(painted, request, request.product_box, products)
            out.append(painted)
        return out

    def paint(self, requests: list[ImageRequest]) -> list[PaintedImage]:
        """The legacy one-image path: a background at the request's size, with the
        product standing on its floor line and a contact shadow under it."""
        return [self.paint_on_set(request) for request in requests]

    def paint_on_set(self, request: ImageRequest, style: str | None = None) -> PaintedImage:
        """One legacy image; `style` forces a backdrop style (contact sheets, tests)."""
        product = open_product(request.product_image_path) if request.product_image_path else None
        size = (request.width, request.height)
        box = None
        if product is not None:
            floor = floor_for_aspect(*size)
            box = product_box_for(product.size, size, floor)
        painted = paint_one(
            BackgroundRequest(
                concept=request.prompt,
                seed=request.seed,
                width=request.width,
                height=request.height,
                colours=request.colours,
                palette=request.palette,
                product_box=box,
                asset_path=request.asset_path,
                asset_floor=request.asset_floor,
                style=style,
            )
        )
        image: Image.Image = painted.image
        if product is not None:
            box = place_product(image, product, box, painted.floor_y, painted.light_x)
        lineage = {**painted.lineage, "product_box": list(box) if box else None}
        return PaintedImage(image=image, lineage=lineage, nsfw_detected=None)
