"""Break a word too wide for its box at a correct hyphenation point of its language.

German compounds ("Wettkampfvorbereitung") are often wider than a 160 px skyscraper
column at any legible size; without hyphenation the layout had to drop the text. Pyphen
applies the LibreOffice/TeX hyphenation patterns for the copy's language.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

HYPHEN = "-"


@lru_cache(maxsize=32)
def _dictionary(language: str):
    import pyphen

    found = pyphen.language_fallback(language or "")
    return pyphen.Pyphen(lang=found) if found else None


def split_word(word: str, fits: Callable[[str], bool], language: str) -> list[str] | None:
    """Pieces of word, each but the last ending in a hyphen, each passing `fits`; None
    when even the shortest piece is too wide (or the language has no patterns)."""
    dictionary = _dictionary(language)
    if dictionary is None:
        return None
    pieces: list[str] = []
    rest = word
    while not fits(rest):
        points = {p for p in dictionary.positions(rest) if 0 < p < len(rest)}
        # An existing hyphen in a compound is a break point too ("Trail-Schuh").
        points |= {i + 1 for i, c in enumerate(rest[:-1]) if c == HYPHEN}
        cut = next((p for p in sorted(points, reverse=True) if fits(_head(rest, p))), None)
        if cut is None:
            return None
        pieces.append(_head(rest, cut))
        rest = rest[cut:]
    return [*pieces, rest]


def _head(word: str, cut: int) -> str:
    return word[:cut] if word[cut - 1] == HYPHEN else word[:cut] + HYPHEN
