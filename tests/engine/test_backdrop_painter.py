import hashlib

import numpy as np
import pytest
from PIL import Image, ImageDraw

from studio.engine.painter.backdrop import STUDIO_STYLES, STYLES, BackdropPainter, choose_style
from studio.engine.types import BackgroundRequest, EngineError, ImageRequest

PALETTE = ("#14532D", "#F97316", "#F5F5F4", "#1C1917")
FORMATS = [(1080, 1080), (1080, 1920), (1200, 628), (728, 90), (160, 600), (300, 250)]
# Styles whose floor is a horizon (a tonal edge across the frame) vs. a raised top face.
HORIZON_STYLES = ("seamless", "gel", "window", "tabletop", "outdoor")
RAISED_STYLES = ("podium", "plinth")


def paint(style=None, seed=1, width=480, height=480, concept="a product", **kwargs):
    request = BackgroundRequest(
        concept=concept,
        seed=seed,
        width=width,
        height=height,
        palette=PALETTE,
        style=style,
        **kwargs,
    )
    return BackdropPainter().paint_backgrounds([request])[0]


def digest(image):
    return hashlib.sha256(image.tobytes()).hexdigest()


def stage_profile(painted, half_band=0.05):
    """Mean luminance per row over a narrow band of columns at the stage's centre."""
    lum = np.asarray(painted.image.convert("L"), np.float32)
    stage_x = painted.lineage.get("stage_x", 0.5)
    width = lum.shape[1]
    lo = int(max(0, (stage_x - half_band) * width))
    hi = int(min(width, (stage_x + half_band) * width)) + 1
    profile = lum[:, lo:hi].mean(axis=1)
    return np.convolve(profile, np.ones(3) / 3, mode="same")


@pytest.mark.parametrize("style", list(STYLES))
def test_every_style_is_deterministic_by_seed(style):
    first, again = paint(style, seed=11), paint(style, seed=11)
    assert digest(first.image) == digest(again.image)
    assert first.lineage == again.lineage and first.floor_y == again.floor_y
    assert digest(paint(style, seed=12).image) != digest(first.image)
    assert first.lineage["style"] == style and first.lineage["seed"] == 11


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("size", FORMATS)
def test_painted_natively_at_every_format(style, size):
    painted = paint(style, seed=3, width=size[0], height=size[1])
    assert painted.image.size == size and painted.image.mode == "RGB"
    assert 0.5 < painted.floor_y < 0.97
    assert painted.lineage["size"] == list(size)
    # Not one flat colour: a set has light falloff.
    assert np.asarray(painted.image.convert("L")).std() > 2


@pytest.mark.parametrize("style", HORIZON_STYLES)
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("size", [(1080, 1080), (1080, 1920), (1200, 628)])
def test_the_horizon_painted_is_the_floor_line_reported(style, seed, size):
    painted = paint(style, seed=seed, width=size[0], height=size[1])
    profile = stage_profile(painted, half_band=0.3)
    height = size[1]
    # A soft horizon is a step spread over a few percent of the height: compare the
    # mean just below each row with the mean just above it.
    k = max(2, int(0.03 * height))
    cums = np.concatenate([[0.0], np.cumsum(profile)])
    rows = np.arange(max(k, int(0.3 * height)), min(height - k, int(0.97 * height)))
    below = (cums[rows + k] - cums[rows]) / k
    above = (cums[rows] - cums[rows - k]) / k
    edge = int(rows[np.argmax(np.abs(below - above))])
    assert abs(edge / height - painted.floor_y) < 0.025, (edge / height, painted.floor_y)


@pytest.mark.parametrize("style", RAISED_STYLES)
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("size", [(1080, 1080), (1080, 1920), (1200, 628)])
def test_the_floor_line_is_the_middle_of_the_raised_top_face(style, seed, size):
    """On a podium or plinth the product stands on the top face: the floor line lies
    midway between its back edge and its front edge, the nearest strong edges around it."""
    painted = paint(style, seed=seed, width=size[0], height=size[1])
    profile = stage_profile(painted)
    height = size[1]
    floor = round(painted.floor_y * height)
    # Edges are upscaled from the soft canvas: measure each step across a few rows.
    k = max(1, height // 300)
    steps = np.zeros_like(profile)
    steps[k:-k] = np.abs(profile[2 * k :] - profile[: -2 * k])
    reach = int(0.12 * height)
    window = steps[floor - reach : floor + reach]
    strong = np.flatnonzero(window > 0.3 * window.max()) + floor - reach
    back, front = strong[strong < floor].max(), strong[strong > floor].min()
    assert back < floor < front
    assert abs((back + front) / 2 - floor) / height < 0.02


def test_outdoor_is_chosen_when_the_concept_asks_for_outdoors():
    outdoor_concepts = [
        "Summit 2 on a mountain trail at golden hour",
        "the jacket outdoors, wide landscape",
        "a bottle on the beach at sunset",
    ]
    for concept in outdoor_concepts:
        for seed in range(8):
            assert choose_style(concept, seed)[0] == "outdoor"
    painted = paint(concept="Summit 2 on a mountain trail", seed=5)
    assert painted.lineage["style"] == "outdoor"
    assert painted.lineage["details"]["concept_word"] == "mountain"


def test_studio_concepts_spread_over_every_studio_style_by_seed():
    chosen = {choose_style("a clean product shot", seed)[0] for seed in range(80)}
    assert chosen == set(STUDIO_STYLES)
    assert choose_style("the serum on a marble vanity", 4)[0] == "tabletop"


def test_unknown_style_and_bad_size_are_refused():
    with pytest.raises(EngineError, match="Unknown backdrop style"):
        paint("confetti")
    with pytest.raises(EngineError, match="positive"):
        paint("seamless", width=0)


def test_brand_colour_roles_gel_the_set():
    warm = paint("gel", seed=2, colours=(("accent", "#FF6A00"), ("cta", "#FF2200")))
    cool = paint("gel", seed=2, colours=(("accent", "#0066FF"), ("cta", "#0022FF")))
    warm_rgb = np.asarray(warm.image, np.float32).reshape(-1, 3).mean(axis=0)
    cool_rgb = np.asarray(cool.image, np.float32).reshape(-1, 3).mean(axis=0)
    assert warm_rgb[0] > warm_rgb[2] and cool_rgb[2] > cool_rgb[0]
    assert warm.lineage["colours"]["accent"] == "#FF6A00"


def test_product_box_sets_the_stage_and_floor():
    painted = paint("podium", seed=4, width=1200, height=628, product_box=(700, 200, 900, 500))
    assert painted.floor_y == pytest.approx(500 / 628)
    assert painted.lineage["stage_x"] == pytest.approx(800 / 1200, abs=1e-3)


@pytest.fixture
def product_png(tmp_path):
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).rounded_rectangle((20, 10, 280, 190), 24, fill=(30, 200, 60, 255))
    path = tmp_path / "product.png"
    image.save(path)
    return str(path)


def test_legacy_paint_stands_the_product_on_the_floor_with_a_contact_shadow(product_png):
    request = ImageRequest(
        prompt="a clean studio shot",
        seed=9,
        width=640,
        height=640,
        palette=PALETTE,
        product_image_path=product_png,
    )
    painted = BackdropPainter().paint([request])[0]
    again = BackdropPainter().paint([request])[0]
    assert digest(painted.image) == digest(again.image)
    x0, y0, x1, y1 = painted.lineage["product_box"]
    assert abs(y1 - painted.lineage["floor_y"] * 640) <= 1
    assert abs((x1 - x0) / (y1 - y0) - 260 / 180) < 0.05  # the padding is cropped off
    pixels = np.asarray(painted.image, np.int32)
    assert tuple(pixels[(y0 + y1) // 2, (x0 + x1) // 2]) == (30, 200, 60)
    bare = np.asarray(
        paint(
            concept=request.prompt, seed=9, width=640, height=640, product_box=(x0, y0, x1, y1)
        ).image,
        np.int32,
    )
    under = (min(y1 + 2, 639), (x0 + x1) // 2)
    assert pixels[under].sum() < bare[under].sum() - 30  # darker where the product stands


@pytest.fixture
def landscape_jpg(tmp_path):
    """A photo with its ground line at 60 % of its height: sky above, earth below."""
    image = Image.new("RGB", (900, 600), (110, 160, 215))
    ImageDraw.Draw(image).rectangle((0, 360, 900, 600), (95, 75, 45))
    path = tmp_path / "landscape.jpg"
    image.save(path, quality=92)
    return str(path)


@pytest.mark.parametrize("size", FORMATS)
def test_library_photo_is_cover_cropped_natively_with_its_floor_where_it_landed(
    landscape_jpg, size
):
    painted = paint(width=size[0], height=size[1], asset_path=landscape_jpg, asset_floor=0.6)
    assert painted.image.size == size and painted.lineage["source"] == "library"
    assert painted.lineage["asset"] == "landscape.jpg"
    lum = np.asarray(painted.image.convert("L"), np.float32).mean(axis=1)
    edge = int(np.argmax(np.abs(np.diff(lum))))
    assert abs((edge + 1) / size[1] - painted.floor_y) < 0.02, (edge, painted.floor_y)


def test_library_grade_leans_toward_the_brand_but_keeps_the_photo(landscape_jpg):
    crop = Image.open(landscape_jpg).convert("RGB").resize((600, 400))
    painted = paint(width=600, height=400, asset_path=landscape_jpg, asset_floor=0.6)
    original = np.asarray(crop, np.float32)
    graded = np.asarray(painted.image, np.float32)
    sky_before, sky_after = original[50:150].mean(axis=(0, 1)), graded[50:150].mean(axis=(0, 1))
    assert sky_after[2] > sky_after[0]  # the sky is still blue: a grade, not a tint
    assert np.abs(sky_after - sky_before).max() > 4  # but it did move toward the brand
    assert graded.std() > 0.6 * original.std()


def test_missing_library_photo_is_a_clear_engine_error(tmp_path):
    with pytest.raises(EngineError, match="Library image not found"):
        paint(asset_path=str(tmp_path / "gone.jpg"))


@pytest.mark.parametrize("photo", [(640, 427), (427, 640), (1000, 1000)])
def test_cover_crop_fits_photos_whose_side_matches_the_format_exactly(tmp_path, photo):
    """1920 / (1920 / 427) is a hair over 427 in floating point: still a valid crop."""
    path = tmp_path / "odd.jpg"
    Image.new("RGB", photo, (90, 120, 60)).save(path)
    for size in FORMATS:
        assert paint(width=size[0], height=size[1], asset_path=str(path)).image.size == size


def test_any_integer_seed_paints():
    for seed in (-1, 2**40, -(2**70)):
        assert paint("seamless", seed=seed, width=64, height=48).image.size == (64, 48)


@pytest.mark.parametrize("style", list(STYLES))
def test_one_variant_gets_the_same_set_in_every_format(style):
    """Style, paper, gels and light come from the seed, not from the format's size."""
    seen = []
    for width, height in FORMATS:
        painted = paint(style, seed=21, width=width, height=height)
        boxed = paint(
            style,
            seed=21,
            width=width,
            height=height,
            product_box=(width // 3, height // 4, 2 * width // 3, 3 * height // 4),
        )
        for result in (painted, boxed):
            details = {k: v for k, v in result.lineage["details"].items() if k != "radius"}
            seen.append((result.lineage["style"], result.light_x, repr(sorted(details.items()))))
    assert len(set(seen)) == 1, set(seen)


def test_the_seed_picks_the_style_whatever_the_format():
    for seed in range(12):
        styles = {
            paint(seed=seed, width=w, height=h, concept="a clean shot").lineage["style"]
            for w, h in FORMATS
        }
        assert len(styles) == 1
