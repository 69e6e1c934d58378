"""Render + encode a 6 s 1080x1920 clip against a floor measured in the same run.

The floor is what any clip of that size costs at the least: encoding 180 frames that
are already rendered (one frame of the clip, repeated) through the same path and
encoder settings (RGB array -> BT.709 yuv420p -> libx264, same preset, CRF, VBV cap,
threads, +faststart). The clip's cost is the whole render_clip call: still layout
planned, sprites drawn, every frame's geometry checked, 180 frames composed (moving
background, entrances, fades) and encoded, the poster made. Target: ratio <= 1.5 for
the default motion template; the others are printed too. Also printed: the real-time
factor (wall time / clip length) and the CPU time of both (all threads): on a shared
machine the wall ratio moves with the load, the CPU ratio much less. Run:

    .venv/bin/python bench/video.py [--repeats 2] [--all] [--strip docs/motion-strip.png]

Each figure is the best of --repeats runs (the floor and the clip alternate, so both
see the same load). No database: engine only.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from campaigns.demo_art import draw_logo, draw_shoe  # noqa: E402
from studio.engine.layers import Layers  # noqa: E402
from studio.engine.motion import VIDEO_MOTIONS, ClipSpec, render_clip  # noqa: E402
from studio.engine.motion.render import pick_motion  # noqa: E402
from studio.engine.motion.video import encode_mp4, encoder_options  # noqa: E402
from studio.engine.painter.procedural import ProceduralPainter  # noqa: E402
from studio.engine.types import AdCopy, BackgroundRequest, BrandBrief, FormatSpec  # noqa: E402

FMT = FormatSpec("story-1080x1920", 1080, 1920)
SECONDS = 6
COPY = AdCopy(
    "Summit 2: grip that goes further",
    "Responsive foam and a grippy outsole for every muddy mile.",
    "Shop Summit 2",
    "x",
    badge="-20 %",
)
BRAND = BrandBrief(
    name="Trailhead Outfitters",
    palette=("#14532D", "#F97316", "#F5F5F4", "#1C1917"),
    disclaimer="New customers only. Terms apply; see site for details.",
    cta_shape="pill",
)


def demo_layers(fmt: FormatSpec = FMT, seed: int = 3) -> Layers:
    request = BackgroundRequest(
        concept="trail", seed=seed, width=fmt.width, height=fmt.height, palette=BRAND.palette
    )
    background = ProceduralPainter().paint_backgrounds([request])[0].image
    shoe, logo = draw_shoe(), draw_logo()
    return Layers(background=background, product=shoe.crop(shoe.getbbox()),
                  logo=logo.crop(logo.getbbox()))  # fmt: skip


def floor(frame, spec: ClipSpec, path: str) -> tuple[float, float]:
    """(wall, CPU) seconds; CPU counts every thread of the process (x264's too)."""
    started, cpu = time.perf_counter(), time.process_time()
    encode_mp4((frame for _ in range(spec.seconds * spec.fps)), path, spec)
    return time.perf_counter() - started, time.process_time() - cpu


def clip(layers, spec: ClipSpec, path: str, motion: str):
    started, cpu = time.perf_counter(), time.process_time()
    result = render_clip(
        layers, COPY, BRAND, spec, out_path=path, product_name="Summit 2", motion=motion
    )
    return (time.perf_counter() - started, time.process_time() - cpu), result


STRIP_TIMES = (0.0, 0.3, 0.8, 1.7, 3.5, 5.95)  # entrance, reveals, hold, end card


def strip(path: str, out: str, width: int = 270) -> None:
    """Frames at STRIP_TIMES side by side, decoded from the MP4 itself."""
    import av

    with av.open(path) as container:
        fps = float(container.streams.video[0].average_rate)
        frames = [f.to_image() for f in container.decode(video=0)]
    picks = [min(len(frames) - 1, round(t * fps)) for t in STRIP_TIMES]
    height = round(frames[0].height * width / frames[0].width)
    gap = 8
    count = len(picks)
    sheet = Image.new("RGB", (count * width + (count - 1) * gap, height), (245, 245, 244))
    for k, i in enumerate(picks):
        tile = frames[i].resize((width, height), Image.Resampling.LANCZOS)
        sheet.paste(tile, (k * (width + gap), 0))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out, optimize=True)
    print(f"strip: {out} (frames {picks} of {len(frames)}, at {STRIP_TIMES} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--all", action="store_true", help="every motion template")
    parser.add_argument("--strip", default="", help="write a poster-frame strip PNG here")
    args = parser.parse_args()
    spec = ClipSpec(FMT, SECONDS)
    layers = demo_layers()
    default = pick_motion(spec, 0, None).name
    motions = [default] + ([m for m in VIDEO_MOTIONS if m != default] if args.all else [])
    print(f"encoder: libx264 {encoder_options(spec)}")
    with tempfile.TemporaryDirectory() as tmp:
        # One frame of the clip (everything revealed), so the floor encodes real pixels.
        _, result = clip(layers, spec, f"{tmp}/warm.mp4", default)
        frame = __import__("numpy").asarray(result.poster)
        for motion in motions:
            floors, clips = [], []
            for _ in range(args.repeats):
                floors.append(floor(frame, spec, f"{tmp}/floor.mp4"))
                wall, result = clip(layers, spec, f"{tmp}/{motion}.mp4", motion)
                clips.append(wall)
            (best_floor, floor_cpu), (best_clip, clip_cpu) = min(floors), min(clips)
            print(
                f"{motion:11s} clip {best_clip:6.2f} s  floor {best_floor:6.2f} s  "
                f"ratio {best_clip / best_floor:4.2f}  real-time factor "
                f"{best_clip / SECONDS:4.2f}  CPU {clip_cpu:5.2f} s / {floor_cpu:5.2f} s = "
                f"{clip_cpu / floor_cpu:4.2f}  ({result.bytes / 1e6:.2f} MB, "
                f"frame checks ok: {result.report['checks']['frames']['ok']})"
                + ("  <- default" if motion == default else "")
            )
            if args.strip and motion == default:
                strip(result.path, args.strip)


if __name__ == "__main__":
    main()
