"""WCAG 2 contrast: relative luminance, contrast ratios, and picking readable colours."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image

# WCAG 2 AA for normal-size text.
MIN_CONTRAST = 4.5
WHITE = (255, 255, 255)
NEAR_BLACK = (17, 17, 17)

Box = tuple[int, int, int, int]


def _linear(channel: np.ndarray) -> np.ndarray:
    c = np.asarray(channel, np.float64) / 255.0
    return np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


# Linearised channel values for 0..255, times each channel's luminance weight: a pixel's
# luminance is three table look-ups and two additions, not a power per pixel.
_WEIGHTED = (_linear(np.arange(256))[None, :] * np.array([0.2126, 0.7152, 0.0722])[:, None]).astype(
    np.float32
)


def luminance(rgb) -> np.ndarray:
    """Relative luminance of an RGB triple or of an (..., 3) array of them."""
    array = np.asarray(rgb)[..., :3]
    if array.dtype == np.uint8:
        return (
            _WEIGHTED[0][array[..., 0]] + _WEIGHTED[1][array[..., 1]] + _WEIGHTED[2][array[..., 2]]
        )
    return _linear(array) @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(rgb1, rgb2) -> float:
    """(L_light + 0.05) / (L_dark + 0.05), from 1 (same) to 21 (black on white)."""
    a, b = float(luminance(rgb1)), float(luminance(rgb2))
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def contrast_ratios(lum: np.ndarray, text_rgb) -> np.ndarray:
    """contrast_ratio of text_rgb against each of the given luminances, vectorised."""
    text = _colour_luminance(tuple(int(v) for v in text_rgb[:3]))
    return (np.maximum(lum, text) + 0.05) / (np.minimum(lum, text) + 0.05)


def measure_text_contrast(image: Image.Image, box: Box, text_rgb) -> float:
    """Worst-case contrast between text_rgb and any pixel inside box (x0, y0, x1, y1).

    Measure on the pixels behind the text (the image before glyphs are drawn), since
    the glyphs' own pixels are the text colour."""
    return contrast_against(box_luminance(image, box), text_rgb)


def box_luminance(image: Image.Image, box: Box) -> np.ndarray:
    """Luminance of every pixel inside box (cropped before any conversion: no full copy)."""
    pixels = np.asarray(image.crop(box).convert("RGB"))
    return luminance(pixels.reshape(-1, 3))


@lru_cache(maxsize=256)
def _colour_luminance(rgb: tuple) -> float:
    return float(luminance(np.asarray(rgb, np.float64)))


def contrast_against(lum: np.ndarray, text_rgb) -> float:
    """Worst-case contrast of text_rgb against pixels of the given luminances."""
    if lum.size == 0:
        return float("inf")
    text = _colour_luminance(tuple(int(v) for v in text_rgb[:3]))
    # The pixel closest in luminance to the text is the worst case.
    worst = float(lum.flat[np.argmin(np.abs(lum - text))])
    return (max(worst, text) + 0.05) / (min(worst, text) + 0.05)


def best_text_colour(image: Image.Image, box: Box) -> tuple[tuple[int, int, int], float]:
    """White or near-black, whichever reads better over the pixels in box."""
    options = [(c, measure_text_contrast(image, box, c)) for c in (WHITE, NEAR_BLACK)]
    return max(options, key=lambda option: option[1])


def readable_fill(palette: list[tuple[int, int, int]]):
    """(fill, label colour, ratio) for a button: the palette colour whose best label reads
    best, nudged towards black or white until the label reaches MIN_CONTRAST."""

    def best_label(fill):
        return max(((c, contrast_ratio(fill, c)) for c in (WHITE, NEAR_BLACK)), key=lambda o: o[1])

    fill = max(palette, key=lambda colour: best_label(colour)[1])
    label, ratio = best_label(fill)
    target = np.array(NEAR_BLACK if label == WHITE else WHITE, np.float64)
    step = 0
    while ratio < MIN_CONTRAST + 0.05 and step < 20:
        step += 1
        # Move the fill away from the label colour: darker under white, lighter under black.
        mixed = np.array(fill, np.float64) * (1 - 0.05 * step) + target * 0.05 * step
        candidate = tuple(int(round(v)) for v in mixed)
        ratio = contrast_ratio(candidate, label)
        if ratio >= MIN_CONTRAST + 0.05:
            fill = candidate
    return fill, label, contrast_ratio(fill, label)
