"""Locales of ad copy: the language a locale asks for, its script direction, and whether
this install can draw right-to-left scripts correctly.

Right-to-left scripts (Arabic, Hebrew, Persian...) need bidi reordering and glyph shaping;
Pillow does both only through its libraqm layout engine. Without it, joined Arabic letters
come out isolated and in the wrong order, so such locales are refused, never drawn wrong.
"""

from __future__ import annotations

import re

LOCALE_RE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*\Z")
RTL_LANGUAGES = frozenset({"ar", "he", "iw", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})
LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
    "pl": "Polish",
    "sv": "Swedish",
    "da": "Danish",
    "ar": "Arabic",
    "he": "Hebrew",
    "fa": "Persian",
    "ur": "Urdu",
    "ja": "Japanese",
    "zh": "Chinese",
}


def language_of(locale: str) -> str:
    """ "de-DE" -> "de"; "" -> "" (no preference)."""
    return re.split(r"[-_]", (locale or "").strip(), maxsplit=1)[0].lower()


def language_name(language: str) -> str:
    return LANGUAGE_NAMES.get(language, language)


def is_rtl(locale: str) -> bool:
    return language_of(locale) in RTL_LANGUAGES


def rtl_supported() -> bool:
    """True when Pillow can shape and reorder right-to-left text (libraqm is present)."""
    from PIL import features

    return bool(features.check("raqm"))


def locale_problem(locale: str) -> str | None:
    """Why this install cannot write ads for the locale, or None when it can."""
    if not locale:
        return None
    if not LOCALE_RE.match(locale):
        return f"“{locale}” is not a locale; write a language code like de or de-DE."
    if is_rtl(locale) and not rtl_supported():
        return (
            f"{language_name(language_of(locale))} is written right to left, and this install "
            "cannot shape right-to-left text (Pillow was built without libraqm): install "
            "libraqm (Debian: apt install libraqm0) and restart, or choose another locale."
        )
    return None
