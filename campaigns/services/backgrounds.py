"""The background layer of each format of a variant: painted natively at the format's size
by the painter, stored as a file, and listed in `Variant.layers` so every later render
(a copy edit, a moderator's fix) starts from the same pixels.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from campaigns.models import AdFormat, BrandAsset, Variant
from campaigns.services import briefs
from campaigns.services.baking import Place, bakes_product, paint_formats, product_places
from campaigns.services.layer_assets import RenderAssets
from studio.engine import registry
from studio.engine.device import cpu_share
from studio.engine.registry import EngineConfig
from studio.engine.types import BackgroundRequest, BrandBrief, PaintedBackground

LAYER_DIR = "variants/layers"
# Backgrounds are intermediates re-read by every render: JPEG at a high quality is 5-10x
# faster to write and read than PNG on soft or photographic pixels, and never shows.
LAYER_QUALITY = 95


def background_requests(
    *,
    seed: int,
    concept: str,
    negative: str,
    brand: BrandBrief,
    formats: Sequence[AdFormat],
    asset_path: str | None = None,
    asset_floor: float | None = None,
    product_path: str | None = None,
    places: dict[str, Place] | None = None,
) -> list[BackgroundRequest]:
    """One request per format. The same seed for every format of a variant, so the
    procedural painter gives them one style and diffusion one prompt and noise seed;
    `asset_path` is the brand library photo a "library" background is built on.
    With `places` (pre-layout, by format slug) each request carries the product's
    cut-out and box, for a painter that paints the scene around it."""
    places = places or {}
    return [
        BackgroundRequest(
            concept=concept,
            seed=seed,
            width=fmt.width,
            height=fmt.height,
            negative_prompt=negative,
            colours=brand.colours,
            palette=brand.palette,
            asset_path=asset_path,
            asset_floor=asset_floor,
            product_path=product_path if fmt.slug in places else None,
            product_box=places[fmt.slug].box if fmt.slug in places else None,
        )
        for fmt in formats
    ]


def _encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=LAYER_QUALITY, subsampling=0)
    return buffer.getvalue()


def backgrounds_store(
    *,
    prefix: str,
    formats: Sequence[AdFormat],
    painted: Sequence[PaintedBackground],
    templates: dict[str, str] | None = None,
) -> dict[str, dict]:
    """Write each painted background; return the `Variant.layers` entries by format slug.

    A background with the product baked in records where (`product_box`) and with which
    template (`templates`, by slug) it was laid out: every render keeps both."""
    threads = max(1, min(cpu_share(), len(painted)))
    with ThreadPoolExecutor(max_workers=threads) as pool:
        data = list(pool.map(_encode, [p.image for p in painted]))
    entries = {}
    for fmt, background, jpeg in zip(formats, painted, data, strict=True):
        name = default_storage.save(f"{LAYER_DIR}/{prefix}-{fmt.slug}.jpg", ContentFile(jpeg))
        entries[fmt.slug] = {
            "file": name,
            "floor_y": background.floor_y,
            "light_x": background.light_x,
            "size": [fmt.width, fmt.height],
            "lineage": background.lineage,
        }
        if templates and fmt.slug in templates:
            entries[fmt.slug]["template"] = templates[fmt.slug]
        if background.lineage.get("product_baked"):
            box = background.lineage["product_box"]
            entries[fmt.slug].update(product_baked=True, product_box=[int(v) for v in box])
    return entries


def variant_backgrounds_fill(
    *, variant: Variant, formats: Iterable[AdFormat], assets: RenderAssets
) -> dict[str, dict]:
    """Paint and store the backgrounds this variant lacks (a format added to the campaign
    after its round), with the painter of its own job; return all its layer entries.
    A painter that paints around the product does so here too, pre-laid out for the
    variant's present copy."""
    missing = [f for f in formats if not background_exists(variant, f)]
    if missing:
        config = EngineConfig.from_dict(variant.job.engine_config)
        painter = registry.get_painter(config)
        negative = (variant.lineage or {}).get("negative_prompt", "")
        places = {}
        if bakes_product(painter=painter, assets=assets):
            places = product_places(
                copy=briefs.variant_copy(variant), assets=assets, campaign=variant.campaign,
                formats=missing, slot=variant.index,
            )  # fmt: skip
        requests = background_requests(
            seed=variant.seed, concept=variant.image_prompt, negative=negative,
            brand=assets.brand, formats=missing, product_path=assets.product_path,
            places=places, **library_photo(variant),
        )  # fmt: skip
        painted = paint_formats(painter=painter, requests=requests)
        entries = backgrounds_store(
            prefix=f"v{variant.pk}", formats=missing, painted=painted,
            templates={slug: place.template for slug, place in places.items()},
        )  # fmt: skip
        variant.layers = {**(variant.layers or {}), **entries}
        Variant.objects.filter(pk=variant.pk).update(layers=variant.layers)
    return variant.layers


def library_photo(variant: Variant) -> dict:
    """The brand library photo the variant's background was built on, so a format added
    later is built on the same one ({} when none, or when it has since been deleted)."""
    asset = ((variant.lineage or {}).get("background") or {}).get("asset") or {}
    found = BrandAsset.objects.filter(pk=asset.get("id")).first() if asset.get("id") else None
    if found is None:
        return {}
    return {"asset_path": found.image.path, "asset_floor": found.floor}


def background_exists(variant: Variant, fmt: AdFormat) -> bool:
    entry = (variant.layers or {}).get(fmt.slug)
    return (
        bool(entry)
        and entry.get("size") == [fmt.width, fmt.height]
        and default_storage.exists(entry["file"])
    )


def background_open(entry: dict) -> Image.Image:
    with default_storage.open(entry["file"], "rb") as handle, Image.open(handle) as opened:
        return opened.convert("RGB")
