"""GPU smoke check: the tiny SD, LM and CLIP pipelines on CUDA in fp16, with timings; and
the painting paths (text-to-image, inpainting + outpainting around the product,
inpainting and image-to-image variations) timed against each other.

    python bench/gpu_check.py [--device cuda:0]

Builds the tiny random-weight models (tests/engine/tiny_models.py) in a temp dir, runs each
real backend on the GPU, checks fp16 / device / shapes / seeded reproducibility, prints the
load and run times. Exits 2 with a clear message when no CUDA device is usable, 1 when a
check fails, 0 when all pass.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timed(label: str, fn, sync):
    sync()
    started = time.perf_counter()
    result = fn()
    sync()
    print(f"  {label:<44} {time.perf_counter() - started:8.3f} s")
    return result


def check(ok: bool, message: str, failures: list[str]) -> None:
    print(f"  [{'ok' if ok else 'FAIL'}] {message}")
    if not ok:
        failures.append(message)


def check_paint_paths(paths, device: str, sync, failures: list[str], dtype="float16") -> None:
    from bench import paint_paths

    with tempfile.TemporaryDirectory() as tmp:
        results, requests, (t2i, inpaint) = paint_paths.run(
            paths, device, native=128, steps=4, variants=4, tmp=Path(tmp), sync=sync
        )
        paint_paths.report(results)
        around = results["inpaint + outpaint (paint_around)"][3]
        got = {p.lineage["dtype"] for r in results.values() for p in r[3]}
        check(got == {dtype}, f"every path in {dtype} (got {sorted(got)})", failures)
        check(
            str(inpaint.load().unet.device).startswith(device.split(":")[0]),
            f"inpainting UNet on {inpaint.load().unet.device}",
            failures,
        )
        check(
            t2i.img2img_pipeline().unet is t2i.load().unet, "img2img shares the weights", failures
        )
        for name in ("inpaint + outpaint (paint_around)", "inpaint variations (0.5)"):
            worst = paint_paths.product_max_diff(results[name][3], requests)
            check(worst == 0, f"{name}: product exact (max diff {worst})", failures)
        outpainted = [p.lineage["task"] == "outpaint" for p in around]
        expected = [not paint_paths.covered(r, requests[:3], 128) for r in requests]
        check(
            outpainted == expected,
            f"{sum(expected)} formats the master does not cover outpainted, no others",
            failures,
        )
        alone = inpaint.paint_around(requests[3:6])
        diff = max(
            int(np.abs(np.asarray(a.image, np.int16) - np.asarray(b.image, np.int16)).max())
            for a, b in zip(alone, around[3:6], strict=True)
        )
        check(diff <= 8, f"a variant painted alone matches its batch (max diff {diff})", failures)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--device", default="cuda")
    args = parser.parse_args(argv)

    import torch

    if not torch.cuda.is_available():
        print(
            "gpu_check: no CUDA device available (torch.cuda.is_available() is False); nothing to check."
        )
        return 2

    from studio.engine.copywriter.llm import TransformersCopywriter
    from studio.engine.painter.diffusion import DiffusersPainter
    from studio.engine.scorer.clip import ClipScorer
    from studio.engine.types import (
        BrandBrief,
        CampaignBrief,
        CopyRequest,
        ImageRequest,
        ScoreItem,
        SegmentBrief,
    )
    from tests.engine.tiny_models import build_all

    sync = torch.cuda.synchronize
    failures: list[str] = []
    print(
        f"torch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.get_device_name(args.device)}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        paths = build_all(tmp)

        print("diffusers painter (tiny SD, sd15 preset, 4 steps, 2 batches of 4 at 128x128)")
        painter = DiffusersPainter(
            model=str(paths["sd"]), preset="sd15", device=args.device, steps=4, batch_size=4
        )
        timed("load", painter.load, sync)
        requests = [
            ImageRequest(
                prompt=f"product photo {i}", seed=i, width=128, height=128, negative_prompt="blurry"
            )
            for i in range(8)
        ]
        timed("paint 8 images (first call)", lambda: painter.paint(requests), sync)
        painted = timed("paint 8 images", lambda: painter.paint(requests), sync)
        again = painter.paint(requests[:1])
        check(
            painted[0].lineage["dtype"] == "float16",
            f"fp16 on CUDA (got {painted[0].lineage['dtype']})",
            failures,
        )
        check(
            str(painter._pipe.unet.device).startswith("cuda"),
            f"UNet on {painter._pipe.unet.device}",
            failures,
        )
        check(all(p.image.size == (128, 128) for p in painted), "image sizes", failures)
        diff = np.abs(
            np.asarray(again[0].image, dtype=np.int16)
            - np.asarray(painted[0].image, dtype=np.int16)
        ).max()
        check(
            diff <= 3,
            f"seeded image reproduces alone vs in batch (max pixel diff {diff})",
            failures,
        )

        print(
            "painting paths (tiny SD + tiny SD inpainting, 4 steps, native 128, 4 variants x 3 formats)"
        )
        check_paint_paths(paths, args.device, sync, failures)

        print("transformers copywriter (tiny Llama, constrained JSON, 4 candidates)")
        writer = TransformersCopywriter(model=str(paths["lm"]), device=args.device)
        timed("load", writer.load, sync)
        brand = BrandBrief(name="Acme", voice="warm")
        request = CopyRequest(
            campaign=CampaignBrief(
                brand=brand,
                product_name="Beans",
                description="Fresh coffee",
                objective="conversion",
            ),
            segment=SegmentBrief(key="1", name="Students", persona="busy students"),
            n=4,
            seed=1,
        )
        copies = timed("write 4 candidates (first call)", lambda: writer.write(request), sync)
        copies = timed("write 4 candidates", lambda: writer.write(request), sync)
        check(len(copies) == 4, f"{len(copies)} candidates", failures)
        check(writer._model.dtype == torch.float16, f"LM dtype {writer._model.dtype}", failures)

        print("open_clip scorer (tiny CLIP, 64 items)")
        scorer = ClipScorer(model=str(paths["clip"]), device=args.device, batch_size=32)
        timed("load", scorer.load, sync)
        images = [p.image for p in painted] * 8
        segments = [
            SegmentBrief(key=str(i), name=f"S{i}", persona=f"persona {i}") for i in range(3)
        ]
        items = [
            ScoreItem(text=f"copy {i}", segment_key=str(i % 3), image=im)
            for i, im in enumerate(images)
        ]
        timed("score 64 items (first call)", lambda: scorer.score(items, segments), sync)
        scores = timed("score 64 items", lambda: scorer.score(items, segments), sync)
        check(next(scorer._model.parameters()).dtype == torch.float16, "CLIP in fp16", failures)
        check(all(s.alignment is not None and s.safety for s in scores), "scores filled", failures)
        cpu = ClipScorer(model=str(paths["clip"]), device="cpu")
        gap = (cpu.encode_images(images[:4]) - scorer.encode_images(images[:4])).abs().max().item()
        check(gap < 2e-2, f"fp16 CUDA embeddings match fp32 CPU (max diff {gap:.2e})", failures)

    print(f"peak CUDA memory: {torch.cuda.max_memory_allocated() / 2**20:.1f} MiB")
    if failures:
        print(f"gpu_check: {len(failures)} check(s) failed")
        return 1
    print("gpu_check: all checks passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
