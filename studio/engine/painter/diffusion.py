"""Base images from a diffusers text-to-image pipeline (SD 1.5, SD-Turbo, SDXL-Turbo...).

Each image gets its own seeded generator, passed to the pipeline as a list, so a variant
re-painted alone reproduces the image it had in a batch. Generators live on the CPU
(diffusers' advice for reproducibility): the same seed gives the same starting noise on
any machine, and only the denoising arithmetic differs between devices.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from studio.engine.hub import is_out_of_memory, load_offline_first
from studio.engine.types import (
    BackgroundRequest,
    EngineError,
    ImageRequest,
    PaintedBackground,
    PaintedImage,
    TransientEngineError,
)


@dataclass(frozen=True)
class Preset:
    name: str
    steps: int
    guidance: float
    scheduler: str | None  # a diffusers scheduler class name, None = keep the model's own
    size: int  # the model's native square resolution
    # Inpainting presets: how far the masked area moves from the starting canvas (1 paints
    # it anew; SDXL's inpainting checkpoint is trained to keep a trace of it at 0.99).
    strength: float = 1.0
    inpaint: bool = False


PRESETS: dict[str, Preset] = {
    "sd15": Preset("sd15", 25, 7.5, "DPMSolverMultistepScheduler", 512),
    "sd-turbo": Preset("sd-turbo", 1, 0.0, None, 512),
    "sdxl-turbo": Preset("sdxl-turbo", 1, 0.0, None, 512),
    "sd15-inpaint": Preset(
        "sd15-inpaint", 30, 7.5, "DPMSolverMultistepScheduler", 512, strength=1.0, inpaint=True
    ),
    "sdxl-inpaint": Preset(
        "sdxl-inpaint", 30, 8.0, "EulerDiscreteScheduler", 1024, strength=0.99, inpaint=True
    ),
}


def guess_preset(model: str, preset: str = "") -> Preset:
    """An explicit preset wins; else guess from the model name; else SD 1.5 defaults."""
    if preset:
        if preset not in PRESETS:
            raise EngineError(f"Unknown image preset {preset!r}: use one of {', '.join(PRESETS)}.")
        return PRESETS[preset]
    name = model.lower().replace("_", "-")
    if "inpaint" in name:
        return PRESETS["sdxl-inpaint" if "xl" in name else "sd15-inpaint"]
    if "sdxl-turbo" in name:
        return PRESETS["sdxl-turbo"]
    if "sd-turbo" in name:
        return PRESETS["sd-turbo"]
    return PRESETS["sd15"]


def _round_size(value: int) -> int:
    return max(64, int(value) // 8 * 8)


class DiffusersPainter:
    name = "diffusers"
    # A text-to-image model cannot keep the product: the studio lays it out as a layer.
    paints_around = False

    def __init__(
        self,
        model: str = "",
        preset: str = "",
        device: str = "auto",
        attention_slicing: bool = False,
        vae_tiling: bool = False,
        *,
        batch_size: int = 4,
        steps: int | None = None,
        guidance: float | None = None,
        setting: str = "STUDIO_IMAGE_MODEL",
    ):
        self.model_id = model
        self.preset = guess_preset(model, preset)
        self.device_setting = device
        self.attention_slicing = attention_slicing
        self.vae_tiling = vae_tiling
        self.batch_size = max(1, int(batch_size))
        self.steps = steps if steps is not None else self.preset.steps
        self.guidance = guidance if guidance is not None else self.preset.guidance
        self.setting = setting
        self.pipeline_calls = 0
        self._pipe = None
        self._load_lock = threading.Lock()
        self._img2img = None
        self._device: str | None = None
        self._dtype: Any = None

    def describe(self) -> dict[str, Any]:
        return {
            "backend": self.name,
            "model": self.model_id,
            "preset": self.preset.name,
            "steps": self.steps,
            "guidance": self.guidance,
            "device": self._device or self.device_setting,
            "attention_slicing": self.attention_slicing,
            "vae_tiling": self.vae_tiling,
            "batch_size": self.batch_size,
        }

    # -- loading ---------------------------------------------------------------------------
    @staticmethod
    def _from_pretrained(path: str, **kwargs: Any):
        from diffusers import AutoPipelineForText2Image, StableDiffusionPipeline

        try:
            return AutoPipelineForText2Image.from_pretrained(path, **kwargs)
        except (ValueError, KeyError, AttributeError):
            # Pipelines AutoPipeline has no mapping for (older or custom model_index.json).
            return StableDiffusionPipeline.from_pretrained(path, **kwargs)

    def load(self):
        """Load the weights once; safe to call from several threads."""
        with self._load_lock:
            self._load()
        return self._pipe

    def _load(self):
        if self._pipe is not None:
            return self._pipe
        from studio.engine.device import dtype_for, resolve_device

        device = resolve_device(self.device_setting)
        dtype = dtype_for(device)
        pipe = load_offline_first(
            self._from_pretrained,
            self.model_id,
            what="image model",
            setting=self.setting,
            dtype=dtype,
        )
        if self.preset.scheduler:
            import diffusers

            scheduler_cls = getattr(diffusers, self.preset.scheduler)
            pipe.scheduler = scheduler_cls.from_config(pipe.scheduler.config)
        try:
            pipe.to(device)
        except RuntimeError as exc:
            if is_out_of_memory(exc):
                raise TransientEngineError(f"Out of memory loading {self.model_id!r}") from exc
            raise
        if self.attention_slicing:
            pipe.enable_attention_slicing()
        if self.vae_tiling and getattr(pipe, "vae", None) is not None:
            pipe.vae.enable_tiling()
        pipe.set_progress_bar_config(disable=True)
        self._pipe, self._device, self._dtype = pipe, device, dtype
        return pipe

    # -- painting --------------------------------------------------------------------------
    def paint(self, requests: list[ImageRequest]) -> list[PaintedImage]:
        if not requests:
            return []
        self.load()
        results: list[PaintedImage | None] = [None] * len(requests)
        order = sorted(range(len(requests)), key=lambda i: self._size(requests[i]))
        for size, group in groupby(order, key=lambda i: self._size(requests[i])):
            indices = list(group)
            for start in range(0, len(indices), self.batch_size):
                chunk = indices[start : start + self.batch_size]
                painted = self._paint_batch([requests[i] for i in chunk], size)
                for i, image in zip(chunk, painted, strict=True):
                    results[i] = image
        return [r for r in results if r is not None]

    def paint_backgrounds(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        """Text-to-image of each background at the format's aspect, then resized to its
        exact size. The model paints at about its native area (sides multiples of 8,
        256..2x native): a 728x90 leaderboard asked at 728x88 would come out as noise."""
        from PIL import Image

        as_images = [
            ImageRequest(
                prompt=r.concept,
                seed=r.seed,
                negative_prompt=r.negative_prompt,
                palette=r.palette,
                **dict(zip(("width", "height"), self.model_size(r), strict=True)),
            )  # fmt: skip
            for r in requests
        ]
        painted = self.paint(as_images)
        out = []
        for request, image in zip(requests, painted, strict=True):
            resized = image.image.convert("RGB").resize(
                (request.width, request.height), Image.Resampling.LANCZOS
            )
            lineage = {**image.lineage, "format_size": [request.width, request.height]}
            out.append(
                PaintedBackground(image=resized, lineage=lineage, nsfw_detected=image.nsfw_detected)
            )
        return out

    def model_size(self, request: BackgroundRequest) -> tuple[int, int]:
        native = self.preset.size
        aspect = request.width / request.height
        width, height = native * aspect**0.5, native / aspect**0.5
        low = min(256, native)  # 256 for real models; a tiny test model's own side
        clamp = lambda v: _round_size(min(2 * native, max(low, v)))  # noqa: E731
        return clamp(width), clamp(height)

    def base_lineage(self) -> dict[str, Any]:
        return {
            "backend": self.name,
            "model": self.model_id,
            "preset": self.preset.name,
            "steps": self.steps,
            "guidance": self.guidance,
            "scheduler": type(self._pipe.scheduler).__name__,
            "dtype": str(self._dtype).replace("torch.", ""),
            "device": self._device,
            "generator_device": "cpu",
        }

    def call_pipeline(self, pipe, **kwargs: Any):
        """One pipeline call (any task): no autograd, PIL out, out of memory is transient."""
        import torch

        self.pipeline_calls += 1
        try:
            with torch.inference_mode():
                return pipe(output_type="pil", **kwargs)
        except RuntimeError as exc:
            if is_out_of_memory(exc):
                raise TransientEngineError("Out of memory while painting; retry later") from exc
            raise

    def paint_around(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        raise EngineError(
            "A text-to-image model cannot paint around the product: set an inpainting model "
            "(STUDIO_IMAGE_PRESET=sd15-inpaint or sdxl-inpaint) or let layout place it."
        )

    def paint_variations(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        """Image-to-image from each stored layer (weights shared with text-to-image)."""
        from studio.engine.painter.variations import paint_variations

        self.load()
        return paint_variations(self, self.img2img_pipeline(), requests)

    def img2img_pipeline(self):
        """The image-to-image pipeline on the loaded weights, built once (from_pipe
        shares the modules, so it costs no memory)."""
        with self._load_lock:
            if self._img2img is None:
                from diffusers import AutoPipelineForImage2Image, StableDiffusionImg2ImgPipeline

                try:
                    pipe = AutoPipelineForImage2Image.from_pipe(self._pipe)
                except (ValueError, KeyError, AttributeError):
                    pipe = StableDiffusionImg2ImgPipeline(**self._pipe.components)
                pipe.set_progress_bar_config(disable=True)
                self._img2img = pipe
        return self._img2img

    @staticmethod
    def _size(request: ImageRequest) -> tuple[int, int]:
        return _round_size(request.width), _round_size(request.height)

    def _paint_batch(
        self, requests: list[ImageRequest], size: tuple[int, int]
    ) -> list[PaintedImage]:
        import torch

        width, height = size
        generators = [torch.Generator("cpu").manual_seed(int(r.seed)) for r in requests]
        negatives = [r.negative_prompt for r in requests]
        use_negative = self.guidance > 1.0 and any(negatives)
        output = self.call_pipeline(
            self._pipe,
            prompt=[r.prompt for r in requests],
            negative_prompt=negatives if use_negative else None,
            num_inference_steps=self.steps,
            guidance_scale=self.guidance,
            width=width,
            height=height,
            generator=generators,
        )
        nsfw = getattr(output, "nsfw_content_detected", None)
        painted = []
        for i, (request, image) in enumerate(zip(requests, output.images, strict=True)):
            lineage = {
                **self.base_lineage(),
                "seed": int(request.seed),
                "size": [width, height],
                "prompt": request.prompt,
                "negative_prompt": request.negative_prompt if use_negative else "",
                "batch": len(requests),
            }
            flag = None if nsfw is None else bool(nsfw[i])
            painted.append(PaintedImage(image=image, lineage=lineage, nsfw_detected=flag))
        return painted
