"""Small builders for test inputs."""

from __future__ import annotations

import io

from PIL import Image


def png_bytes(size=(64, 64), colour=(200, 30, 30), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()
