"""Product cut-out: an RGBA image of the product alone, with feathered edges.

A photo that already has transparency is used as it is. An opaque photo has its
background removed: by default with OpenCV's GrabCut seeded from the border (no
weights needed), or with a transformers semantic-segmentation model when one is
configured (STUDIO_MATTING_MODEL). The cut-out is trimmed to the product.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from PIL import Image, ImageFilter

from studio.engine.hub import load_offline_first
from studio.engine.types import EngineError

WORK_SIDE = 480  # GrabCut runs at this long side; the mask is scaled back up


def has_transparency(image: Image.Image) -> bool:
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        return False
    alpha = np.asarray(image.convert("RGBA").getchannel("A"))
    return bool((alpha < 250).mean() > 0.01)


def trim(image: Image.Image) -> Image.Image:
    """Crop to the bounding box of the visible pixels."""
    box = image.getchannel("A").point(lambda a: 255 if a > 8 else 0).getbbox()
    return image.crop(box) if box else image


def feather(mask: np.ndarray, radius: float) -> np.ndarray:
    """Soften a 0/255 mask's edge: shrink by half the radius, then blur, so no halo of
    the old background survives at the rim."""
    image = Image.fromarray(mask.astype(np.uint8), "L")
    shrink = max(1, round(radius / 2)) * 2 + 1
    image = image.filter(ImageFilter.MinFilter(shrink)).filter(ImageFilter.GaussianBlur(radius))
    return np.asarray(image)


def grabcut_mask(rgb: np.ndarray) -> np.ndarray:
    """A 0/255 foreground mask of an opaque photo: GrabCut seeded from the border band
    (sure background) and the pixels close to the border's colour (probable background)."""
    import cv2

    height, width = rgb.shape[:2]
    band = max(2, round(0.02 * max(width, height)))
    border = np.concatenate(
        [rgb[:band].reshape(-1, 3), rgb[-band:].reshape(-1, 3),
         rgb[:, :band].reshape(-1, 3), rgb[:, -band:].reshape(-1, 3)]
    ).astype(np.float32)  # fmt: skip
    distance = np.linalg.norm(rgb.astype(np.float32) - np.median(border, axis=0), axis=2)
    spread = float(np.percentile(np.linalg.norm(border - np.median(border, axis=0), axis=1), 95))
    mask = np.full((height, width), cv2.GC_PR_FGD, np.uint8)
    mask[distance <= max(12.0, 2 * spread)] = cv2.GC_PR_BGD
    mask[:band], mask[-band:], mask[:, :band], mask[:, -band:] = (cv2.GC_BGD,) * 4
    background, foreground = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    bgr = np.ascontiguousarray(rgb[..., ::-1])
    cv2.grabCut(bgr, mask, None, background, foreground, 5, cv2.GC_INIT_WITH_MASK)
    keep = (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)
    return _largest_parts(keep.astype(np.uint8) * 255)


def _largest_parts(mask: np.ndarray) -> np.ndarray:
    """Drop specks: keep connected parts of at least 2 % of the largest one."""
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 2:
        return mask
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = [i + 1 for i, area in enumerate(areas) if area >= 0.02 * areas.max()]
    return np.isin(labels, keep).astype(np.uint8) * 255


def _apply_mask(image: Image.Image, small_mask: np.ndarray) -> Image.Image:
    mask = Image.fromarray(small_mask, "L").resize(image.size, Image.Resampling.BILINEAR)
    hard = (np.asarray(mask) >= 128).astype(np.uint8) * 255
    radius = max(1.0, 0.0025 * max(image.size))
    out = image.convert("RGB").convert("RGBA")
    out.putalpha(Image.fromarray(feather(hard, radius), "L"))
    return out


def _work_copy(image: Image.Image) -> np.ndarray:
    rgb = image.convert("RGB")
    scale = min(1.0, WORK_SIDE / max(rgb.size))
    if scale < 1:
        rgb = rgb.resize((round(rgb.width * scale), round(rgb.height * scale)))
    return np.asarray(rgb)


def masked(image: Image.Image, matting: Any | None = None) -> tuple[Image.Image, str]:
    """(RGBA at the photo's size, method): "alpha" when the upload had transparency,
    else "grabcut" or the matting model's name."""
    if has_transparency(image):
        return image.convert("RGBA"), "alpha"
    small = _work_copy(image)
    if matting is not None:
        return _apply_mask(image, matting.mask(small)), matting.name
    return _apply_mask(image, grabcut_mask(small)), "grabcut"


def cutout(image: Image.Image, matting: Any | None = None) -> tuple[Image.Image, str]:
    """The product alone, trimmed to its visible pixels, and how it was cut out."""
    out, method = masked(image, matting)
    return trim(out), method


class SegmentationMatting:
    """Foreground = every pixel a transformers semantic-segmentation model does not label
    as its first class (background), e.g. a SegFormer fine-tuned for salient objects."""

    name = "transformers"

    def __init__(self, model: str, device: str = "auto", setting: str = "STUDIO_MATTING_MODEL"):
        self.model_id = model
        self.device_setting = device
        self.setting = setting
        self._model = self._processor = self._device = None
        self._lock = threading.Lock()

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "model": self.model_id, "device": self._device}

    def load(self):
        with self._lock:
            if self._model is None:
                from transformers import AutoImageProcessor, AutoModelForSemanticSegmentation

                from studio.engine.device import resolve_device

                self._device = resolve_device(self.device_setting)

                def build(path, **kwargs):
                    return (
                        AutoImageProcessor.from_pretrained(path, **kwargs),
                        AutoModelForSemanticSegmentation.from_pretrained(path, **kwargs),
                    )

                processor, model = load_offline_first(
                    build, self.model_id, what="matting model", setting=self.setting
                )
                self._processor, self._model = processor, model.to(self._device).eval()
        return self._model

    def mask(self, rgb: np.ndarray) -> np.ndarray:
        import torch

        self.load()
        try:
            inputs = self._processor(images=Image.fromarray(rgb), return_tensors="pt")
            with torch.inference_mode():
                logits = self._model(**inputs.to(self._device)).logits
            logits = torch.nn.functional.interpolate(
                logits, size=rgb.shape[:2], mode="bilinear", align_corners=False
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"The matting model failed: {exc}") from exc
        labels = logits.argmax(dim=1)[0].cpu().numpy()
        return (labels != 0).astype(np.uint8) * 255
