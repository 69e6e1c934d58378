import numpy as np
import pytest
from PIL import Image, ImageDraw

from studio.engine.layout import contrast_ratio, cover_crop, measure_text_contrast, render
from studio.engine.painter.procedural import ProceduralPainter
from studio.engine.types import AdCopy, BrandBrief, FormatSpec, ImageRequest

FORMATS = [
    FormatSpec("square", 1080, 1080),
    FormatSpec("landscape", 1200, 628),
    FormatSpec("story", 1080, 1920),
    FormatSpec("mrec", 300, 250),
    FormatSpec("leaderboard", 728, 90),
    FormatSpec("skyscraper", 160, 600),
]
LONG_COPY = AdCopy(
    headline="Healthy dinners for busy parents, sorted",  # 40 characters, the limit
    body=(
        "Fresh, chef-designed meal kits delivered weekly, ready in 20 minutes so you can "
        "spend more time with the kids at the table."
    ),
    cta="Get your first box",
    image_prompt="unused",
)
TEXTS = ("headline", "body", "cta", "disclaimer")


@pytest.fixture(scope="module")
def logo_path(tmp_path_factory):
    logo = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((0, 0, 199, 99), fill=(220, 40, 90, 255))
    path = tmp_path_factory.mktemp("logo") / "logo.png"
    logo.save(path)
    return str(path)


@pytest.fixture(scope="module")
def brand(logo_path):
    return BrandBrief(
        name="FreshBox",
        palette=("#1F2937", "#F59E0B", "#FFFFFF"),
        disclaimer="New customers only. Terms apply; see site for details.",
        logo_path=logo_path,
    )


def backgrounds():
    rng = np.random.default_rng(0)
    noise = Image.fromarray(rng.integers(0, 256, (480, 640, 3), dtype=np.uint8))
    painted = (
        ProceduralPainter()
        .paint(
            [
                ImageRequest(
                    prompt="x", seed=1, width=512, height=512, palette=("#777777", "#F59E0B")
                )
            ]
        )[0]
        .image
    )
    grey = Image.new("RGB", (640, 480), (119, 119, 119))  # 4.48:1 with white: neither passes
    return {"noise": noise, "procedural": painted, "grey": grey}


BACKGROUNDS = backgrounds()


def inside(box, size):
    x0, y0, x1, y1 = box
    return 0 <= x0 < x1 <= size[0] and 0 <= y0 < y1 <= size[1]


def test_contrast_ratio_reference_values():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((10, 20, 30), (10, 20, 30)) == pytest.approx(1.0)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    image = Image.new("RGB", (10, 10), (255, 255, 255))
    image.putpixel((5, 5), (0, 0, 0))  # the worst pixel decides
    assert measure_text_contrast(image, (0, 0, 10, 10), (0, 0, 0)) == pytest.approx(1.0)


@pytest.mark.parametrize("background", sorted(BACKGROUNDS))
@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.slug)
def test_render_is_exact_whole_and_readable(fmt, background, brand):
    result = render(BACKGROUNDS[background], LONG_COPY, brand, fmt)
    size = (fmt.width, fmt.height)
    assert result.image.size == size and result.image.mode == "RGB"
    assert "headline" in result.boxes and "cta" in result.boxes
    drawn = [name for name in TEXTS if name in result.boxes]
    assert set(drawn) | set(result.dropped) == set(TEXTS)
    for name in [*drawn, "logo", "cta_button"]:
        assert inside(result.boxes[name], size), name
    for name in drawn:
        colour = result.text_colours[name]
        # Measured here, on the pixels really behind the glyphs.
        assert measure_text_contrast(result.background, result.boxes[name], colour) >= 4.5, name
        assert result.contrast[name] >= 4.5
    assert_glyphs_inside_their_boxes(result, drawn)


def assert_glyphs_inside_their_boxes(result, names):
    """Glyphs are the only change after the background; every changed pixel must lie in
    a text box, so no text spills out of its box or off the canvas."""
    changed = np.any(np.asarray(result.image) != np.asarray(result.background), axis=2)
    allowed = np.zeros_like(changed)
    for name in names:
        x0, y0, x1, y1 = result.boxes[name]
        assert changed[y0:y1, x0:x1].any(), f"{name} was not drawn"
        allowed[y0:y1, x0:x1] = True
    assert not (changed & ~allowed).any()


def test_text_boxes_do_not_overlap(brand):
    for fmt in FORMATS:
        boxes = render(BACKGROUNDS["noise"], LONG_COPY, brand, fmt).boxes
        names = [n for n in TEXTS if n in boxes]
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                ax0, ay0, ax1, ay1 = boxes[a]
                bx0, by0, bx1, by1 = boxes[b]
                assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, (fmt.slug, a, b)


def test_layout_kind_follows_aspect_ratio(brand):
    kinds = {f.slug: render(BACKGROUNDS["grey"], LONG_COPY, brand, f).layout for f in FORMATS}
    assert kinds["square"] == kinds["story"] == kinds["skyscraper"] == "stacked"
    assert kinds["landscape"] == "side" and kinds["leaderboard"] == "banner"


def test_cta_button_uses_a_palette_colour(brand):
    result = render(BACKGROUNDS["noise"], LONG_COPY, brand, FORMATS[0])
    x0, y0, x1, y1 = result.boxes["cta_button"]
    fill = result.background.getpixel(((x0 + x1) // 2, y0 + 3))
    assert "#{:02X}{:02X}{:02X}".format(*fill) in brand.palette


def test_body_is_dropped_before_headline():
    brand = BrandBrief(name="X")
    unbreakable = AdCopy("W" * 40, "Some body copy that would fit.", "Go", "x")
    result = render(BACKGROUNDS["grey"], unbreakable, brand, FormatSpec("sky", 160, 600))
    assert result.dropped[:2] == ["body", "headline"]
    assert "cta" in result.boxes and "headline" not in result.boxes


def test_short_copy_keeps_everything_and_no_logo_without_path():
    brand = BrandBrief(name="X", disclaimer="Terms apply.")
    short = AdCopy("Run faster", "Light shoes for long runs.", "Shop now", "x")
    for fmt in FORMATS:
        result = render(BACKGROUNDS["procedural"], short, brand, fmt)
        assert result.dropped == [], fmt.slug
        assert "logo" not in result.boxes


def test_cover_crop_fills_extreme_ratios():
    image = Image.new("RGB", (512, 512), (200, 10, 10))
    for width, height in ((728, 90), (160, 600), (1080, 1920)):
        cropped = cover_crop(image, width, height)
        assert cropped.size == (width, height)
        assert cropped.getpixel((0, 0)) == (200, 10, 10)


def test_unreadable_logo_is_a_note_not_a_crash(tmp_path):
    broken = tmp_path / "logo.png"
    broken.write_bytes(b"not a png")
    brand = BrandBrief(name="X", logo_path=str(broken))
    result = render(BACKGROUNDS["grey"], LONG_COPY, brand, FORMATS[0])
    assert "logo" not in result.boxes and result.notes
