"""Validators shared by models, forms and management commands."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")  # used with fullmatch: "$" would let "\n" through
ALLOWED_IMAGE_FORMATS = {"PNG", "JPEG", "WEBP"}


def validate_palette(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("Palette must be a non-empty list of colours like #1F2937.")
    if len(value) > 8:
        raise ValidationError("Palette can hold at most 8 colours.")
    bad = [c for c in value if not isinstance(c, str) or not HEX_COLOUR.fullmatch(c)]
    if bad:
        raise ValidationError(
            "Not hex colours (use #RRGGBB): %(bad)s", params={"bad": ", ".join(map(str, bad))}
        )


def validate_image_file(file) -> None:
    """Refuse files that are not PNG/JPEG/WebP, too large in bytes, or too many pixels.

    The pixel check reads only the header, so a decompression bomb is refused
    before anything is decoded.
    """
    max_bytes = settings.STUDIO_MAX_UPLOAD_BYTES
    max_pixels = settings.STUDIO_MAX_UPLOAD_PIXELS
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            "Image is %(size).1f MB; the limit is %(limit).1f MB.",
            params={"size": size / 1e6, "limit": max_bytes / 1e6},
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with Image.open(file) as img:
            kind, (width, height) = img.format, img.size
            if width * height > max_pixels:
                raise ValidationError(
                    "Image is %(w)d×%(h)d = %(px)d pixels; the limit is %(limit)d pixels.",
                    params={"w": width, "h": height, "px": width * height, "limit": max_pixels},
                )
            if kind not in ALLOWED_IMAGE_FORMATS:
                raise ValidationError(
                    "Images must be PNG, JPEG or WebP (got %(kind)s).", params={"kind": kind}
                )
            img.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        if isinstance(exc, Image.DecompressionBombError):
            raise ValidationError("Image has too many pixels (decompression bomb).") from exc
        raise ValidationError("File is not a readable image (PNG, JPEG or WebP).") from exc
    finally:
        if position is not None:
            file.seek(position)
