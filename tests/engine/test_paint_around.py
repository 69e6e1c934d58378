"""Painting around the product without models: the backdrop and procedural painters'
paint_around / paint_variations, and the outpainting geometry the diffusion painter uses."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from studio.engine.painter import outpaint
from studio.engine.painter.backdrop import BackdropPainter, paint_one
from studio.engine.painter.procedural import ProceduralPainter
from studio.engine.painter.product import open_product, product_fitted
from studio.engine.painter.variations import derived_seed
from studio.engine.types import BackgroundRequest, EngineError

COLOURS = (("background", "#F5F1EA"), ("accent", "#0F766E"), ("text", "#1F2937"))
FORMATS = [(1080, 1080, (390, 380, 690, 980)), (1200, 628, (780, 150, 1000, 590))]


@pytest.fixture(scope="module")
def product_path(tmp_path_factory):
    rng = np.random.default_rng(5)
    rgb = rng.integers(0, 256, (200, 100, 3), dtype=np.uint8)
    alpha = Image.new("L", (100, 200), 0)
    ImageDraw.Draw(alpha).rounded_rectangle((6, 6, 94, 194), radius=30, fill=255)
    image = Image.fromarray(rgb, "RGB").convert("RGBA")
    image.putalpha(alpha.filter(ImageFilter.GaussianBlur(2)))
    path = tmp_path_factory.mktemp("product") / "shoe.png"
    image.save(path)
    return str(path)


def requests(product_path, seed=4, concept="a sneaker on a podium"):
    return [
        BackgroundRequest(
            concept, seed, w, h, colours=COLOURS, product_path=product_path, product_box=box
        )  # fmt: skip
        for w, h, box in FORMATS
    ]


def arr(image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.int16)


def product_diff(painted, request) -> int:
    fitted = product_fitted(open_product(request.product_path), request.product_box)
    opaque = np.asarray(fitted.getchannel("A")) == 255
    x0, y0, x1, y1 = request.product_box
    region = arr(painted.image)[y0:y1, x0:x1]
    return int(np.abs(region[opaque] - arr(fitted)[opaque]).max())


@pytest.mark.parametrize("painter", [BackdropPainter(), ProceduralPainter()], ids=lambda p: p.name)
def test_paint_around_bakes_the_product_exactly(painter, product_path):
    wanted = requests(product_path)
    for request, painted in zip(wanted, painter.paint_around(wanted), strict=True):
        assert painted.image.size == (request.width, request.height)
        assert product_diff(painted, request) == 0
        assert painted.lineage["product_baked"] is True
        assert painted.lineage["product_box"] == list(request.product_box)
    with pytest.raises(EngineError, match="needs product_path"):
        painter.paint_around([BackgroundRequest("x", 1, 64, 64)])


def test_backdrop_product_stands_in_its_shadow(product_path):
    request = requests(product_path)[0]
    baked = BackdropPainter().paint_around([request])[0]
    plain = paint_one(request)
    x0, _, x1, y1 = request.product_box
    under = (slice(y1 + 2, y1 + 8), slice(x0 + 40, x1 - 40))  # the floor just under the base
    assert arr(baked.image)[under].mean() < arr(plain.image)[under].mean() - 10
    assert baked.floor_y == y1 / request.height and baked.lineage["style"] == plain.lineage["style"]


@pytest.mark.parametrize("painter", [BackdropPainter(), ProceduralPainter()], ids=lambda p: p.name)
def test_variations_keep_the_look_and_the_product(painter, product_path, tmp_path):
    request = requests(product_path)[1]
    source = painter.paint_around([request])[0]
    source.image.save(tmp_path / "layer.png")
    ask = replace(request, init_path=str(tmp_path / "layer.png"))
    kept, moved = painter.paint_variations([replace(ask, strength=0.0), replace(ask, strength=0.5)])
    assert np.array_equal(arr(kept.image), arr(source.image))  # strength 0: the input
    assert moved.lineage["style"] == source.lineage["style"]  # the same look...
    assert np.abs(arr(moved.image) - arr(source.image)).mean() > 1  # ...re-rolled
    assert product_diff(moved, ask) == 0 and moved.lineage["product_baked"] is True
    again = painter.paint_variations([replace(ask, strength=0.5)])[0]
    assert np.array_equal(arr(again.image), arr(moved.image))  # reproducible


def test_backdrop_variation_is_a_clean_set_not_a_blend(product_path, tmp_path):
    request = requests(product_path)[0]
    source = BackdropPainter().paint_around([request])[0]
    source.image.save(tmp_path / "layer.png")
    ask = replace(request, init_path=str(tmp_path / "layer.png"), strength=0.3)
    moved = BackdropPainter().paint_variations([ask])[0]
    fresh = BackdropPainter().paint_around(
        [replace(request, seed=derived_seed(request.seed, 0xB4C), style=source.lineage["style"])]
    )[0]
    assert np.array_equal(arr(moved.image), arr(fresh.image))  # no pixel of the old set left
    assert moved.lineage["colours"] == source.lineage["colours"]


def test_outpaint_geometry_maps_the_master_box_onto_each_format():
    square = BackgroundRequest("x", 1, 1080, 1080, product_path="p", product_box=FORMATS[0][2])
    wide = BackgroundRequest("x", 1, 1200, 628, product_path="p", product_box=FORMATS[1][2])
    side = 512
    mbox = outpaint.master_box([wide, square], side)  # the squarest format sets it
    assert mbox == tuple(round(v * side / 1080) for v in FORMATS[0][2])
    assert outpaint.place(mbox, side, square.product_box, (1080, 1080)).covers((1080, 1080))
    placed = outpaint.place(mbox, side, wide.product_box, (1200, 628))
    assert not placed.covers((1200, 628))
    fx0, fy0 = wide.product_box[:2]
    sx = (wide.product_box[2] - fx0) / (mbox[2] - mbox[0])
    assert abs(placed.x + mbox[0] * sx - fx0) <= 1 and abs(placed.y + mbox[1] * sx - fy0) <= 1


def test_keep_master_is_exact_inside_and_feathered_outside():
    base = Image.new("RGB", (200, 100), (200, 40, 40))
    painted = Image.new("RGB", (200, 100), (20, 20, 200))
    out = arr(outpaint.keep_master(painted, base, (50, 0, 150, 100)))
    assert (out[:, 50:150] == (200, 40, 40)).all()
    assert (out[:, :40] == (20, 20, 200)).all() and (out[:, 160:] == (20, 20, 200)).all()
    seam = out[50, 40:50, 0]
    assert np.all(np.diff(seam) >= 0) and 20 < seam[5] < 200  # a ramp, not a step
