import hashlib

import numpy as np
import pytest
from PIL import Image, ImageDraw

from studio.engine.painter.procedural import STYLES, ProceduralPainter
from studio.engine.types import EngineError, ImageRequest

PALETTE = ("#0F172A", "#F97316", "#FFFFFF")


@pytest.fixture
def product_png(tmp_path):
    image = Image.new("RGBA", (240, 160), (0, 0, 0, 0))
    ImageDraw.Draw(image).rounded_rectangle((10, 10, 230, 150), 24, fill=(30, 200, 60, 255))
    path = tmp_path / "product.png"
    image.save(path)
    return str(path)


def digest(image):
    return hashlib.sha256(image.tobytes()).hexdigest()


def paint(**kwargs):
    request = ImageRequest(prompt="ignored", palette=PALETTE, **kwargs)
    return ProceduralPainter().paint([request])[0]


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_same_request_gives_byte_identical_image(seed):
    first, second = paint(seed=seed, width=320, height=200), paint(seed=seed, width=320, height=200)
    assert digest(first.image) == digest(second.image)
    assert first.lineage == second.lineage


def test_size_mode_and_lineage():
    painted = paint(seed=3, width=300, height=250)
    assert painted.image.size == (300, 250) and painted.image.mode == "RGB"
    assert painted.lineage["style"] in STYLES and painted.lineage["seed"] == 3
    assert painted.lineage["palette"] == ["#0F172A", "#F97316", "#FFFFFF"]
    assert painted.nsfw_detected is None


def test_seeds_vary_the_image_and_every_style_is_reachable():
    paintings = [paint(seed=s, width=64, height=64) for s in range(40)]
    assert len({digest(p.image) for p in paintings}) == 40
    assert {p.lineage["style"] for p in paintings} == set(STYLES)


def test_product_image_is_placed(product_png):
    plain = paint(seed=5, width=400, height=400)
    with_product = paint(seed=5, width=400, height=400, product_image_path=product_png)
    x0, y0, x1, y1 = with_product.lineage["product_box"]
    assert 0 <= x0 < x1 <= 400 and 0 <= y0 < y1 <= 400
    # Aspect ratio kept (240x160 = 1.5).
    assert abs((x1 - x0) / (y1 - y0) - 1.5) < 0.05
    centre = np.asarray(with_product.image)[(y0 + y1) // 2, (x0 + x1) // 2]
    assert tuple(centre) == (30, 200, 60)
    assert digest(plain.image) != digest(with_product.image)
    again = paint(seed=5, width=400, height=400, product_image_path=product_png)
    assert digest(again.image) == digest(with_product.image)


def test_bad_palette_falls_back_and_missing_product_is_clear():
    assert paint(seed=1, width=32, height=32).image.size == (32, 32)
    painted = ProceduralPainter().paint(
        [ImageRequest(prompt="x", seed=1, width=32, height=32, palette=("nonsense",))]
    )[0]
    assert len(painted.lineage["palette"]) >= 2
    with pytest.raises(EngineError, match="not found"):
        paint(seed=1, width=32, height=32, product_image_path="/nonexistent/product.png")
