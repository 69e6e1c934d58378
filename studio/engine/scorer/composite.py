"""Run the text scorer and, when configured, an image scorer; merge what each computed."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from studio.engine.types import EngineError, ScoreItem, Scorer, Scores, SegmentBrief


def merge(base: Scores, extra: Scores) -> Scores:
    """Fill base's empty fields from extra. The text scorer's own values win, so the
    stored text embedding always comes from the embedder that novelty history uses."""
    for field in fields(Scores):
        if field.name == "lineage":
            continue
        if getattr(base, field.name) is None and getattr(extra, field.name) is not None:
            setattr(base, field.name, getattr(extra, field.name))
    base.lineage = {**extra.lineage, **base.lineage}
    return base


class CompositeScorer:
    def __init__(self, text: Scorer, image: Scorer | None = None) -> None:
        self.text = text
        self.image = image
        self.name = f"{text.name}+{image.name}" if image is not None else text.name

    @property
    def needs_images(self) -> bool:
        """Whether score() looks at images at all, so callers can skip decoding them."""
        return self.image is not None

    def describe(self) -> dict[str, Any]:
        return {
            "backend": self.name,
            "text": self.text.describe(),
            "image": self.image.describe() if self.image is not None else None,
        }

    def score(
        self,
        items: list[ScoreItem],
        segments: list[SegmentBrief],
        history: dict[str, list[list[float]]] | None = None,
    ) -> list[Scores]:
        results = self.text.score(items, segments, history)
        with_images = [i for i, item in enumerate(items) if item.image is not None]
        if self.image is None or not with_images:
            return results
        # Only items that have an image go to the image scorer; copy-only ones keep "n/a".
        image_scores = self.image.score([items[i] for i in with_images], segments, history)
        if len(image_scores) != len(with_images):
            raise EngineError(
                f"{self.image.name} returned {len(image_scores)} scores for "
                f"{len(with_images)} images"
            )
        for index, extra in zip(with_images, image_scores, strict=True):
            merge(results[index], extra)
        return results
