"""Backgrounds painted around the real product by a diffusers inpainting pipeline.

The product is never painted: the model paints everything outside the cut-out (the mask
reaches a few px into its edge so the seam is painted too), then the cut-out is
composited back exactly, so its opaque pixels are the upload's own. A variant is painted
once as a square master; every format is the master scaled to put the product where
layout wants it, with the margins outpainted (outpaint.py). Loading, presets, batching
and seeding are DiffusersPainter's.
"""

from __future__ import annotations

from typing import Any

from PIL import Image, ImageColor

from studio.engine.painter import outpaint
from studio.engine.painter.diffusion import DiffusersPainter
from studio.engine.painter.product import open_product, product_composite
from studio.engine.painter.variations import Done, Job, derived_seed, paint_variations, run_jobs
from studio.engine.types import (
    BackgroundRequest,
    ImageRequest,
    PaintedBackground,
    PaintedImage,
)


class InpaintPainter(DiffusersPainter):
    paints_around = True

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "task": "inpaint", "strength": self.preset.strength}

    @staticmethod
    def _from_pretrained(path: str, **kwargs: Any):
        from diffusers import AutoPipelineForInpainting, StableDiffusionInpaintPipeline

        try:
            return AutoPipelineForInpainting.from_pretrained(path, **kwargs)
        except (ValueError, KeyError, AttributeError):
            return StableDiffusionInpaintPipeline.from_pretrained(path, **kwargs)

    # -- a scene around the product -----------------------------------------------------
    def paint_around(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        if not requests:
            return []
        self.load()
        for request in requests:
            outpaint.check_box(request)
        products = {p: open_product(p) for p in {r.product_path for r in requests}}
        variants: dict[tuple, list[int]] = {}
        for i, r in enumerate(requests):
            key = (r.seed, r.concept, r.negative_prompt, r.product_path, r.colours, r.palette)
            variants.setdefault(key, []).append(i)
        masters = self._paint_masters(requests, list(variants.values()), products)
        master_of = {i: m for m, idx in zip(masters, variants.values(), strict=True) for i in idx}
        return self._paint_formats(requests, master_of, products)

    def _paint_masters(self, requests, groups, products) -> list[dict]:
        """One square master per variant, batched (they all have the model's size)."""
        side = self.preset.size
        jobs, boxes = [], []
        for group in groups:
            first = requests[group[0]]
            box = outpaint.master_box([requests[i] for i in group], side)
            product = products[first.product_path]
            canvas = product_composite(Image.new("RGB", (side, side), _fill(first)), product, box)
            mask = outpaint.repaint_mask((side, side), product, box)
            jobs.append(self._job(first, first.seed, canvas, mask))
            boxes.append(box)
        masters = []
        for box, done in zip(boxes, run_jobs(self, self._pipe, jobs), strict=True):
            # Kept raw: each format composites the product once, over the seam the model
            # painted, so its soft edge is blended a single time.
            masters.append({"image": done.image, "box": box, "done": done})
        return masters

    def _paint_formats(self, requests, master_of, products) -> list[PaintedBackground]:
        side = self.preset.size
        plans, jobs, todo = [], [], []
        for i, request in enumerate(requests):
            master = master_of[i]
            size = (request.width, request.height)
            box = outpaint.check_box(request)
            placement = outpaint.place(master["box"], side, box, size)
            base = outpaint.master_on_canvas(master["image"], placement, size)
            plans.append((placement, base))
            if placement.covers(size):
                continue  # the master fills this format: no margins to paint
            mask = outpaint.margin_mask(size, placement.cover(size))
            model = self.model_size(request)
            start = outpaint.starting_canvas(base, mask).resize(model, Image.Resampling.LANCZOS)
            seed = derived_seed(request.seed, request.width, request.height)
            jobs.append(self._job(request, seed, start, mask.resize(model)))
            todo.append(i)
        margins = dict(zip(todo, run_jobs(self, self._pipe, jobs), strict=True))
        return [
            self._finish(r, master_of[i], *plans[i], margins.get(i), products)
            for i, r in enumerate(requests)
        ]

    def _finish(self, request, master, placement, base, margin: Done | None, products):
        size = (request.width, request.height)
        cover = placement.cover(size)
        image = base
        if margin is not None:
            painted = margin.image.resize(size, Image.Resampling.LANCZOS)
            image = outpaint.keep_master(painted, base, cover)
        box = tuple(int(v) for v in request.product_box)
        image = product_composite(image, products[request.product_path], box)
        done = master["done"]
        lineage = {
            **self.base_lineage(),
            **done.facts,
            "task": "outpaint" if margin is not None else "inpaint",
            "seed": int(request.seed),
            "size": [self.preset.size] * 2,
            "format_size": list(size),
            "prompt": request.concept,
            "master": {"size": self.preset.size, "box": list(master["box"])},
            "placement": [placement.x, placement.y, placement.width, placement.height],
            "master_cover": list(cover),
            "product_baked": True,
            "product_box": list(box),
        }
        flags = [done.nsfw] + ([margin.nsfw] if margin else [])
        if margin is not None:
            lineage["outpaint"] = {**margin.facts, "size": list(margin.image.size)}
            lineage["outpaint"]["seed"] = derived_seed(request.seed, *size)
        nsfw = None if all(f is None for f in flags) else any(bool(f) for f in flags)
        return PaintedBackground(
            image=image, floor_y=box[3] / request.height, lineage=lineage, nsfw_detected=nsfw
        )

    def _job(self, request: BackgroundRequest, seed: int, image, mask) -> Job:
        return Job(
            prompt=request.concept,
            negative=request.negative_prompt,
            seed=seed,
            image=image,
            strength=self.preset.strength,
            mask=mask,
        )

    # -- variations and plain backgrounds ------------------------------------------------
    def paint_variations(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        """Inpainting from each stored layer, outside the product, at the request's strength."""
        self.load()
        return paint_variations(self, self._pipe, requests, masked=True)

    def img2img_pipeline(self):
        return self._pipe

    def _paint_batch(self, requests: list[ImageRequest], size) -> list[PaintedImage]:
        """Text-to-image through the inpainting model: the whole canvas masked."""
        jobs = [
            Job(
                prompt=r.prompt,
                negative=r.negative_prompt,
                seed=r.seed,
                image=Image.new(
                    "RGB", size, _fill(BackgroundRequest("", 0, 1, 1, palette=r.palette))
                ),
                strength=1.0,
                mask=Image.new("L", size, 255),
            )
            for r in requests
        ]
        painted = []
        for request, done in zip(requests, run_jobs(self, self._pipe, jobs), strict=True):
            lineage = {
                **self.base_lineage(),
                **done.facts,
                "task": "inpaint",
                "seed": int(request.seed),
                "size": list(size),
                "prompt": request.prompt,
            }
            painted.append(PaintedImage(image=done.image, lineage=lineage, nsfw_detected=done.nsfw))
        return painted


def _fill(request: BackgroundRequest) -> tuple[int, int, int]:
    """The master's starting colour: the brand's background role, else its last colour."""
    roles = dict(request.colours)
    code = roles.get("background") or (request.palette[-1] if request.palette else "")
    try:
        return ImageColor.getrgb(code)[:3]
    except ValueError:
        return (128, 128, 128)
