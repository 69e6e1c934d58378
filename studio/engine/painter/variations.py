"""Pipeline jobs shared by the diffusion painters: image-to-image and inpainting calls,
batched by size and strength, one seeded CPU generator per image; and variations of a
stored background ("more like this").

A job is one image to paint at the model's size: a starting canvas, a strength, and for
inpainting a mask (255 = paint here). Jobs of one size and strength share a pipeline call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from PIL import Image

from studio.engine.painter.outpaint import repaint_mask
from studio.engine.painter.product import open_product, product_composite
from studio.engine.types import BackgroundRequest, EngineError, PaintedBackground


@dataclass
class Job:
    prompt: str
    negative: str
    seed: int
    image: Image.Image  # RGB at the model's size
    strength: float
    mask: Image.Image | None = None  # L at the model's size, 255 = repaint; None: img2img


@dataclass
class Done:
    image: Image.Image
    nsfw: bool | None
    facts: dict[str, Any] = field(default_factory=dict)


def steps_for(steps: int, strength: float) -> int:
    """Diffusers runs int(steps * strength) of the steps; at least one must remain (a
    1-step turbo preset at strength 0.5 would otherwise run none and fail)."""
    if strength >= 1:
        return steps
    return max(steps, math.ceil(1 / strength) + 1)


def derived_seed(seed: int, *parts: int) -> int:
    """A stable seed for a sub-image (a format's margins, a re-rolled variation): plain
    arithmetic, not hash(), so it is the same in every process."""
    value = int(seed) % 2**32
    for part in parts:
        value = (value * 1_000_003 + int(part) * 7_919 + 1) % 2**32
    return value


def run_jobs(painter, pipe, jobs: list[Job]) -> list[Done]:
    """Every job painted, in order; one call per size/strength/kind, chunks of batch_size."""
    results: list[Done | None] = [None] * len(jobs)

    def key(i: int):
        return (jobs[i].image.size, jobs[i].strength, jobs[i].mask is None)

    for _, group in groupby(sorted(range(len(jobs)), key=key), key=key):
        indices = list(group)
        for start in range(0, len(indices), painter.batch_size):
            chunk = indices[start : start + painter.batch_size]
            painted = _run_chunk(painter, pipe, [jobs[i] for i in chunk])
            for i, done in zip(chunk, painted, strict=True):
                results[i] = done
    return [r for r in results if r is not None]


def _run_chunk(painter, pipe, jobs: list[Job]) -> list[Done]:
    import torch

    first = jobs[0]
    width, height = first.image.size
    negatives = [j.negative for j in jobs]
    use_negative = painter.guidance > 1.0 and any(negatives)
    kwargs: dict[str, Any] = {}
    if first.mask is not None:
        kwargs.update(mask_image=[j.mask for j in jobs], width=width, height=height)
    steps = steps_for(painter.steps, first.strength)
    output = painter.call_pipeline(
        pipe,
        prompt=[j.prompt for j in jobs],
        negative_prompt=negatives if use_negative else None,
        image=[j.image for j in jobs],
        strength=first.strength,
        num_inference_steps=steps,
        guidance_scale=painter.guidance,
        generator=[torch.Generator("cpu").manual_seed(int(j.seed)) for j in jobs],
        **kwargs,
    )
    nsfw = getattr(output, "nsfw_content_detected", None)
    facts = {"strength": first.strength, "steps_scheduled": steps, "batch": len(jobs)}
    return [
        Done(
            image=image.convert("RGB"),
            nsfw=None if nsfw is None else bool(nsfw[i]),
            facts={**facts, "negative_prompt": job.negative if use_negative else ""},
        )
        for i, (job, image) in enumerate(zip(jobs, output.images, strict=True))
    ]


def open_init(request: BackgroundRequest) -> Image.Image:
    """The stored layer to start from, RGB at the request's size."""
    if not request.init_path or not Path(request.init_path).is_file():
        raise EngineError(f"Variation source image not found: {request.init_path}")
    if not 0.0 <= request.strength <= 1.0:
        raise EngineError(f"Variation strength must be within 0..1, got {request.strength}")
    try:
        with Image.open(request.init_path) as source:
            image = source.convert("RGB")
    except (OSError, ValueError) as exc:
        raise EngineError(f"Could not open {request.init_path}: {exc}") from exc
    size = (request.width, request.height)
    return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)


def bake(image: Image.Image, request: BackgroundRequest, products: dict) -> Image.Image:
    """The product composited exactly at the request's box (when it has one)."""
    if request.product_box is None:
        return image
    if not request.product_path:
        raise EngineError("A product box was given without the product image (product_path).")
    if request.product_path not in products:
        products[request.product_path] = open_product(request.product_path)
    return product_composite(image, products[request.product_path], request.product_box)


def paint_variations(painter, pipe, requests: list[BackgroundRequest], *, masked=False):
    """Each stored layer moved by its strength: image-to-image, or inpainting outside
    the product when `masked`; strength 0 returns the layer untouched (no call)."""
    inits = [open_init(r) for r in requests]
    products: dict[str, Image.Image] = {}
    todo = [i for i, r in enumerate(requests) if r.strength > 0]
    jobs = []
    for i in todo:
        request, size = requests[i], painter.model_size(requests[i])
        mask = None
        if masked:
            mask = _variation_mask(request, products).resize(size, Image.Resampling.BILINEAR)
        jobs.append(
            Job(
                prompt=request.concept,
                negative=request.negative_prompt,
                seed=request.seed,
                image=inits[i].resize(size, Image.Resampling.LANCZOS),
                strength=float(request.strength),
                mask=mask,
            )
        )
    done = dict(zip(todo, run_jobs(painter, pipe, jobs), strict=True))
    return [_variation(painter, r, inits[i], done.get(i), products) for i, r in enumerate(requests)]


def _variation_mask(request: BackgroundRequest, products: dict) -> Image.Image:
    size = (request.width, request.height)
    if request.product_box is None or not request.product_path:
        return Image.new("L", size, 255)
    if request.product_path not in products:
        products[request.product_path] = open_product(request.product_path)
    return repaint_mask(size, products[request.product_path], request.product_box)


def _variation(painter, request, init, done: Done | None, products) -> PaintedBackground:
    box = request.product_box
    lineage: dict[str, Any] = {
        **painter.base_lineage(),
        "task": "variation",
        "seed": int(request.seed),
        "strength": float(request.strength),
        "source": Path(request.init_path).name,
        "format_size": [request.width, request.height],
        "prompt": request.concept,
        "product_box": list(box) if box else None,
        "product_baked": box is not None,
    }
    if done is None:  # strength 0: the stored layer as it is, product included
        return PaintedBackground(image=init, floor_y=_floor(request), lineage=lineage)
    lineage.update(done.facts, size=list(done.image.size))
    image = done.image.resize((request.width, request.height), Image.Resampling.LANCZOS)
    return PaintedBackground(
        image=bake(image, request, products),
        floor_y=_floor(request),
        lineage=lineage,
        nsfw_detected=done.nsfw,
    )


def _floor(request: BackgroundRequest) -> float | None:
    return request.product_box[3] / request.height if request.product_box else None
