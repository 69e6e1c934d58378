"""Settings -> backend objects, one cached instance per worker process.

Backends are built lazily on first use (never at import, never before a worker
forks) and reused by every task the process runs, so a second job pays no load time.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from studio.engine.types import Copywriter, EngineError, Painter, Scorer


@dataclass(frozen=True)
class EngineConfig:
    """Which backend does each job, and with which model. Built from STUDIO_* settings."""

    copywriter: str = "template"  # template | transformers
    text_model: str = ""
    painter: str = "backdrop"  # backdrop | procedural | diffusers
    image_model: str = ""
    image_preset: str = ""  # sd15 | sd-turbo | sdxl-turbo | sd15-inpaint | sdxl-inpaint
    scorer: str = "text"  # text | clip (clip also runs the text scorer)
    clip_model: str = ""
    clip_pretrained: str = ""
    device: str = "auto"  # auto | cpu | cuda | cuda:N | mps
    embedder_path: str = ""  # override the bundled MiniLM directory
    # Extra backend knobs, e.g. (("attention_slicing", True), ("vae_tiling", False)).
    options: tuple[tuple[str, Any], ...] = field(default_factory=tuple)

    def option(self, name: str, default: Any = None) -> Any:
        return dict(self.options).get(name, default)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["options"] = dict(self.options)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EngineConfig:
        data = dict(data)
        data["options"] = tuple(sorted((data.get("options") or {}).items()))
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise EngineError(f"Unknown engine settings: {', '.join(sorted(unknown))}")
        return cls(**data)


# Re-entrant: building a copywriter builds the shared embedder under the same lock.
_lock = threading.RLock()
_instances: dict[tuple[str, EngineConfig], Any] = {}
# Seconds spent building each backend, for benchmarks and the "second job loads nothing" test.
load_log: list[tuple[str, str, float]] = []


def _cached(kind: str, config: EngineConfig, build) -> Any:
    key = (kind, config)
    with _lock:
        if key not in _instances:
            started = time.perf_counter()
            backend = build(config)
            # Load weights now, at first use in this process, so the cost is paid (and
            # measured) once here rather than hidden inside the first task's stage timing.
            if callable(getattr(backend, "load", None)):
                backend.load()
            _instances[key] = backend
            load_log.append((kind, backend.name, time.perf_counter() - started))
        return _instances[key]


def load_seconds() -> float:
    """Seconds this process has spent building backends so far."""
    with _lock:
        return sum(seconds for _, _, seconds in load_log)


def _build_copywriter(config: EngineConfig) -> Copywriter:
    if config.copywriter == "template":
        from studio.engine.copywriter.template import TemplateCopywriter

        return TemplateCopywriter(embedder=get_embedder(config))
    if config.copywriter == "transformers":
        from studio.engine.copywriter.llm import TransformersCopywriter

        return TransformersCopywriter(model=config.text_model, device=config.device)
    raise EngineError(f"Unknown copywriter backend {config.copywriter!r}")


def _build_painter(config: EngineConfig) -> Painter:
    if config.painter == "backdrop":
        from studio.engine.painter.backdrop import BackdropPainter

        return BackdropPainter()
    if config.painter == "procedural":
        from studio.engine.painter.procedural import ProceduralPainter

        return ProceduralPainter()
    if config.painter == "diffusers":
        from studio.engine.painter.diffusion import DiffusersPainter, guess_preset

        painter_cls = DiffusersPainter
        # An inpainting model paints around the product (and is loaded by its own pipeline).
        if guess_preset(config.image_model, config.image_preset).inpaint:
            from studio.engine.painter.inpaint import InpaintPainter

            painter_cls = InpaintPainter
        return painter_cls(
            model=config.image_model,
            preset=config.image_preset,
            device=config.device,
            attention_slicing=bool(config.option("attention_slicing", False)),
            vae_tiling=bool(config.option("vae_tiling", False)),
        )
    raise EngineError(f"Unknown painter backend {config.painter!r}")


def _build_scorer(config: EngineConfig) -> Scorer:
    from studio.engine.scorer.composite import CompositeScorer
    from studio.engine.scorer.text import TextScorer

    text = TextScorer(embedder=get_embedder(config))
    if config.scorer == "text":
        return CompositeScorer(text=text, image=None)
    if config.scorer == "clip":
        from studio.engine.scorer.clip import ClipScorer

        image = ClipScorer(
            model=config.clip_model, pretrained=config.clip_pretrained, device=config.device
        )
        image.load()
        return CompositeScorer(text=text, image=image)
    raise EngineError(f"Unknown scorer backend {config.scorer!r}")


def _build_embedder(config: EngineConfig):
    from studio.engine.embedder import MiniLMEmbedder

    return MiniLMEmbedder(path=config.embedder_path or None)


def get_embedder(config: EngineConfig):
    # Keyed on the embedder path alone so every backend in the process shares one copy.
    return _cached("embedder", EngineConfig(embedder_path=config.embedder_path), _build_embedder)


def get_copywriter(config: EngineConfig) -> Copywriter:
    return _cached("copywriter", config_for("copywriter", config), _build_copywriter)


def get_painter(config: EngineConfig) -> Painter:
    return _cached("painter", config_for("painter", config), _build_painter)


def get_scorer(config: EngineConfig) -> Scorer:
    return _cached("scorer", config_for("scorer", config), _build_scorer)


def config_for(kind: str, config: EngineConfig) -> EngineConfig:
    """Keep only the settings a backend depends on, so changing the image model
    does not reload the copywriter."""
    base = EngineConfig(device=config.device, embedder_path=config.embedder_path)
    if kind == "copywriter":
        return EngineConfig(
            **{**asdict(base), "copywriter": config.copywriter, "text_model": config.text_model}
        )
    if kind == "painter":
        return EngineConfig(
            **{
                **asdict(base),
                "painter": config.painter,
                "image_model": config.image_model,
                "image_preset": config.image_preset,
                "options": config.options,
            }
        )
    return EngineConfig(
        **{
            **asdict(base),
            "scorer": config.scorer,
            "clip_model": config.clip_model,
            "clip_pretrained": config.clip_pretrained,
        }
    )


def clear() -> None:
    """Drop every cached backend (tests, and a worker told to reload)."""
    with _lock:
        _instances.clear()
        load_log.clear()


def _build_matting(config: EngineConfig):
    from studio.engine.cutout import SegmentationMatting

    return SegmentationMatting(model=config.option("matting_model"), device=config.device)


def get_matting(model: str, device: str = "auto"):
    """The segmentation model that cuts products out (STUDIO_MATTING_MODEL), or None
    for the classical GrabCut cut-out; built and loaded once per process like the rest."""
    if not model:
        return None
    config = EngineConfig(device=device, options=(("matting_model", model),))
    return _cached("matting", config, _build_matting)
