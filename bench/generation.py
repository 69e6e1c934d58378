"""Wall time per variant, split by stage, with the real backend classes (tiny random-weight
models), through a real worker; and the model-load time paid by a second job in the same
worker (expected ≈ 0). Then the diffusion painting paths on the CPU, timed against
text-to-image in the same run: painting around the product (inpainting + outpainting to
every format) and variations (inpainting, image-to-image).

Run:  .venv/bin/python bench/generation.py [-n 2] [--size 64] [--paths-only]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scratch import django_on_scratch  # noqa: E402 - needs ROOT on sys.path

STAGES = ("copy", "paint", "score", "layout")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--variants", type=int, default=2, help="Variants per segment.")
    parser.add_argument("--size", type=int, default=64, help="Base image side in pixels.")
    parser.add_argument(
        "--paths-only", action="store_true", help="Only the painting paths, no worker job."
    )
    args = parser.parse_args()
    if args.paths_only:
        painting_paths(args.size)
        return

    scratch = django_on_scratch("studio-bench-gen-", STUDIO_BASE_IMAGE_SIZE=str(args.size))
    from campaigns.models import GenerationJob
    from campaigns.services import demo, generation
    from tests.engine.tiny_models import build_all
    from tests.worker import start_worker

    started = time.perf_counter()
    paths = build_all(scratch / "models")
    print(f"built tiny models in {time.perf_counter() - started:.1f}s")
    engine = {
        "copywriter": "transformers",
        "text_model": str(paths["lm"]),
        "painter": "diffusers",
        "image_model": str(paths["sd"]),
        "image_preset": "sd-turbo",
        "scorer": "clip",
        "clip_model": str(paths["clip"]),
        "device": "cpu",
    }
    campaign = demo.demo_seed()
    segments = list(campaign.segments.all())
    worker = start_worker(
        scratch / "worker.log", extra_env={"STUDIO_BASE_IMAGE_SIZE": str(args.size)}
    )
    jobs = []
    try:
        for seed in (1, 2):
            job = generation.job_start(
                campaign=campaign,
                segments=segments,
                variants_per_segment=args.variants,
                seed=seed,
                engine_config=engine,
            )
            while not job.is_finished:
                time.sleep(0.05)
                job = GenerationJob.objects.get(pk=job.pk)
            if job.status != GenerationJob.Status.SUCCEEDED:
                raise SystemExit(f"job failed: {job.error}")
            jobs.append(job)
    finally:
        worker.stop()
    report(jobs, len(segments), args.variants, campaign.formats.count())
    painting_paths(args.size)


def painting_paths(native: int, steps: int = 4, variants: int = 2) -> None:
    import tempfile

    from bench import paint_paths
    from tests.engine.tiny_models import build_tiny_sd, build_tiny_sd_inpaint

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        models = {
            "sd": build_tiny_sd(root / "sd"),
            "sd_inpaint": build_tiny_sd_inpaint(root / "sd-inpaint"),
        }
        results, requests, _ = paint_paths.run(models, "cpu", native, steps, variants, root)
        around = results["inpaint + outpaint (paint_around)"][3]
        worst = paint_paths.product_max_diff(around, requests)
    print(
        f"\npainting paths, tiny SD models, CPU fp32, {steps} steps, native {native} px, "
        f"{variants} variants x {len(requests) // variants} formats"
    )
    paint_paths.report(results)
    print(f"  product max diff on opaque pixels (paint_around): {worst}")


def report(jobs, segments, n, formats) -> None:
    count = segments * n
    print(f"\n{segments} segments × {n} variants × {formats} formats per job, tiny models, CPU")
    print(
        f"{'job':>4} {'load s':>7} "
        + " ".join(f"{s + ' ms/var':>15}" for s in STAGES)
        + f" {'wall ms/var':>12}"
    )
    for i, job in enumerate(jobs, 1):
        t = job.timings
        per = " ".join(f"{1000 * t[s] / count:>15.1f}" for s in STAGES)
        print(f"{i:>4} {t['load']:>7.2f} {per} {1000 * t['wall'] / count:>12.1f}")
    print(f"model-load time of the second job in the same worker: {jobs[1].timings['load']:.3f}s")


if __name__ == "__main__":
    main()
