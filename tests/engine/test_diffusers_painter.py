"""The diffusers painter against a tiny random StableDiffusionPipeline."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from studio.engine.painter.diffusion import PRESETS, DiffusersPainter, guess_preset
from studio.engine.types import EngineError, ImageRequest, PaintedImage

pytestmark = pytest.mark.models


@pytest.fixture(scope="module")
def painter(tiny_sd_path):
    return DiffusersPainter(
        model=str(tiny_sd_path), preset="sd15", device="cpu", steps=2, batch_size=4
    )


def requests(n=3, size=64):
    return [
        ImageRequest(
            prompt=f"a bright product photo {i}",
            seed=100 + i,
            width=size,
            height=size,
            negative_prompt="blurry",
        )
        for i in range(n)
    ]


def pixels(painted: PaintedImage) -> np.ndarray:
    return np.asarray(painted.image, dtype=np.int16)


def test_images_shapes_types_and_lineage(painter):
    out = painter.paint(requests(2))
    assert len(out) == 2
    for request, painted in zip(requests(2), out, strict=True):
        assert isinstance(painted, PaintedImage) and isinstance(painted.image, Image.Image)
        assert painted.image.size == (64, 64) and painted.image.mode == "RGB"
        assert painted.nsfw_detected is None  # the tiny pipeline has no safety checker
        lineage = painted.lineage
        assert lineage["seed"] == request.seed and lineage["size"] == [64, 64]
        assert lineage["preset"] == "sd15" and lineage["steps"] == 2 and lineage["guidance"] == 7.5
        assert lineage["scheduler"] == "DPMSolverMultistepScheduler"
        assert lineage["dtype"] == "float32" and lineage["device"] == "cpu"
        assert lineage["negative_prompt"] == "blurry"


def test_same_seed_same_image(painter):
    first, second = painter.paint(requests(1)), painter.paint(requests(1))
    assert np.array_equal(pixels(first[0]), pixels(second[0]))
    other = painter.paint(
        [ImageRequest(prompt="a bright product photo 0", seed=999, width=64, height=64)]
    )
    assert not np.array_equal(pixels(first[0]), pixels(other[0]))


def test_batched_equals_one_by_one(painter):
    batch = painter.paint(requests(3))
    for request, together in zip(requests(3), batch, strict=True):
        alone = painter.paint([request])[0]
        assert np.abs(pixels(alone) - pixels(together)).max() <= 2


def test_sizes_are_grouped_and_order_kept(tiny_sd_path):
    painter = DiffusersPainter(model=str(tiny_sd_path), device="cpu", steps=1, batch_size=2)
    mixed = [
        ImageRequest(prompt="a", seed=1, width=64, height=64),
        ImageRequest(prompt="b", seed=2, width=96, height=64),
        ImageRequest(prompt="c", seed=3, width=64, height=64),
        ImageRequest(prompt="d", seed=4, width=64, height=64),
    ]
    out = painter.paint(mixed)
    assert [p.image.size for p in out] == [(64, 64), (96, 64), (64, 64), (64, 64)]
    assert [p.lineage["seed"] for p in out] == [1, 2, 3, 4]
    assert painter.pipeline_calls == 3  # 64x64: batches of 2 + 1; 96x64: 1


def test_options_and_lazy_single_load(tiny_sd_path):
    painter = DiffusersPainter(
        model=str(tiny_sd_path),
        preset="sd-turbo",
        device="cpu",
        attention_slicing=True,
        vae_tiling=True,
    )
    assert painter._pipe is None and painter.describe()["preset"] == "sd-turbo"
    pipe = painter.load()
    assert painter.load() is pipe
    out = painter.paint(requests(1))
    assert out[0].lineage["steps"] == 1 and out[0].lineage["guidance"] == 0.0
    assert out[0].lineage["negative_prompt"] == ""  # ignored without guidance


def test_presets_are_guessed_from_the_name():
    assert guess_preset("stabilityai/sd-turbo") is PRESETS["sd-turbo"]
    assert guess_preset("stabilityai/sdxl-turbo") is PRESETS["sdxl-turbo"]
    assert guess_preset("/models/SDXL_Turbo") is PRESETS["sdxl-turbo"]
    assert guess_preset("runwayml/stable-diffusion-v1-5") is PRESETS["sd15"]
    assert guess_preset("stabilityai/sd-turbo", "sd15") is PRESETS["sd15"]
    assert PRESETS["sd15"].steps == 25 and PRESETS["sd15"].guidance == 7.5
    with pytest.raises(EngineError, match="Unknown image preset"):
        guess_preset("x", "sd3")


def test_missing_model_says_how_to_fetch(hf_offline):
    painter = DiffusersPainter(model="nobody/no-such-diffusion-model", device="cpu")
    with pytest.raises(EngineError, match="studio_models --download"):
        painter.paint(requests(1))


def test_backgrounds_come_at_each_formats_exact_size(tiny_sd_path):
    from dataclasses import replace

    from studio.engine.types import BackgroundRequest

    painter = DiffusersPainter(model=str(tiny_sd_path), preset="sd15", device="cpu", steps=2)
    painter.preset = replace(painter.preset, size=64)  # the tiny model's native side
    sizes = [(1080, 1080), (1200, 628), (728, 90), (160, 600)]
    wanted = [BackgroundRequest("a trail at dawn", 7, w, h) for w, h in sizes]
    out = painter.paint_backgrounds(wanted)
    for request, painted in zip(wanted, out, strict=True):
        assert painted.image.size == (request.width, request.height)
        assert painted.image.mode == "RGB"
        assert painted.lineage["format_size"] == [request.width, request.height]
        model_w, model_h = painted.lineage["size"]
        assert model_w % 8 == 0 and model_h % 8 == 0
    again = painter.paint_backgrounds(wanted[:1])[0]  # alone, not in a batch of four
    diff = np.abs(np.asarray(again.image, np.int16) - np.asarray(out[0].image, np.int16))
    assert diff.max() <= 3
