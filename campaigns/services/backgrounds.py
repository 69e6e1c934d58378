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
) -> list[BackgroundRequest]:
    """One request per format. The same seed for every format of a variant, so the
    procedural painter gives them one style and diffusion one prompt and noise seed;
    `asset_path` is the brand library photo a "library" background is built on."""
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
        )
        for fmt in formats
    ]


def _encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=LAYER_QUALITY, subsampling=0)
    return buffer.getvalue()


def backgrounds_store(
    *, prefix: str, formats: Sequence[AdFormat], painted: Sequence[PaintedBackground]
) -> dict[str, dict]:
    """Write each painted background; return the `Variant.layers` entries by format slug."""
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
    return entries


def variant_backgrounds_fill(
    *, variant: Variant, formats: Iterable[AdFormat], brand: BrandBrief
) -> dict[str, dict]:
    """Paint and store the backgrounds this variant lacks (a format added to the campaign
    after its round), with the painter of its own job; return all its layer entries."""
    missing = [f for f in formats if not background_exists(variant, f)]
    if missing:
        config = EngineConfig.from_dict(variant.job.engine_config)
        painter = registry.get_painter(config)
        negative = (variant.lineage or {}).get("negative_prompt", "")
        requests = background_requests(
            seed=variant.seed, concept=variant.image_prompt, negative=negative,
            brand=brand, formats=missing, **_library_photo(variant),
        )  # fmt: skip
        painted = painter.paint_backgrounds(requests)
        entries = backgrounds_store(prefix=f"v{variant.pk}", formats=missing, painted=painted)
        variant.layers = {**(variant.layers or {}), **entries}
        Variant.objects.filter(pk=variant.pk).update(layers=variant.layers)
    return variant.layers


def _library_photo(variant: Variant) -> dict:
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
