"""Run the configured scorer over variants and store what it computed.

A score the scorer did not compute stays NULL ("n/a"); nothing is filled in.
"""

from __future__ import annotations

import time

from django.db import transaction

from campaigns.models import AudienceSegment, Variant
from campaigns.models.generation import SCORE_FIELDS
from campaigns.services import briefs
from studio.engine import registry
from studio.engine.registry import EngineConfig
from studio.engine.types import ScoreItem

STORED_FIELDS = (*SCORE_FIELDS, "text_embedding", "image_embedding")
UPDATED_FIELDS = (*STORED_FIELDS, "safety_risk", "lineage")


def copy_text(variant: Variant) -> str:
    return f"{variant.headline}. {variant.body} {variant.cta}"


def safety_risk(safety: dict | None) -> float | None:
    values = [v for v in (safety or {}).values() if isinstance(v, int | float)]
    return max(values) if values else None


def variants_score(
    *,
    variants: list[Variant],
    segment: AudienceSegment,
    config: EngineConfig,
    history: dict[str, list[list[float]]],
) -> float:
    """Score the variants of one segment against the campaign's segments; return seconds."""
    from PIL import Image

    scorer = registry.get_scorer(config)
    segments = [briefs.segment_brief(s) for s in segment.campaign.segments.order_by("pk")]
    items = []
    for v in variants:
        image = None
        if getattr(scorer, "needs_images", True):
            with Image.open(v.base_image.path) as opened:
                image = opened.convert("RGB")
        items.append(ScoreItem(text=copy_text(v), segment_key=str(segment.pk), image=image))
    started = time.perf_counter()
    results = scorer.score(items, segments, history)
    seconds = time.perf_counter() - started
    for variant, scores in zip(variants, results, strict=True):
        for name in STORED_FIELDS:
            setattr(variant, name, getattr(scores, name))
        variant.safety_risk = safety_risk(scores.safety)
        variant.lineage = {**variant.lineage, "scorer": scorer.describe(), "scores": scores.lineage}
    # One UPDATE per variant: for a segment's handful of rows that is cheaper than
    # bulk_update's CASE expression per field.
    with transaction.atomic():
        for variant in variants:
            Variant.objects.filter(pk=variant.pk).update(
                **{name: getattr(variant, name) for name in UPDATED_FIELDS}
            )
    return seconds


def history_for(*, campaign_id: int, exclude) -> dict[str, list[list[float]]]:
    """Embeddings of the campaign's other scored variants, for novelty."""
    others = (
        Variant.objects.filter(campaign_id=campaign_id)
        .exclude(exclude)
        .exclude(text_embedding=None)
        .values_list("text_embedding", "image_embedding")
    )
    text, image = [], []
    for text_emb, image_emb in others:
        text.append(text_emb)
        if image_emb:
            image.append(image_emb)
    return {"text": text, "image": image}
