"""Product cut-out: transparency kept, GrabCut on an opaque photo, a configured model."""

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from studio.engine import registry
from studio.engine.cutout import cutout, masked
from tests.engine.tiny_models import build_tiny_segformer


def photo_with_mask(background=(236, 233, 228)):
    """An opaque product photo (a shoe-like shape with shading and a logo stripe) on a
    plain, slightly noisy studio background, and the shape's true mask."""
    size = (640, 480)
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    draw.rounded_rectangle((90, 300, 560, 360), radius=26, fill=255)
    draw.polygon([(120, 300), (230, 140), (400, 150), (545, 300)], fill=255)
    rng = np.random.default_rng(4)
    base = np.full((size[1], size[0], 3), background, np.float64)
    base += rng.normal(0, 3, base.shape)
    product = np.zeros_like(base)
    product[...] = (200, 45, 50)
    product[300:, :] = (40, 40, 48)  # the sole
    product[200:230, :] = (250, 200, 40)  # a stripe
    truth = np.asarray(mask) > 127
    image = np.where(truth[..., None], product, base).clip(0, 255).astype(np.uint8)
    photo = Image.fromarray(image).filter(ImageFilter.GaussianBlur(0.8))
    return photo, truth


def iou(a, b):
    return (a & b).sum() / (a | b).sum()


@pytest.mark.parametrize("background", [(236, 233, 228), (255, 255, 255), (30, 60, 90)])
def test_grabcut_cuts_an_opaque_photo_on_a_plain_background(background):
    photo, truth = photo_with_mask(background)
    out, method = masked(photo)
    assert method == "grabcut" and out.mode == "RGBA" and out.size == photo.size
    alpha = np.asarray(out.getchannel("A"))
    assert iou(alpha > 127, truth) >= 0.9
    # Feathered: a soft rim, not a hard step from 0 to 255.
    assert ((alpha > 0) & (alpha < 255)).sum() > 0


def test_transparent_upload_is_used_as_is():
    image = Image.new("RGBA", (100, 80), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((10, 20, 60, 70), fill=(10, 200, 30, 255))
    out, method = cutout(image)
    assert method == "alpha" and out.size == (51, 51)  # trimmed to the product
    assert out.getpixel((25, 25)) == (10, 200, 30, 255)


@pytest.mark.models
def test_a_configured_segmentation_model_cuts_through_the_registry(tmp_path):
    path = build_tiny_segformer(tmp_path / "seg")
    registry.clear()
    matting = registry.get_matting(str(path), "cpu")
    assert registry.get_matting(str(path), "cpu") is matting  # one per process
    photo, _ = photo_with_mask()
    out, method = masked(photo, matting)
    assert method == "transformers" and out.size == photo.size and out.mode == "RGBA"
    assert registry.get_matting("", "cpu") is None  # unset: GrabCut
    registry.clear()
