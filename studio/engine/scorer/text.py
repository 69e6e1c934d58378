"""Copy scores from MiniLM sentence embeddings: fit to the persona, and novelty.

Works without any image model, so every install shows at least these two numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from studio.engine.types import ScoreItem, Scores, SegmentBrief


def _unit_rows(rows: list[list[float]], dim: int) -> tuple[np.ndarray, int]:
    """History vectors as unit rows; ones of another size (an older embedder) are skipped."""
    kept = [r for r in rows if len(r) == dim]
    if not kept:
        return np.zeros((0, dim), np.float32), len(rows)
    matrix = np.asarray(kept, np.float32)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    return matrix, len(rows) - len(kept)


def novelty(vectors: np.ndarray, history: np.ndarray) -> list[float]:
    """1 - max cosine to the other items and to history; 1.0 when nothing to compare.

    Opposite meanings (negative cosine) count as fully novel rather than above 1."""
    result = []
    for i in range(len(vectors)):
        others = np.concatenate([np.delete(vectors, i, axis=0), history], axis=0)
        if not len(others):
            result.append(1.0)
            continue
        closest = float((others @ vectors[i]).max())
        result.append(float(np.clip(1.0 - max(closest, 0.0), 0.0, 1.0)))
    return result


class TextScorer:
    name = "minilm-text"

    def __init__(self, embedder) -> None:
        self.embedder = embedder

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "embedder": self.embedder.describe()}

    def score(
        self,
        items: list[ScoreItem],
        segments: list[SegmentBrief],
        history: dict[str, list[list[float]]] | None = None,
    ) -> list[Scores]:
        if not items:
            return []
        personas = {s.key: s.persona or s.name for s in segments}
        keys = list(personas)
        vectors = self.embedder.encode([item.text for item in items])
        persona_vectors = dict(
            zip(keys, self.embedder.encode([personas[k] for k in keys]), strict=True)
        )
        past, skipped = _unit_rows((history or {}).get("text") or [], vectors.shape[1])
        novelties = novelty(vectors, past)
        results = []
        for item, vector, item_novelty in zip(items, vectors, novelties, strict=True):
            persona = persona_vectors.get(item.segment_key)
            fit = None if persona is None else 100.0 * max(float(vector @ persona), 0.0)
            results.append(
                Scores(
                    text_fit=fit,
                    copy_novelty=item_novelty,
                    text_embedding=[float(x) for x in vector],
                    lineage={"text_scorer": self.name, "history_skipped": skipped},
                )
            )
        return results
