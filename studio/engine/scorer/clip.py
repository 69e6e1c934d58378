"""Image scores with open_clip: CLIPScore alignment, segment fit, novelty, safety concepts.

    alignment     = 100 * max(cos(image, copy text), 0)            (CLIPScore, Hessel et al.)
    segment_fit   = softmax over the campaign's segments of logit_scale * cos(image, persona
                    prompt), the probability of the item's own segment; segment_rank = its rank
    image_novelty = 1 - max cos(image, other images in the call and history["image"]);
                    1.0 when there is nothing to compare with
    safety        = per unsafe concept, a two-way zero-shot softmax of the concept prompt
                    against NEUTRAL_CONCEPT (so each probability reads on its own, 0..1)

`model` is an open_clip model name (with `pretrained` a tag or a checkpoint file), a
directory holding open_clip_config.json and weights, "local-dir:<dir>", "hf-hub:<repo>",
or a model-config .json file (registered with open_clip.add_model_config).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from studio.engine.hub import FETCH_HINT, is_out_of_memory, missing_model_error
from studio.engine.types import (
    EngineError,
    ScoreItem,
    Scores,
    SegmentBrief,
    TransientEngineError,
)

UNSAFE_CONCEPTS: tuple[str, ...] = (
    "violence or gore",
    "nudity or sexual content",
    "weapons",
    "drugs",
    "hate symbols",
    "self-harm",
)
NEUTRAL_CONCEPT = "a safe, ordinary advertisement photo"
SEGMENT_PROMPT = "an advertisement photo for {name}: {persona}"
CONCEPT_PROMPT = "a photo showing {concept}"


def _rgb(image: Any) -> Any:
    return image if getattr(image, "mode", "RGB") == "RGB" else image.convert("RGB")


def segment_prompt(segment: SegmentBrief) -> str:
    return SEGMENT_PROMPT.format(name=segment.name, persona=segment.persona)


class ClipScorer:
    name = "clip"

    def __init__(
        self,
        model: str = "",
        pretrained: str = "",
        device: str = "auto",
        *,
        batch_size: int = 32,
        setting: str = "STUDIO_CLIP_MODEL",
    ):
        self.model_name = model
        self.pretrained = pretrained
        self.device_setting = device
        self.batch_size = max(1, int(batch_size))
        self.setting = setting
        self._model = None
        self._load_lock = threading.Lock()
        self._preprocess = None
        self._tokenizer = None
        self._device: str | None = None
        self._dtype: Any = None
        self._text_cache: dict[str, Any] = {}

    def describe(self) -> dict[str, Any]:
        return {
            "backend": self.name,
            "model": self.model_name,
            "pretrained": self.pretrained,
            "device": self._device or self.device_setting,
            "batch_size": self.batch_size,
            "safety_concepts": list(UNSAFE_CONCEPTS),
        }

    # -- loading ---------------------------------------------------------------------------
    def _model_ref(self) -> tuple[str, str | None]:
        name = self.model_name
        if not name:
            raise EngineError(f"No CLIP model is configured: set {self.setting}.")
        path = Path(name).expanduser()
        if path.is_dir():
            return f"local-dir:{path}", None
        if path.is_file() and path.suffix == ".json":
            import open_clip

            open_clip.add_model_config(path)
            return path.stem, self.pretrained or None
        import open_clip

        if not name.startswith(("hf-hub:", "local-dir:")):
            if open_clip.get_model_config(name.replace("/", "-")) is None:
                raise EngineError(
                    f"Unknown CLIP model {name!r}: use an open_clip model name "
                    "(open_clip.list_models()), a local directory, or an hf-hub: id. To fetch "
                    "weights: " + FETCH_HINT.format(setting=self.setting) + "."
                )
            if not self.pretrained:
                raise EngineError(
                    f"CLIP model {name!r} needs pretrained weights: set STUDIO_CLIP_PRETRAINED "
                    "to a tag (open_clip.list_pretrained()) or a checkpoint file. To fetch "
                    "weights: " + FETCH_HINT.format(setting=self.setting) + "."
                )
        return name, self.pretrained or None

    def load(self) -> None:
        """Load the weights once; safe to call from several threads."""
        with self._load_lock:
            self._load()

    def _load(self) -> None:
        if self._model is not None:
            return
        import open_clip

        from studio.engine.device import dtype_for, resolve_device

        device = resolve_device(self.device_setting)
        dtype = dtype_for(device)
        ref, pretrained = self._model_ref()
        label = f"{self.model_name}" + (f" ({self.pretrained})" if self.pretrained else "")
        try:
            model, _, preprocess = open_clip.create_model_and_transforms(
                ref,
                pretrained=pretrained,
                precision="fp16" if str(dtype).endswith("float16") else "fp32",
                device=device,
                require_pretrained=True,
            )
            tokenizer = open_clip.get_tokenizer(ref)
        except Exception as exc:  # noqa: BLE001 - RuntimeError, OSError, hub errors
            if is_out_of_memory(exc):
                raise TransientEngineError(f"Out of memory loading CLIP {label}") from exc
            raise missing_model_error("CLIP model", label, self.setting, exc) from exc
        model.eval()
        self._model, self._preprocess, self._tokenizer = model, preprocess, tokenizer
        self._device, self._dtype = device, dtype

    # -- encoding --------------------------------------------------------------------------
    def encode_images(self, images: list[Any]) -> Any:
        """L2-normalised float32 CPU tensor (N, D), encoded in batches of batch_size."""
        import torch

        self.load()
        out = []
        for start in range(0, len(images), self.batch_size):
            chunk = images[start : start + self.batch_size]
            pixels = torch.stack([self._preprocess(_rgb(im)) for im in chunk])
            with torch.inference_mode():
                feats = self._model.encode_image(pixels.to(self._device, self._dtype))
            out.append(torch.nn.functional.normalize(feats.float(), dim=-1).cpu())
        return torch.cat(out) if out else torch.zeros((0, self.embed_dim))

    def encode_texts(self, texts: list[str]) -> Any:
        """L2-normalised float32 CPU tensor (N, D), encoded in batches of batch_size."""
        import torch

        self.load()
        out = []
        for start in range(0, len(texts), self.batch_size):
            tokens = self._tokenizer(list(texts[start : start + self.batch_size]))
            with torch.inference_mode():
                feats = self._model.encode_text(tokens.to(self._device))
            out.append(torch.nn.functional.normalize(feats.float(), dim=-1).cpu())
        return torch.cat(out) if out else torch.zeros((0, self.embed_dim))

    def _cached_texts(self, texts: list[str]) -> Any:
        """Prompts that repeat across calls (segments, safety concepts) are encoded once."""
        import torch

        todo = [t for t in dict.fromkeys(texts) if t not in self._text_cache]
        if todo:
            for text, emb in zip(todo, self.encode_texts(todo), strict=True):
                self._text_cache[text] = emb
        return torch.stack([self._text_cache[t] for t in texts])

    @property
    def embed_dim(self) -> int:
        self.load()
        proj = getattr(self._model, "text_projection", None)
        if proj is not None and hasattr(proj, "shape"):
            return int(proj.shape[-1])
        return int(self._model.encode_text(self._tokenizer(["a"]).to(self._device)).shape[-1])

    @property
    def logit_scale(self) -> float:
        self.load()
        return float(self._model.logit_scale.exp().item())

    # -- scoring ---------------------------------------------------------------------------
    def score(
        self,
        items: list[ScoreItem],
        segments: list[SegmentBrief],
        history: dict[str, list[list[float]]] | None = None,
    ) -> list[Scores]:
        results = [Scores() for _ in items]
        with_image = [i for i, item in enumerate(items) if item.image is not None]
        if not with_image:
            return results
        self.load()
        images = self.encode_images([items[i].image for i in with_image])
        texts = self.encode_texts([items[i].text for i in with_image])
        alignment = (100.0 * (images * texts).sum(-1).clamp(min=0)).tolist()
        scale = self.logit_scale
        fit, rank = self._segment_fit(
            images, [items[i].segment_key for i in with_image], segments, scale
        )
        novelty = self._novelty(images, history)
        safety = self._safety(images, scale)
        lineage = {
            "backend": self.name,
            "model": self.model_name,
            "pretrained": self.pretrained,
            "device": self._device,
            "logit_scale": round(scale, 4),
        }
        embeddings = images.tolist()
        for row, i in enumerate(with_image):
            s = results[i]
            s.alignment = float(alignment[row])
            s.segment_fit, s.segment_rank = fit[row], rank[row]
            s.image_novelty = novelty[row]
            s.safety = safety[row]
            s.image_embedding = embeddings[row]
            s.lineage = dict(lineage)
        return results

    def _segment_fit(self, images, keys: list[str], segments: list[SegmentBrief], scale: float):
        if not segments:
            return [None] * len(keys), [None] * len(keys)
        prompts = self._cached_texts([segment_prompt(s) for s in segments])
        probs = (scale * images @ prompts.T).softmax(dim=-1)
        index = {s.key: j for j, s in enumerate(segments)}
        fits, ranks = [], []
        for row, key in enumerate(keys):
            j = index.get(key)
            if j is None:
                fits.append(None)
                ranks.append(None)
                continue
            fits.append(float(probs[row, j]))
            ranks.append(int((probs[row] > probs[row, j]).sum().item()) + 1)
        return fits, ranks

    @staticmethod
    def _novelty(images, history: dict[str, list[list[float]]] | None) -> list[float]:
        import torch

        sims = images @ images.T
        sims.fill_diagonal_(-1.0)
        past = [h for h in (history or {}).get("image", []) if len(h) == images.shape[1]]
        if past:
            old = torch.nn.functional.normalize(torch.tensor(past, dtype=torch.float32), dim=-1)
            sims = torch.cat([sims, images @ old.T], dim=1)
        if sims.shape[1] <= 1 and not past:
            return [1.0] * images.shape[0]
        best = sims.max(dim=1).values.clamp(-1.0, 1.0)
        return [float(1.0 - b) for b in best.tolist()]

    def _safety(self, images, scale: float) -> list[dict[str, float]]:
        import torch

        prompts = [CONCEPT_PROMPT.format(concept=c) for c in UNSAFE_CONCEPTS]
        emb = self._cached_texts([*prompts, NEUTRAL_CONCEPT])
        logits = scale * images @ emb.T  # (N, C+1)
        neutral = logits[:, -1:].expand(-1, len(UNSAFE_CONCEPTS))
        pair = torch.stack([logits[:, :-1], neutral], dim=-1).softmax(dim=-1)[..., 0]
        return [
            {c: float(p) for c, p in zip(UNSAFE_CONCEPTS, row, strict=True)}
            for row in pair.tolist()
        ]
