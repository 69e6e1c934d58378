"""Throughput of ClipScorer's batched scoring vs a plain open_clip loop, same model and images.

    python bench/scoring.py                       # tiny random CLIP built on the fly
    python bench/scoring.py --arch ViT-B-32       # random weights, real architecture
    python bench/scoring.py --model ViT-B-32 --pretrained laion2b_s34b_b79k --device cuda

The plain loop is what a script would do with open_clip directly: preprocess, encode the
images and the copy texts in batches of the same size, cosine. ClipScorer does that plus
segment fit, novelty and the safety concepts, so ratio = scorer / plain images per second
shows what the extra scores cost (target >= 0.95). The unbatched loop is shown for scale.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def random_model_dir(arch: str, root: Path) -> Path:
    """A local-dir open_clip model with random weights of a built-in architecture."""
    import open_clip
    from safetensors.torch import save_file

    cfg = open_clip.get_model_config(arch)
    if cfg is None:
        raise SystemExit(f"unknown open_clip architecture {arch!r}")
    model = open_clip.create_model(arch, pretrained=None)
    directory = root / arch
    directory.mkdir(parents=True)
    (directory / "open_clip_config.json").write_text(json.dumps({"model_cfg": cfg}))
    save_file(
        {k: v.contiguous() for k, v in model.state_dict().items()},
        str(directory / "open_clip_model.safetensors"),
    )
    return directory


def make_images(n: int, size: int = 256):
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    return [
        Image.fromarray(rng.integers(0, 255, (size, size, 3), dtype=np.uint8)) for _ in range(n)
    ]


def plain_loop(model, preprocess, tokenizer, device, dtype, images, texts, batch_size):
    import torch

    scores = []
    for start in range(0, len(images), batch_size):
        ims, txs = images[start : start + batch_size], texts[start : start + batch_size]
        with torch.inference_mode():
            pixels = torch.stack([preprocess(im) for im in ims]).to(device, dtype)
            img = torch.nn.functional.normalize(model.encode_image(pixels).float(), dim=-1)
            txt = torch.nn.functional.normalize(
                model.encode_text(tokenizer(txs).to(device)).float(), dim=-1
            )
            scores += (100 * (img * txt).sum(-1).clamp(min=0)).cpu().tolist()
    return scores


def timed(fn, repeats: int, sync) -> float:
    times = []
    for _ in range(repeats):
        sync()
        started = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="", help="open_clip name, directory or hf-hub: id")
    parser.add_argument("--pretrained", default="", help="tag or checkpoint file")
    parser.add_argument("--arch", default="", help="random weights of this built-in architecture")
    parser.add_argument("-n", "--images", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", default="auto")
    args = parser.parse_args(argv)

    import torch

    from studio.engine.scorer.clip import ClipScorer
    from studio.engine.types import ScoreItem, SegmentBrief

    with tempfile.TemporaryDirectory() as tmp:
        model_ref = args.model
        if not model_ref:
            if args.arch:
                model_ref = str(random_model_dir(args.arch, Path(tmp)))
            else:
                from tests.engine.tiny_models import build_tiny_clip

                model_ref = str(build_tiny_clip(Path(tmp) / "tiny_clip"))
        scorer = ClipScorer(
            model=model_ref,
            pretrained=args.pretrained,
            device=args.device,
            batch_size=args.batch_size,
        )
        started = time.perf_counter()
        scorer.load()
        load_s = time.perf_counter() - started
        device, dtype = scorer._device, scorer._dtype
        sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)

        images = make_images(args.images)
        texts = [f"Fresh coffee for busy mornings, offer number {i}" for i in range(args.images)]
        segments = [
            SegmentBrief(key=str(i), name=f"Segment {i}", persona=f"persona number {i}")
            for i in range(4)
        ]
        items = [
            ScoreItem(text=t, segment_key=str(i % 4), image=im)
            for i, (t, im) in enumerate(zip(texts, images, strict=True))
        ]
        model, preprocess, tokenizer = scorer._model, scorer._preprocess, scorer._tokenizer

        def run_scorer():
            return scorer.score(items, segments)

        def run_plain():
            return plain_loop(
                model, preprocess, tokenizer, device, dtype, images, texts, args.batch_size
            )

        def run_plain_unbatched():
            return plain_loop(model, preprocess, tokenizer, device, dtype, images, texts, 1)

        ours, plain = run_scorer(), run_plain()  # warm-up, and the same numbers from both
        worst = max(abs(a.alignment - b) for a, b in zip(ours, plain, strict=True))
        # Interleave the two so drifting clocks or caches hit both alike.
        t_scorer = timed(run_scorer, args.repeats, sync)
        t_plain = timed(run_plain, args.repeats, sync)
        t_scorer = min(t_scorer, timed(run_scorer, args.repeats, sync))
        t_plain = min(t_plain, timed(run_plain, args.repeats, sync))
        t_single = timed(run_plain_unbatched, max(1, args.repeats // 2), sync)

    n = args.images
    ours_ips, plain_ips, single_ips = n / t_scorer, n / t_plain, n / t_single
    print(
        f"model: {args.model or args.arch or 'tiny random CLIP'}  device: {device}  dtype: {str(dtype).replace('torch.', '')}"
    )
    print(
        f"images: {n}  batch size: {args.batch_size}  repeats: {args.repeats}  load: {load_s:.2f}s  torch threads: {torch.get_num_threads()}"
    )
    print(f"ClipScorer.score (alignment+segment fit+novelty+safety): {ours_ips:10.1f} images/s")
    print(f"plain open_clip loop, batched (image, text, cosine):     {plain_ips:10.1f} images/s")
    print(f"plain open_clip loop, one image at a time:               {single_ips:10.1f} images/s")
    print(f"ratio scorer/plain batched: {ours_ips / plain_ips:.3f} (target >= 0.95)")
    print(f"max |CLIPScore difference| scorer vs plain: {worst:.2e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
