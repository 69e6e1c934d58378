"""Near-duplicate creatives: pairs whose embeddings are closer than a threshold."""

from __future__ import annotations

import numpy as np


def near_duplicates(
    ids: list[int], embeddings: list[list[float] | None], threshold: float
) -> dict[int, frozenset[int]]:
    """For each id, the other ids whose cosine similarity is at least `threshold`.

    Creatives without an embedding (or of another size than the first one seen) have no
    neighbours: nothing can be said about them."""
    known = [(i, e) for i, e in zip(ids, embeddings, strict=True) if e]
    if len(known) < 2:
        return {}
    dim = len(known[0][1])
    known = [(i, e) for i, e in known if len(e) == dim]
    matrix = np.asarray([e for _, e in known], dtype=np.float32)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    similar = (matrix @ matrix.T) >= threshold
    np.fill_diagonal(similar, False)
    known_ids = [i for i, _ in known]
    result = {}
    for row, variant_id in enumerate(known_ids):
        columns = np.flatnonzero(similar[row])
        if len(columns):
            result[variant_id] = frozenset(known_ids[c] for c in columns)
    return result
