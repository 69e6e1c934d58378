"""Fit text into a box: word wrapping and a binary search over font size.

Nothing is ever cut off: a text either fits whole at some size between the bounds,
or the caller learns it does not fit and decides what to drop. Names passed as
`keep` (the product's, the brand's) are wrapped as one word, so they never break.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from studio.engine.hyphenate import split_word
from studio.engine.locales import rtl_supported

DEFAULT_FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
LINE_GAP = 0.12  # extra space between lines, as a fraction of the font size
GLUE = "\u2060"  # word joiner: marks the spaces inside a name; never drawn


def default_font(weight: str) -> str:
    return str(DEFAULT_FONT_DIR / FONT_FILES[weight])


@lru_cache(maxsize=1024)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    # libraqm shapes and reorders right-to-left scripts; without it only left-to-right
    # locales are accepted (see studio.engine.locales).
    engine = ImageFont.Layout.RAQM if rtl_supported() else ImageFont.Layout.BASIC
    return ImageFont.truetype(path, size, layout_engine=engine)


@dataclass
class FittedText:
    text: str
    lines: list[str]
    size: int
    font_path: str

    @property
    def font(self) -> ImageFont.FreeTypeFont:
        return load_font(self.font_path, self.size)

    @property
    def line_height(self) -> int:
        ascent, descent = self.font.getmetrics()
        return ascent + descent

    @property
    def step(self) -> int:
        return self.line_height + round(LINE_GAP * self.size)

    @property
    def width(self) -> int:
        return max(round(_length(self.font_path, self.size, line)) for line in self.lines)

    @property
    def height(self) -> int:
        return self.step * (len(self.lines) - 1) + self.line_height


def words_of(text: str, keep: tuple[str, ...] = ()) -> list[str]:
    """Words to wrap, with each name in `keep` held together as one word."""
    for name in sorted((k for k in keep if " " in k.strip()), key=len, reverse=True):
        text = text.replace(name, name.replace(" ", GLUE))
    return [word.replace(GLUE, " ") for word in text.split()]


@lru_cache(maxsize=8192)
def _length(path: str, size: int, text: str) -> float:
    return load_font(path, size).getlength(text)


def wrap(
    words: list[str], font: ImageFont.FreeTypeFont, width: float, hyphenate: str = ""
) -> list[str] | None:
    """Greedy word wrap; None when a single word (or name) is wider than the box, unless
    `hyphenate` names the text's language and the word breaks at a hyphenation point.

    Word widths are measured once per font and size (cached) and a line's width is
    their sum plus the spaces; each finished line is then measured whole, so kerning
    across a space can never make a line wider than the box."""
    path, size = font.path, font.size
    space = _length(path, size, " ")
    lines: list[list[str]] = []
    used = 0.0
    for word in _hyphenated(words, path, size, width, hyphenate):
        if word is None:
            return None
        w = _length(path, size, word)
        if lines and used + space + w <= width:
            lines[-1].append(word)
            used += space + w
        else:
            lines.append([word])
            used = w
    out = [" ".join(line) for line in lines]
    if any(_length(path, size, line) > width for line in out):
        return None
    return out


def _hyphenated(words, path, size, width, hyphenate):
    """The words, with each one wider than the box split at its hyphenation points
    (None in its place where it cannot be)."""
    for word in words:
        if _length(path, size, word) <= width:
            yield word
            continue
        pieces = None
        if hyphenate and " " not in word:  # a kept name is never hyphenated
            pieces = split_word(word, lambda piece: _length(path, size, piece) <= width, hyphenate)
        yield from pieces or [None]


def _try(text, words, size, font_path, width, height, max_lines, hyphenate="") -> FittedText | None:
    lines = wrap(words, load_font(font_path, size), width, hyphenate)
    if not lines or len(lines) > max_lines:
        return None
    fitted = FittedText(text, lines, size, font_path)
    return fitted if fitted.width <= width and fitted.height <= height else None


@lru_cache(maxsize=4096)
def _fit_cached(text, width, height, font_path, min_size, max_size, keep, max_lines, hyphenate):
    words = words_of(text, keep)
    best = None
    low, high = min_size, max(min_size, int(max_size))
    while low <= high:
        mid = (low + high) // 2
        fitted = _try(text, words, mid, font_path, width, height, max_lines, hyphenate)
        if fitted:
            best, low = fitted, mid + 1
        else:
            high = mid - 1
    return _balanced(best, words, width) if best and len(best.lines) > 1 else best


def _balanced(fitted: FittedText, words: list[str], width: int) -> FittedText:
    """The same number of lines at the narrowest measure that still holds them: even
    lines instead of a long one over a lonely word (a designer's rag)."""
    font = load_font(fitted.font_path, fitted.size)
    low, high = 1, int(width)
    best = fitted.lines
    while low <= high:
        mid = (low + high) // 2
        lines = wrap(words, font, mid)
        if lines and len(lines) <= len(fitted.lines):
            best, high = lines, mid - 1
        else:
            low = mid + 1
    return replace(fitted, lines=best)


def fit(
    text: str,
    width: float,
    height: float,
    *,
    font_path: str,
    min_size: int,
    max_size: float,
    keep: tuple[str, ...] = (),
    max_lines: int = 6,
    language: str = "",
) -> FittedText | None:
    """The largest size in [min_size, max_size] at which text wraps into width x height.
    Words are hyphenated (in `language`) only when the text fits no other way."""
    if not text.strip() or width <= 0 or height <= 0:
        return None
    # The same disclaimer, CTA or headline meets the same box in every variant and
    # template of a round: the search runs once per distinct question.
    question = (text, int(width), int(height), font_path, int(min_size), int(max_size),
                tuple(keep), max_lines)  # fmt: skip
    found = _fit_cached(*question, "")
    if found is None and language:
        found = _fit_cached(*question, language)
    return replace(found, lines=list(found.lines)) if found else None
