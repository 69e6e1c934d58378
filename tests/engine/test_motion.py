"""Animated creatives (studio/engine/motion): files read back with PyAV and Pillow, and
every frame held to the still's rules (safe area, type size, product uncovered)."""

from __future__ import annotations

import hashlib
import struct

import numpy as np
import pytest
from PIL import Image, ImageSequence

from campaigns.demo_art import draw_logo, draw_shoe
from studio.engine import layout, placement
from studio.engine.checks import inside, intersects
from studio.engine.layers import Layers
from studio.engine.motion import (
    BANNER_SIZES,
    VIDEO_SIZES,
    ClipSpec,
    read_frames,
    render_clip,
    timeline,
    video_format,
)
from studio.engine.motion.banner import encode_banner, plays_of
from studio.engine.motion.compose import Compositor
from studio.engine.motion.render import pick_motion
from studio.engine.motion.sprites import build_scene
from studio.engine.painter.procedural import ProceduralPainter
from studio.engine.types import AdCopy, BackgroundRequest, BrandBrief, EngineError, FormatSpec

COPY = AdCopy(
    headline="Summit 2: grip that goes further",
    body="Responsive foam and a grippy outsole for every muddy mile.",
    cta="Shop Summit 2",
    image_prompt="unused",
    badge="-20 %",
)
BRAND = BrandBrief(
    name="Trailhead Outfitters",
    palette=("#14532D", "#F97316", "#F5F5F4", "#1C1917"),
    disclaimer="New customers only. Terms apply; see site for details.",
    cta_shape="pill",
)
STORY = FormatSpec("story-1080x1920", 1080, 1920)
SQUARE = FormatSpec("square-1080", 1080, 1080)
MREC = FormatSpec("mrec-300x250", 300, 250)


def layers_for(fmt: FormatSpec, seed: int = 3) -> Layers:
    request = BackgroundRequest(
        concept="trail", seed=seed, width=fmt.width, height=fmt.height, palette=BRAND.palette
    )
    background = ProceduralPainter().paint_backgrounds([request])[0].image
    shoe, logo = draw_shoe(), draw_logo()
    return Layers(background, product=shoe.crop(shoe.getbbox()), logo=logo.crop(logo.getbbox()))


def clip(fmt, seconds, tmp_path, name, **kw):
    spec_kw = {k: kw.pop(k) for k in ("kind", "fps", "loops") if k in kw}
    spec = ClipSpec(fmt, seconds, **spec_kw)
    return render_clip(
        layers_for(fmt), COPY, BRAND, spec, out_path=str(tmp_path / name),
        product_name="Summit 2", **kw,
    )  # fmt: skip


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """The real thing, rendered once: a 6 s 1080x1920 clip."""
    return clip(STORY, 6, tmp_path_factory.mktemp("story"), "story.mp4", motion="pan-slide")


def decode(path: str) -> list[np.ndarray]:
    import av

    with av.open(path) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def top_level_boxes(path: str) -> list[str]:
    """The MP4's top-level box types in file order (size + type headers)."""
    kinds = []
    with open(path, "rb") as handle:
        data = handle.read()
    at = 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        if size == 1:
            size = struct.unpack(">Q", data[at + 8 : at + 16])[0]
        kinds.append(kind.decode("ascii"))
        at += size if size else len(data)
    return kinds


def test_story_clip_reads_back_as_h264_high_yuv420p_with_moov_first(story):
    import av

    with av.open(story.path) as container:
        video = container.streams.video[0]
        assert [s.type for s in container.streams] == ["video"]  # silent: no audio track
        ctx = video.codec_context
        assert (ctx.name, ctx.profile, video.format.name) == ("h264", "High", "yuv420p")
        assert (video.width, video.height) == (1080, 1920)
        assert video.average_rate == 30
        assert container.duration / av.time_base == pytest.approx(6.0, abs=1 / 30)
        assert ctx.colorspace == 1  # tagged BT.709
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == story.frames == 180
    boxes = top_level_boxes(story.path)
    assert boxes.index("moov") < boxes.index("mdat"), boxes  # +faststart
    assert (story.codec, story.fps, story.seconds) == ("h264", 30, 6.0)
    assert story.poster.size == (1080, 1920)
    sampled = read_frames(story.path, 6)
    assert len(sampled) == 6 and all(f.size == (1080, 1920) for f in sampled)


def test_product_pixels_intact_after_its_entrance(story):
    """Opaque product pixels in decoded frames match the product the still placed.

    Tolerance: the reference is the expected frame sent through the same RGB -> BT.709
    yuv420p -> RGB conversion without encoding, so chroma subsampling (which alone moves
    colour edges inside the shoe by tens of levels) cancels out and only x264's loss
    remains. At CRF 21 that is about 40 dB PSNR; we ask 34 dB over the product and no
    8x8 block off by more than 24 levels on average, which an element drawn over the
    product (a button, a line of text: differences of 100+ levels) cannot pass."""
    still = layout.render(layers_for(STORY), COPY, BRAND, STORY, product_name="Summit 2")
    box, product = still.boxes["product"], np.asarray(still.product_image)
    entered = timeline.schedule(6)["product"][1]
    opaque = product[..., 3] == 255
    frames = decode(story.path)
    for index in (round(entered * 30) + 1, 90, 150, 179):
        got = frames[index][box[1] : box[3], box[0] : box[2]].astype(np.float64)
        expected = frames[index].copy()
        expected[box[1] : box[3], box[0] : box[2]][opaque] = product[..., :3][opaque]
        ref = yuv_round_trip(expected)[box[1] : box[3], box[0] : box[2]].astype(np.float64)
        err = np.abs(got - ref).mean(axis=2) * opaque
        mse = float((err**2).sum() / opaque.sum())
        assert 10 * np.log10(255**2 / max(mse, 1e-9)) > 34, index
        h, w = (err.shape[0] // 8) * 8, (err.shape[1] // 8) * 8
        blocks = err[:h, :w].reshape(h // 8, 8, w // 8, 8).mean(axis=(1, 3))
        assert blocks.max() < 24, (index, float(blocks.max()))


def yuv_round_trip(rgb: np.ndarray) -> np.ndarray:
    import av

    frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(
        format="yuv420p", dst_colorspace="ITU709", dst_color_range="MPEG"
    )
    return frame.reformat(format="rgb24", src_colorspace="ITU709", src_color_range="MPEG",
                          dst_colorspace="ITU709").to_ndarray()  # fmt: skip


def test_every_frame_keeps_text_in_the_safe_area_and_off_the_product(story):
    report = story.report
    assert report["checks"]["frames"]["ok"], report["checks"]
    safe = report["layout"]["safe_area"]
    assert report["frames"]["frames_checked"] == 180
    for sample in report["frames"]["samples"]:
        boxes = sample["boxes"]
        for name, box in boxes.items():
            if name not in ("product", "shadow"):
                assert inside(box, safe), (sample["t"], name)
                if "product" in boxes:
                    assert not intersects(box, boxes["product"]), (sample["t"], name)
    # The text did move: it slid in and faded, it was not just held still.
    tracks = report["tracks"]
    assert any(tracks[n][3] for n in ("headline", "body", "cta"))
    assert report["product_entrance"] == "slide"


def test_type_never_under_the_minimum_and_never_scaled(story):
    report = story.report
    assert report["checks"]["font_under_minimum"]["ok"]
    for name, size in report["font_sizes"].items():
        assert size >= report["font_minimum"][name] >= placement.MIN_FONT_PX
    assert report["font_minimum"]["headline"] == placement.min_headline_px(1080)
    for name in ("headline", "body", "cta", "disclaimer", "badge"):
        assert report["tracks"][name][4] == 1.0  # a text track never scales


def test_text_contrast_held_on_the_moving_background(story):
    """Re-measured on each sampled frame's moved background (scrims and buttons under
    the glyphs), not only on the still's."""
    contrast = story.report["contrast"]
    assert {"headline", "body", "cta", "disclaimer", "badge"} <= set(contrast)
    assert min(contrast.values()) >= placement.MIN_CONTRAST
    assert story.report["checks"]["low_contrast"]["ok"]


def test_end_card_shows_logo_and_cta_and_poster_has_everything(story):
    scene = build_scene(layers_for(STORY), COPY, BRAND, STORY, product_name="Summit 2")
    tracks = timeline.plan_tracks(scene, timeline.MOTIONS["pan-slide"], 6, slide_px=48)
    last = timeline.frame_boxes(scene, tracks, 6 - 1 / 30)
    assert {"end_logo", "cta", "product", "disclaimer"} <= set(last)
    assert not {"headline", "body", "badge"} & set(last)
    assert story.report["poster_s"] < story.report["end_card_s"]
    poster = timeline.frame_boxes(scene, tracks, story.report["poster_s"])
    assert {"headline", "body", "cta", "badge", "logo", "product"} <= set(poster)
    assert all(state.alpha == 1 for _, state in poster.values())


def test_sprites_at_rest_give_the_still_back():
    """The still's plan taken apart and put together again (no motion) is the still."""
    scene = build_scene(layers_for(STORY), COPY, BRAND, STORY, product_name="Summit 2")
    held = timeline.Motion("held", "still", "scale", 0.0)
    tracks = timeline.plan_tracks(scene, held, 6, slide_px=0)
    frame = Compositor(scene, held, tracks, 6).frame(3.0)
    still = np.asarray(scene.still.image).astype(np.int16)
    diff = np.abs(frame.astype(np.int16) - still)
    assert diff.mean() < 0.2 and np.percentile(diff, 99.9) <= 3, (diff.mean(), diff.max())


def test_same_seed_same_file_and_another_seed_another_motion(tmp_path):
    first = clip(SQUARE, 6, tmp_path, "a.mp4", seed=5)
    again = clip(SQUARE, 6, tmp_path, "b.mp4", seed=5)
    digest = [hashlib.sha256(open(r.path, "rb").read()).hexdigest() for r in (first, again)]
    assert digest[0] == digest[1]
    assert first.report["checks"]["frames"]["ok"]
    spec = ClipSpec(SQUARE, 6)
    picked = {pick_motion(spec, seed, None).name for seed in range(4)}
    assert picked == set(timeline.VIDEO_MOTIONS)


@pytest.mark.parametrize(
    ("size", "kind", "plays"), [((300, 250), "gif", 3), ((728, 90), "gif", 1),
                                ((160, 600), "webp", 3)],
)  # fmt: skip
def test_banner_within_150_kb_15_s_and_3_plays(tmp_path, size, kind, plays):
    fmt = FormatSpec(f"banner-{size[0]}x{size[1]}", *size)
    result = clip(fmt, 15, tmp_path, f"banner.{kind}", kind=kind, fps=10, loops=plays)
    assert result.bytes == (tmp_path / f"banner.{kind}").stat().st_size <= 150_000
    with Image.open(result.path) as image:
        assert image.format == kind.upper() and image.size == size
        loop = image.info.get("loop")
        durations = [_duration(frame) for frame in ImageSequence.Iterator(image)]
    assert plays_of(kind, loop) == plays <= 3
    assert sum(durations) / 1000 == pytest.approx(15, abs=0.2)  # one play: 15 s at most
    assert result.report["checks"]["frames"]["ok"]
    assert result.poster.size == size
    assert [f.size for f in read_frames(result.path, 3)] == [size] * 3


def _duration(frame) -> int:
    frame.load()  # the WebP reader sets a frame's duration when it decodes it
    return frame.info["duration"]


def test_gif_loop_semantics_match_pillow():
    """Pillow writes `loop` as the NETSCAPE repeat count (browsers play it count + 1
    times) and writes no loop entry without one (played once)."""
    frames = [Image.new("RGB", (8, 8), c) for c in ("red", "blue")]
    for loop, plays in ((None, 1), (1, 2), (2, 3)):
        buf = __import__("io").BytesIO()
        extra = {} if loop is None else {"loop": loop}
        frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], **extra)
        buf.seek(0)
        assert (b"NETSCAPE2.0" in buf.getvalue()) is (loop is not None)
        assert plays_of("gif", Image.open(buf).info.get("loop")) == plays


def test_banner_that_cannot_fit_is_refused(tmp_path):
    spec = ClipSpec(MREC, 3, kind="gif", fps=15)
    rng = np.random.default_rng(0)

    def noise(fps):  # every frame new noise: no GIF of it fits 150 KB
        return [rng.integers(0, 255, (250, 300, 3), np.uint8) for _ in range(3 * fps)]

    with pytest.raises(EngineError, match="cannot fit 150 KB"):
        encode_banner(noise, str(tmp_path / "x.gif"), spec, 3)
    assert not (tmp_path / "x.gif").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fmt": FormatSpec("landscape", 1200, 628), "seconds": 6}, "Unknown video format"),
        ({"fmt": STORY, "seconds": 10}, "Unknown video length 10 s"),
        ({"fmt": STORY, "seconds": 6, "kind": "avi"}, "Unknown clip kind"),
        ({"fmt": STORY, "seconds": 6, "fps": 60}, "frame rate"),
        ({"fmt": STORY, "seconds": 6, "platform": "myspace"}, "Unknown platform"),
        ({"fmt": FormatSpec("m", 320, 50), "seconds": 6, "kind": "gif"}, "Unknown banner"),
        ({"fmt": MREC, "seconds": 16, "kind": "gif"}, "1 to 15 s"),
        ({"fmt": MREC, "seconds": 6, "kind": "gif", "loops": 4}, "1 to 3 times"),
        ({"fmt": MREC, "seconds": 6, "kind": "mp4"}, "Unknown video format 300x250"),
    ],
)
def test_bad_spec_refused_with_a_clear_error(kwargs, message):
    with pytest.raises(EngineError, match=message):
        ClipSpec(**kwargs)


def test_known_sizes_accepted_and_mismatched_background_refused(tmp_path):
    for w, h in VIDEO_SIZES.values():
        for seconds in (6, 15):
            assert ClipSpec(FormatSpec("v", w, h), seconds).problem() == ""
    for w, h in BANNER_SIZES:
        assert ClipSpec(FormatSpec("b", w, h), 15, kind="webp").problem() == ""
    assert ClipSpec(video_format("4x5"), 6).size == (1080, 1350)
    with pytest.raises(EngineError, match="Unknown video format '16x9'"):
        video_format("16x9")
    # Defaults: 30 fps, 25 where the platform asks under 30 (LinkedIn), 10 for banners.
    assert ClipSpec(STORY, 6).fps == 30 and ClipSpec(STORY, 6, platform="linkedin").fps == 25
    assert ClipSpec(MREC, 6, kind="gif").fps == 10
    spec = ClipSpec(STORY, 6)
    with pytest.raises(EngineError, match="paint it at the clip's size"):
        render_clip(layers_for(SQUARE), COPY, BRAND, spec, out_path=str(tmp_path / "x.mp4"))
    with pytest.raises(EngineError, match="Unknown motion template"):
        render_clip(layers_for(STORY), COPY, BRAND, spec, out_path=str(tmp_path / "x.mp4"),
                    motion="banner-slide")  # fmt: skip


def test_a_product_painted_into_the_scene_stands_still_and_exact_in_every_frame():
    """Inpainting bakes the product into the background: the clip must not move the
    scene (that would slide the product under the copy) nor bring in a second product;
    its opaque pixels equal the cut-out at the pre-laid-out box in every frame."""
    from studio.engine.motion.render import _tracks
    from studio.engine.painter.product import product_composite, product_fitted
    from studio.engine.prelayout import plan_product

    base = layers_for(STORY)
    template, box = plan_product(
        COPY, BRAND, STORY, base.product, logo=base.logo, product_name="Summit 2"
    )
    baked = Layers(
        product_composite(base.background, base.product, box),
        product=base.product, logo=base.logo, baked_box=box,
    )  # fmt: skip
    spec = ClipSpec(STORY, 6)
    chosen = pick_motion(spec, 0, "pan-slide")
    chosen = timeline.Motion(f"{chosen.name}-baked", "still", chosen.product, 0.0)
    scene = build_scene(baked, COPY, BRAND, STORY, product_name="Summit 2", template=template)
    assert scene.baked and "shadow" not in scene.sprites
    tracks, report = _tracks(scene, chosen, spec)
    assert report["ok"], report
    comp = Compositor(scene, chosen, tracks, spec.seconds)
    fitted = np.asarray(product_fitted(base.product, box))
    opaque = fitted[..., 3] == 255
    first = comp.frame(0.0)
    for t in (0.0, 0.5, 2.0, 5.9):
        frame = comp.frame(t)
        region = frame[box[1] : box[3], box[0] : box[2]]
        assert np.array_equal(region[opaque], fitted[..., :3][opaque]), t
        # The scene holds still: outside every sprite the frame is the first frame.
        corner = (slice(0, 40), slice(0, 40))
        assert np.array_equal(frame[corner], first[corner]), t
