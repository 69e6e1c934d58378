"""Image encoding shared by renditions and exports."""

from __future__ import annotations

import hashlib
import io

from PIL import Image, PngImagePlugin


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


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def derive_seed(*parts: int | str) -> int:
    """A stable 31-bit seed from its parts, so every variant reproduces on its own."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF
