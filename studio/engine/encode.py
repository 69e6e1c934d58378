"""Image encoding shared by renditions and exports."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from PIL import Image, PngImagePlugin

from studio.engine.device import cpu_share
from studio.engine.disclosure import (
    DISCLOSURE_KEYWORD,
    SOURCE_TYPE_KEYWORD,
    XMP_KEYWORD,
    Disclosure,
    xmp_packet,
)


def encode_png(
    image: Image.Image, *, text: dict[str, str] | None = None, compress_level: int = 3
) -> bytes:
    """PNG bytes with optional iTXt chunks. The default compress_level=3 trades a little
    size for much faster encoding of large renditions than zlib's default 6."""
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_itxt(key, value)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", pnginfo=info, compress_level=compress_level)
    return buffer.getvalue()


def encode_pngs(images: Sequence[Image.Image], *, compress_level: int = 3) -> list[bytes]:
    """encode_png over several images, in order, on this process's share of the CPUs:
    Pillow releases the GIL while zlib compresses, so threads run in parallel."""
    encode = partial(encode_png, compress_level=compress_level)
    threads = min(cpu_share(), len(images))
    if threads <= 1:
        return [encode(image) for image in images]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(encode, images))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def derive_seed(*parts: int | str) -> int:
    """A stable 31-bit seed from its parts, so every variant reproduces on its own."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


@dataclass
class Encoded:
    data: bytes
    ext: str  # "jpg" | "png" | "webp"
    quality: int | None = None
    over_budget: bool = False

    @property
    def mime(self) -> str:
        return {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[self.ext]


JPEG_QUALITIES = (90, 85, 80, 72, 64, 56)
THUMB_SIDE = 480


def is_flat(image: Image.Image) -> bool:
    """Few distinct colours (flat fills, no photo or soft gradient): PNG is smaller there
    and keeps edges exact; anything photographic is far smaller as JPEG."""
    return image.reduce(8).getcolors(maxcolors=512) is not None


def _jpeg(image: Image.Image, quality: int, xmp: bytes) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, xmp=xmp, optimize=False)
    return buffer.getvalue()


def encode_rendition(
    image: Image.Image,
    *,
    disclosure: Disclosure,
    budget: int | None = None,
    kind: str | None = None,
) -> Encoded:
    """The rendition's file in the format that suits its content, with the AI disclosure
    inside (JPEG: XMP in APP1; PNG: iTXt + XMP), within the byte budget where one is set
    (JPEG quality steps down; a file still over it is reported, never silently cut).
    `kind` ("png" or "jpg") forces the type (benchmarks compare like with like)."""
    image = image.convert("RGB")
    xmp = xmp_packet(disclosure).encode()
    if kind == "png" or (kind is None and is_flat(image)):
        png = encode_png(
            image,
            text={
                DISCLOSURE_KEYWORD: disclosure.description,
                SOURCE_TYPE_KEYWORD: disclosure.source_type,
                XMP_KEYWORD: xmp.decode(),
            },
            compress_level=6,
        )
        if budget is None or len(png) <= budget:
            return Encoded(png, "png")
    for quality in JPEG_QUALITIES:
        data = _jpeg(image, quality, xmp)
        if budget is None or len(data) <= budget:
            return Encoded(data, "jpg", quality)
    return Encoded(data, "jpg", quality, over_budget=True)


def encode_thumbnail(
    image: Image.Image, *, side: int = THUMB_SIDE, encoded: Encoded | None = None
) -> bytes:
    """A JPEG at most `side` px on its long edge, for the review grid. A rendition that
    is already a JPEG that small is its own thumbnail (no second encode)."""
    if encoded is not None and encoded.ext == "jpg" and max(image.size) <= side:
        return encoded.data
    factor = max(1, -(-max(image.size) // side))  # ceil: reduce() is fast and box-filtered
    small = image.convert("RGB").reduce(factor) if factor > 1 else image.convert("RGB")
    if max(small.size) > side:
        small.thumbnail((side, side), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=75)
    return buffer.getvalue()
