"""Image encoding shared by renditions and exports."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from PIL import Image, PngImagePlugin

from studio.engine.device import cpu_share


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
