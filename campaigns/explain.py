"""The "why this score" panel: breakdown with weights, segment rank, nearest
variants and lineage. Reads only; the numbers are the stored ones, never recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from campaigns.models import Variant

# How much each score counts in the overall review score. Each score is first put on
# 0..1 (alignment and text fit are 0..100; safety is 1 - the highest unsafe-concept
# probability); the weights of scores no model computed are left out, and the rest
# re-normalised, so "n/a" never counts as zero.
WEIGHTS = {
    "alignment": 0.30,
    "segment_fit": 0.20,
    "text_fit": 0.25,
    "novelty": 0.15,
    "safety": 0.10,
}
LABELS = {
    "alignment": ("Alignment", "image ↔ copy, CLIPScore 0–100"),
    "segment_fit": ("Segment fit", "image ↔ persona, probability"),
    "text_fit": ("Text fit", "copy ↔ persona, MiniLM 0–100"),
    "novelty": ("Novelty", "vs the campaign's other variants"),
    "safety": ("Safety risk", "highest unsafe-concept probability; counts as 1 − risk"),
}


@dataclass(frozen=True)
class ScoreLine:
    key: str
    label: str
    meaning: str
    raw: float | None
    normalised: float | None
    weight: float
    effective_weight: float | None
    contribution: float | None
    source: str


def _raw_scores(variant: Variant) -> dict[str, tuple[float | None, float | None, str]]:
    """key -> (raw value, value on 0..1, which number it is)."""
    novelty, source = (
        (variant.image_novelty, "image novelty")
        if variant.image_novelty is not None
        else (variant.copy_novelty, "copy novelty")
    )

    def scaled(value, factor=1.0):
        return None if value is None else min(max(value / factor, 0.0), 1.0)

    return {
        "alignment": (variant.alignment, scaled(variant.alignment, 100), "CLIP"),
        "segment_fit": (variant.segment_fit, scaled(variant.segment_fit), "CLIP"),
        "text_fit": (variant.text_fit, scaled(variant.text_fit, 100), "MiniLM"),
        "novelty": (novelty, scaled(novelty), source),
        "safety": (
            variant.safety_risk,
            None if variant.safety_risk is None else 1.0 - scaled(variant.safety_risk),
            "CLIP zero-shot",
        ),
    }


def score_breakdown(variant: Variant) -> tuple[list[ScoreLine], float | None]:
    raw = _raw_scores(variant)
    present = sum(WEIGHTS[k] for k, (_, norm, _) in raw.items() if norm is not None)
    lines, total = [], 0.0
    for key, weight in WEIGHTS.items():
        value, norm, source = raw[key]
        effective = weight / present if norm is not None and present else None
        contribution = norm * effective if effective is not None else None
        total += contribution or 0.0
        label, meaning = LABELS[key]
        lines.append(
            ScoreLine(key, label, meaning, value, norm, weight, effective, contribution, source)
        )
    return lines, (total if present else None)


def nearest_variants(variant: Variant, k: int = 5) -> list[tuple[Variant, float, str]]:
    """The k most similar other variants of the campaign, by image embedding where both
    have one, else by copy embedding (cosine)."""
    use_image = variant.image_embedding is not None
    field = "image_embedding" if use_image else "text_embedding"
    mine = getattr(variant, field)
    if mine is None:
        return []
    rows = list(
        Variant.objects.filter(campaign_id=variant.campaign_id)
        .exclude(pk=variant.pk)
        .exclude(**{field: None})
        .values_list("pk", field)
    )
    rows = [(pk, vec) for pk, vec in rows if len(vec) == len(mine)]
    if not rows:
        return []
    matrix = np.asarray([vec for _, vec in rows], np.float32)
    target = np.asarray(mine, np.float32)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    target /= max(float(np.linalg.norm(target)), 1e-9)
    sims = matrix @ target
    best = np.argsort(-sims)[:k]
    by_pk = Variant.objects.select_related("segment").in_bulk([rows[i][0] for i in best])
    kind = "image" if use_image else "copy"
    return [(by_pk[rows[i][0]], float(sims[i]), kind) for i in best]


def lineage_sections(variant: Variant) -> list[tuple[str, object]]:
    """The lineage in reading order: prompts, seeds, models, parameters."""
    lin = variant.lineage or {}
    return [
        ("Image prompt", lin.get("image_prompt", variant.image_prompt)),
        ("Negative prompt", lin.get("negative_prompt", "")),
        ("Variant seed", lin.get("seed", variant.seed)),
        ("Round seed", lin.get("job_seed")),
        ("Segment seed", lin.get("segment_seed")),
        ("Base image size", lin.get("size")),
        ("Copywriter", lin.get("copywriter")),
        ("Painter", lin.get("painter")),
        ("Background", lin.get("background")),
        ("Scorer", lin.get("scorer")),
        ("Engine settings", lin.get("engine_config")),
        ("Copy parameters", lin.get("copy")),
        ("Image parameters", lin.get("image")),
        ("Scoring details", lin.get("scores")),
    ]
