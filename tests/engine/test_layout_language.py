"""Layout in the copy's language: long German compounds are hyphenated rather than
dropped, and right-to-left scripts are shaped by libraqm (or refused where it is absent)."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from studio.engine import layout, textfit
from studio.engine.layers import Layers
from studio.engine.locales import locale_problem, rtl_supported
from studio.engine.types import AdCopy, BrandBrief, FormatSpec

BRAND = BrandBrief(name="Trailhead", palette=("#14532D", "#F97316", "#F5F5F4"))


def layers(fmt: FormatSpec) -> Layers:
    return Layers(Image.new("RGB", (fmt.width, fmt.height), (40, 90, 60)))


GERMAN = AdCopy(
    "Wettkampfvorbereitung ohne Blasen",
    "Summit 2 dämpft jeden Downhill. Das Ergebnis: Langstreckenläuferbeine im Ziel.",
    "Jetzt kaufen",
    "shoe",
    language="de",
)
SKYSCRAPER = FormatSpec("skyscraper-160x600", 160, 600)


def unhyphenate(lines: list[str]) -> str:
    text = ""
    for line in lines:
        text += line[:-1] if line.endswith("-") and line[-2:-1].isalpha() else line + " "
    return " ".join(text.split())


def test_long_german_words_are_hyphenated_not_dropped():
    result = layout.render(layers(SKYSCRAPER), GERMAN, BRAND, SKYSCRAPER)
    assert result.dropped == [] and {"headline", "body", "cta"} <= set(result.font_sizes)
    # The same copy without a language to hyphenate in loses its headline and body.
    plain = AdCopy(GERMAN.headline, GERMAN.body, GERMAN.cta, "shoe", language="")
    assert "headline" in layout.render(layers(SKYSCRAPER), plain, BRAND, SKYSCRAPER).dropped


def test_hyphenated_lines_keep_every_letter_and_break_at_syllables():
    fitted = textfit.fit(
        GERMAN.headline, 120, 200, font_path=textfit.default_font("bold"), min_size=10,
        max_size=40, language="de",
    )  # fmt: skip
    assert fitted is not None and any(line.endswith("-") for line in fitted.lines)
    assert unhyphenate(fitted.lines) == GERMAN.headline
    assert all(fitted.font.getlength(line) <= 120 for line in fitted.lines)
    # Hyphenation is a last resort: text that fits whole is not broken.
    whole = textfit.fit(
        "Summit 2 greift auf nassem Fels", 400, 200, font_path=textfit.default_font("bold"),
        min_size=10, max_size=40, language="de",
    )  # fmt: skip
    assert not any(line.endswith("-") for line in whole.lines)


ARABIC = "سلام عليكم"


def _draw(font) -> Image.Image:
    image = Image.new("L", (420, 90), 0)
    ImageDraw.Draw(image).text((10, 10), ARABIC, font=font, fill=255)
    return image


def test_right_to_left_text_is_shaped_or_the_locale_is_refused():
    if not rtl_supported():
        assert "right to left" in locale_problem("ar-EG")
        pytest.skip("Pillow has no libraqm here: right-to-left locales are refused instead")
    font = textfit.load_font(textfit.default_font("bold"), 48)
    assert font.layout_engine == ImageFont.Layout.RAQM
    path = str(textfit.DEFAULT_FONT_DIR / textfit.FONT_FILES["bold"])
    basic = ImageFont.truetype(path, 48, layout_engine=ImageFont.Layout.BASIC)
    # Shaped: joined letters are narrower than the isolated forms the basic engine draws.
    assert font.getlength(ARABIC) < 0.9 * basic.getlength(ARABIC)
    assert ImageChops.difference(_draw(font), _draw(basic)).getbbox() is not None
    copy = AdCopy("حذاء الجري الجديد", "خفيف ومريح على كل الطرق الجبلية.", "تسوق الآن", "x")
    square = FormatSpec("square-1080", 1080, 1080)
    result = layout.render(layers(square), copy, BRAND, square)
    assert result.dropped == []
    assert locale_problem("ar-EG") is None
