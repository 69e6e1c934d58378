"""The "why this score" panel: breakdown with weights, segment rank, nearest
variants and lineage in words. Reads only; the numbers are the stored ones, never recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from campaigns.engine_words import engine_summary, model_name
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


# Painters that need no model weights (lineage backend names).
OFFLINE_PAINTERS = ("procedural", "backdrop", "library")


def lineage_story(variant: Variant) -> list[tuple[str, str]]:
    """The lineage in words, in reading order: copy (model, frames), image (model,
    style), prompts, seeds, scorers, engine, formats. Raw parameters and anything that
    could hold a server path stay out; models are named, never located."""
    lin = variant.lineage or {}
    rows = [
        ("Copy", _copy_story(lin.get("copy") or {}, lin.get("copywriter") or {}, variant)),
        ("Copy frames", _frames_story(lin.get("copy") or {})),
        ("Image", _image_story(lin.get("image") or {}, lin)),
        ("Background", _background_story(lin.get("background") or {})),
        ("Variation", _variation_story(lin.get("variation") or {})),
        ("Image prompt", lin.get("image_prompt", variant.image_prompt) or ""),
        ("Negative prompt", lin.get("negative_prompt") or ""),
        ("Seeds", _seed_story(lin, variant)),
        ("Scores", _score_story(lin.get("scorer") or {})),
        ("Engine", engine_summary(lin["engine_config"]) if lin.get("engine_config") else ""),
        ("Formats", _format_story(variant)),
    ]
    return [(label, text) for label, text in rows if text]


def _copy_story(copy: dict, copywriter: dict, variant: Variant) -> str:
    backend = copy.get("backend") or copywriter.get("backend") or ""
    if backend == "template":
        text = "Template copywriter"
        if copy.get("tone"):
            text += f", {copy['tone']} tone"
        if copy.get("rank"):
            text += f"; ranked {_ordinal(copy['rank'])} of its drafts"
            if copy.get("persona_fit") is not None:
                text += f" by persona fit {copy['persona_fit']:.2f}"
        embedder = (copywriter.get("embedder") or {}).get("model_dir") or ""
        text += f" (MiniLM {model_name(embedder) or 'all-MiniLM-L6-v2'})"
    elif backend:
        model = model_name(copy.get("model") or copywriter.get("model")) or "a language model"
        text = f"Language model {model}"
        if copy.get("decoding"):
            text += f", {copy['decoding']} decoding"
        if copy.get("attempt"):
            text += f", attempt {copy['attempt']}"
    else:
        return ""
    if copy.get("seed") is not None:
        text += f", seed {copy['seed']}"
    if copy.get("inspired"):
        text += "; inspired by the campaign's past winners"
    if variant.version > 1:
        text += f". Edited by hand since (now version {variant.version})"
    return text + "."


def _frames_story(copy: dict) -> str:
    # Frame ids of the typed-frame copywriter ("en.h.gets_with"); earlier rounds kept
    # the template text itself under "templates".
    frames = copy.get("frames") or copy.get("templates") or {}
    if not isinstance(frames, dict):
        return ""
    parts = [f"{part} “{frame}”" for part, frame in frames.items() if frame]
    return ", ".join(parts)


def _image_story(image: dict, lin: dict) -> str:
    backend = image.get("backend") or (lin.get("painter") or {}).get("backend") or ""
    size = image.get("size") or lin.get("size")
    size_words = f"{size[0]}×{size[1]} px" if size and len(size) == 2 else ""
    if backend in OFFLINE_PAINTERS:
        parts = [f"{backend.capitalize()} painter, “{image.get('style', '?')}” set"]
        if image.get("palette"):
            parts.append(f"palette {' '.join(image['palette'])}")
    elif backend:
        model = model_name(image.get("model")) or "a diffusion model"
        name = f"Diffusers {model}" + (
            f" ({image['preset']} preset)" if image.get("preset") else ""
        )
        parts = [name]
        if image.get("steps") is not None:
            parts.append(f"{image['steps']} steps, guidance {image.get('guidance')}")
        if image.get("scheduler"):
            parts.append(f"{image['scheduler']} scheduler")
        if image.get("device"):
            parts.append(f"{image.get('dtype', '')} on {image['device']}".strip())
    else:
        return ""
    if size_words:
        parts.append(size_words)
    if image.get("seed") is not None:
        parts.append(f"seed {image['seed']}")
    if image.get("product_box"):
        parts.append("product photo placed in the scene")
    return ", ".join(parts) + "."


def _background_story(background: dict) -> str:
    source = background.get("source") or ""
    asset = background.get("asset") or {}
    if asset:
        licence = f", licence: {asset['licence']}" if asset.get("licence") else ""
        return f"Brand library photo “{asset.get('title', '?')}”{licence}."
    return {"backdrop": "Studio backdrop.", "model": "Painted by the image model."}.get(source, "")


def _variation_story(variation: dict) -> str:
    if not variation:
        return ""
    return (
        f"More like variant #{variation.get('source_variant')} at strength "
        f"{variation.get('strength')}: its copy and layout, its background moved by the painter."
    )


def _seed_story(lin: dict, variant: Variant) -> str:
    chain = [
        (label, lin.get(key))
        for label, key in (("round", "job_seed"), ("segment", "segment_seed"))
        if lin.get(key) is not None
    ]
    chain.append(("variant", lin.get("seed", variant.seed)))
    steps = " → ".join(f"{label} seed {value}" for label, value in chain)
    return f"{steps[:1].upper()}{steps[1:]}: the same seeds with the same engine give the same variant."


def _score_story(scorer: dict) -> str:
    if not scorer:
        return ""
    text_part = scorer.get("text") or scorer
    embedder = (text_part.get("embedder") or {}).get("model_dir") or ""
    words = f"MiniLM text fit ({model_name(embedder) or 'all-MiniLM-L6-v2'})"
    image = scorer.get("image")
    if image:
        clip = model_name(image.get("model")) or "CLIP"
        pretrained = model_name(image.get("pretrained"))
        words += f" and CLIP {clip}" + (f" ({pretrained})" if pretrained else "")
        words += " for alignment, segment fit, image novelty and safety"
    else:
        words += "; no image model, so the image scores are n/a"
    return words + "."


def _format_story(variant: Variant) -> str:
    formats = [
        f"{r.format.name} {r.width}×{r.height}"
        for r in variant.renditions.select_related("format").order_by("format__name")
    ]
    if not formats:
        return ""
    return f"Laid out in {len(formats)} format{'s' if len(formats) != 1 else ''}: " + ", ".join(
        formats
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
