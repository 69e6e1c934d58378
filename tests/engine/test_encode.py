"""PNG encoding: one image, or several at once on the process's share of the CPUs."""

import io

import numpy as np
import pytest
from PIL import Image

from studio.engine import device
from studio.engine.encode import encode_png, encode_pngs


def noisy(seed: int, size=(96, 64)) -> Image.Image:
    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    return Image.fromarray(pixels, "RGB")


@pytest.mark.parametrize("share", [1, 2, 4])
def test_encode_pngs_matches_encode_png_in_order(monkeypatch, share):
    monkeypatch.setattr(device, "_cpu_share", share)
    images = [noisy(seed) for seed in range(5)]
    pngs = encode_pngs(images, compress_level=1)
    assert pngs == [encode_png(image, compress_level=1) for image in images]
    for image, png in zip(images, pngs, strict=True):
        with Image.open(io.BytesIO(png)) as decoded:
            assert decoded.format == "PNG"
            assert np.array_equal(np.asarray(decoded.convert("RGB")), np.asarray(image))


def test_encode_pngs_of_nothing_is_empty():
    assert encode_pngs([]) == []
