"""Fit text into a box: word wrapping and a binary search over font size.

Nothing is ever cut off: a text either fits whole at some size between the bounds,
or the caller learns it does not fit and decides what to drop.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from studio.engine.hyphenate import split_word
from studio.engine.locales import rtl_supported

DEFAULT_FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
LINE_GAP = 0.12  # extra space between lines, as a fraction of the font size


@lru_cache(maxsize=512)
def load_font(font_dir: str, weight: str, size: int) -> ImageFont.FreeTypeFont:
    # libraqm shapes and reorders right-to-left scripts; without it only left-to-right
    # locales are accepted (see studio.engine.locales).
    engine = ImageFont.Layout.RAQM if rtl_supported() else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(Path(font_dir) / FONT_FILES[weight]), size, layout_engine=engine)


@dataclass
class FittedText:
    text: str
    lines: list[str]
    size: int
    weight: str
    font_dir: str

    @property
    def font(self) -> ImageFont.FreeTypeFont:
        return load_font(self.font_dir, self.weight, self.size)

    @property
    def line_height(self) -> int:
        ascent, descent = self.font.getmetrics()
        return ascent + descent

    @property
    def step(self) -> int:
        return self.line_height + round(LINE_GAP * self.size)

    @property
    def width(self) -> int:
        return max(round(self.font.getlength(line)) for line in self.lines)

    @property
    def height(self) -> int:
        return self.step * (len(self.lines) - 1) + self.line_height


def wrap(
    text: str, font: ImageFont.FreeTypeFont, width: float, hyphenate: str = ""
) -> list[str] | None:
    """Greedy word wrap; None when a single word is wider than the box, unless
    `hyphenate` names the text's language and the word breaks at a hyphenation point."""
    lines: list[str] = []
    for word in text.split():
        pieces = [word]
        if font.getlength(word) > width:
            fits = lambda piece: font.getlength(piece) <= width  # noqa: E731
            pieces = split_word(word, fits, hyphenate) if hyphenate else None
            if pieces is None:
                return None
        for index, piece in enumerate(pieces):
            if index == 0 and lines and font.getlength(f"{lines[-1]} {piece}") <= width:
                lines[-1] = f"{lines[-1]} {piece}"
            else:
                lines.append(piece)
    return lines


def _try(text, size, weight, font_dir, width, height, hyphenate="") -> FittedText | None:
    lines = wrap(text, load_font(font_dir, weight, size), width, hyphenate)
    if not lines:
        return None
    fitted = FittedText(text, lines, size, weight, font_dir)
    return fitted if fitted.width <= width and fitted.height <= height else None


def fit(
    text, width, height, *, weight, font_dir, min_size, max_size, language=""
) -> FittedText | None:
    """The largest size in [min_size, max_size] at which text wraps into width x height.
    Words are hyphenated (in `language`) only when the text fits no other way."""
    found = _search(text, width, height, weight, font_dir, min_size, max_size, "")
    if found is None and language:
        found = _search(text, width, height, weight, font_dir, min_size, max_size, language)
    return found


def _search(text, width, height, weight, font_dir, min_size, max_size, hyphenate):
    font_dir = str(font_dir or DEFAULT_FONT_DIR)
    if not text.strip() or width <= 0 or height <= 0:
        return None
    best = None
    low, high = min_size, max(min_size, int(max_size))
    while low <= high:
        mid = (low + high) // 2
        fitted = _try(text, mid, weight, font_dir, width, height, hyphenate)
        if fitted:
            best, low = fitted, mid + 1
        else:
            high = mid - 1
    return best
