"""The inpainting painter against a tiny random StableDiffusionInpaintPipeline (9-channel
UNet), built by the registry as a worker would: the product kept exactly, outpainting to
every format, variations; and image-to-image variations on the text-to-image painter."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from studio.engine.painter import outpaint
from studio.engine.painter.diffusion import PRESETS, DiffusersPainter, guess_preset
from studio.engine.painter.inpaint import InpaintPainter
from studio.engine.painter.product import open_product, product_fitted
from studio.engine.registry import EngineConfig, _build_painter
from studio.engine.types import BackgroundRequest, EngineError

pytestmark = pytest.mark.models

SQUARE = (64, 64, (20, 14, 44, 54))  # the master's own size and layout: no outpainting
WIDE = (160, 64, (68, 14, 92, 54))  # the same box moved 48 px right: margins to paint
TALL = (72, 128, (22, 60, 50, 106))  # a scaled box: the master resized, margins painted


@pytest.fixture(scope="module")
def painter(tiny_sd_inpaint_path):
    built = _build_painter(
        EngineConfig(painter="diffusers", image_model=str(tiny_sd_inpaint_path), device="cpu")
    )
    built.preset = replace(built.preset, size=64)  # the tiny model's native side
    built.steps = 2
    return built


@pytest.fixture(scope="module")
def product_path(tmp_path_factory):
    """A textured cut-out with an anti-aliased edge (alpha ramps from 0 to 255)."""
    rng = np.random.default_rng(3)
    rgb = rng.integers(0, 256, (96, 48, 3), dtype=np.uint8)
    alpha = Image.new("L", (48, 96), 0)
    ImageDraw.Draw(alpha).rounded_rectangle((4, 4, 44, 92), radius=12, fill=255)
    image = Image.fromarray(rgb, "RGB").convert("RGBA")
    image.putalpha(alpha.filter(ImageFilter.GaussianBlur(1.5)))
    path = tmp_path_factory.mktemp("product") / "bottle.png"
    image.save(path)
    return str(path)


def request(spec, product_path, seed=11, concept="a bottle on a mossy rock"):
    width, height, box = spec
    return BackgroundRequest(
        concept, seed, width, height, negative_prompt="blurry",
        colours=(("background", "#F5F1EA"),), product_path=product_path, product_box=box,
    )  # fmt: skip


def arr(image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.int16)


def assert_product_exact(painted, req):
    fitted = product_fitted(open_product(req.product_path), req.product_box)
    opaque = np.asarray(fitted.getchannel("A")) == 255
    x0, y0, x1, y1 = req.product_box
    region = arr(painted.image)[y0:y1, x0:x1]
    assert opaque.sum() > 100
    assert np.abs(region[opaque] - arr(fitted)[opaque]).max() == 0


def test_registry_builds_the_inpainting_painter(tiny_sd_inpaint_path, tiny_sd_path):
    by_name = _build_painter(
        EngineConfig(painter="diffusers", image_model=str(tiny_sd_inpaint_path))
    )
    assert isinstance(by_name, InpaintPainter) and by_name.paints_around
    assert by_name.preset is PRESETS["sd15-inpaint"]
    by_preset = _build_painter(
        EngineConfig(
            painter="diffusers", image_model=str(tiny_sd_path), image_preset="sdxl-inpaint"
        )
    )
    assert isinstance(by_preset, InpaintPainter) and by_preset.preset.size == 1024
    plain = _build_painter(EngineConfig(painter="diffusers", image_model=str(tiny_sd_path)))
    assert type(plain) is DiffusersPainter and not plain.paints_around
    assert guess_preset("diffusers/stable-diffusion-xl-1.0-inpainting-0.1").name == "sdxl-inpaint"
    assert guess_preset("stable-diffusion-v1-5/stable-diffusion-inpainting").name == "sd15-inpaint"
    assert PRESETS["sdxl-inpaint"].strength == 0.99 and PRESETS["sd15-inpaint"].strength == 1.0


def test_product_is_exact_in_every_format(painter, product_path):
    wanted = [request(spec, product_path) for spec in (SQUARE, WIDE, TALL)]
    out = painter.paint_around(wanted)
    for req, painted in zip(wanted, out, strict=True):
        assert painted.image.size == (req.width, req.height) and painted.image.mode == "RGB"
        assert_product_exact(painted, req)
        assert painted.lineage["product_baked"] is True
        assert painted.lineage["product_box"] == list(req.product_box)
        assert painted.floor_y == req.product_box[3] / req.height
        assert painted.nsfw_detected is None  # the tiny pipeline has no safety checker
    assert [p.lineage["task"] for p in out] == ["inpaint", "outpaint", "outpaint"]
    assert out[0].lineage["master"] == {"size": 64, "box": list(SQUARE[2])}


def test_outpainting_keeps_the_master_region(painter, product_path):
    square, wide = painter.paint_around(
        [request(SQUARE, product_path), request(WIDE, product_path)]
    )
    assert wide.lineage["placement"] == [48, 0, 64, 64]
    assert wide.lineage["master_cover"] == [48, 0, 112, 64]
    # The master's pixels, product included, are where the master was placed...
    assert np.array_equal(arr(wide.image)[:, 48:112], arr(square.image))
    # ...and the margins were painted by the model, not stretched from the master's edge.
    stretched = np.repeat(arr(square.image)[:, :1], 40, axis=1)
    assert np.abs(arr(wide.image)[:, :40] - stretched).mean() > 2


def test_a_format_the_master_covers_needs_no_pipeline_call(painter, product_path):
    before = painter.pipeline_calls
    big = (128, 128, tuple(2 * v for v in SQUARE[2]))  # the master scaled 2x
    painted = painter.paint_around([request(big, product_path)])[0]
    assert painter.pipeline_calls == before + 1  # the master only
    assert painted.lineage["task"] == "inpaint" and painted.image.size == (128, 128)


def test_same_seed_reproduces_and_batch_equals_alone(painter, product_path):
    wanted = [request(spec, product_path, seed=s) for s in (1, 2, 3) for spec in (SQUARE, WIDE)]
    together = painter.paint_around(wanted)
    first, again = painter.paint_around(wanted[:2]), painter.paint_around(wanted[:2])
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(arr(a.image), arr(b.image))
    for i in (0, 4):
        alone = first if i == 0 else painter.paint_around(wanted[i : i + 2])
        for a, b in zip(alone, together[i : i + 2], strict=True):
            assert np.abs(arr(a.image) - arr(b.image)).max() <= 3
    assert np.abs(arr(together[0].image) - arr(together[2].image)).mean() > 1  # seeds differ


def test_bad_requests_are_clear_errors(painter, product_path, tiny_sd_path):
    with pytest.raises(EngineError, match="needs product_path and product_box"):
        painter.paint_around([BackgroundRequest("x", 1, 64, 64)])
    with pytest.raises(EngineError, match="not inside"):
        painter.paint_around([request((64, 64, (40, 10, 80, 50)), product_path)])
    with pytest.raises(EngineError, match="cannot paint around the product"):
        DiffusersPainter(model=str(tiny_sd_path), device="cpu").paint_around([])


def test_repaint_mask_keeps_the_opaque_core_only(product_path):
    product = open_product(product_path)
    box = (10, 10, 40, 70)
    mask = np.asarray(outpaint.repaint_mask((64, 80), product, box, edge=2))
    alpha = np.asarray(product_fitted(product, box).getchannel("A"))
    inside = mask[10:70, 10:40]
    assert (mask[:, :8] == 255).all() and (mask[:8] == 255).all()  # the scene: painted
    assert (
        inside[alpha < outpaint.OPAQUE] == 255
    ).all()  # the soft edge: painted, then re-composited
    assert (inside == 0).sum() > 0.5 * (alpha == 255).sum()  # the core: kept


def test_inpaint_variations(painter, product_path, tmp_path):
    req = request(TALL, product_path)
    source = painter.paint_around([req])[0]
    source.image.save(tmp_path / "layer.png")
    ask = [replace(req, init_path=str(tmp_path / "layer.png"), strength=s) for s in (0.0, 0.6)]
    kept, moved = painter.paint_variations(ask)
    assert np.array_equal(arr(kept.image), arr(source.image))  # strength 0: the input
    assert moved.image.size == (72, 128) and moved.lineage["task"] == "variation"
    assert moved.lineage["strength"] == 0.6 and moved.lineage["product_baked"] is True
    assert_product_exact(moved, ask[1])
    assert np.abs(arr(moved.image) - arr(source.image)).mean() > 1
    with pytest.raises(EngineError, match="within 0..1"):
        painter.paint_variations([replace(ask[1], strength=1.5)])


def test_img2img_variations_share_the_text_to_image_weights(tiny_sd_path, product_path, tmp_path):
    t2i = DiffusersPainter(model=str(tiny_sd_path), preset="sd-turbo", device="cpu")
    t2i.preset = replace(t2i.preset, size=64)
    layer = Image.fromarray(np.random.default_rng(0).integers(0, 256, (128, 72, 3), np.uint8))
    layer.save(tmp_path / "layer.png")
    req = replace(request(TALL, product_path), init_path=str(tmp_path / "layer.png"))
    ask = [replace(req, strength=s, seed=seed) for s, seed in ((0.0, 1), (0.5, 2), (0.5, 3))]
    kept, moved, other = t2i.paint_variations(ask)
    assert t2i.img2img_pipeline().unet is t2i.load().unet  # from_pipe: no second copy
    assert np.array_equal(arr(kept.image), arr(layer))
    assert moved.lineage["steps_scheduled"] == 3  # one turbo step at 0.5 would run none
    assert_product_exact(moved, req)
    alone = t2i.paint_variations(ask[1:2])[0]
    assert np.abs(arr(alone.image) - arr(moved.image)).max() <= 3
    assert np.abs(arr(other.image) - arr(moved.image)).mean() > 1  # another seed
