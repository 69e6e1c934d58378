"""What an export says about one rendition: its place in the ZIP, its flat manifest row,
and the label of how its image was made.

Nothing here leaves a server path or a JSON blob in an export: lineage is flattened to
backend and model names (a local model directory is cut to its last part), scores are
rounded to 2 decimals, and the only paths are relative ones inside the ZIP.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.utils.text import slugify

from studio.engine import disclosure

SCORE_DIGITS = 2
ROUNDED_SCORES = ("text_fit", "alignment", "segment_fit", "copy_novelty", "image_novelty")


def rendition_arcname(rendition) -> str:
    """renditions/<segment>-<id>/<format>/variant-<id>-<format>.<ext>: one file name per
    rendition (Meta matches images by file name), with the stored file's own type."""
    segment = rendition.variant.segment
    fmt = rendition.format.slug
    suffix = PurePosixPath(rendition.image.name).suffix.lower() or ".png"
    return (
        f"renditions/{slugify(segment.name) or 'segment'}-{segment.pk}/{fmt}/"
        f"variant-{rendition.variant_id}-{fmt}{suffix}"
    )


def rendition_disclosure(rendition) -> disclosure.Disclosure:
    return disclosure.disclosure_for(
        rendition.variant.lineage or {}, rendition.layout, variant_id=rendition.variant_id
    )


def manifest_row(export, rendition, label: disclosure.Disclosure) -> dict[str, Any]:
    variant = rendition.variant
    lineage = variant.lineage or {}
    return {
        "export_id": export.pk,
        "variant_id": variant.pk,
        "rendition_id": rendition.pk,
        "campaign": export.campaign.name,
        "landing_url": export.campaign.landing_url,
        "segment_id": variant.segment_id,
        "segment": variant.segment.name,
        "format": rendition.format.slug,
        "width": rendition.width,
        "height": rendition.height,
        "headline": variant.headline,
        "body": variant.body,
        "cta": variant.cta,
        **{name: _score(getattr(variant, name)) for name in ROUNDED_SCORES},
        "segment_rank": variant.segment_rank,
        "safety_risk": _score(variant.safety_risk),
        "nsfw_detected": variant.nsfw_detected,
        "approved_by": rendition.approved_by or "",
        "approved_at": rendition.approved_at.isoformat() if rendition.approved_at else "",
        **_component("copywriter", lineage.get("copywriter")),
        **_component("painter", lineage.get("painter")),
        "background_asset": _asset_name((lineage.get("background") or {}).get("asset")),
        **_component("scorer", lineage.get("scorer")),
        "seed": variant.seed,
        "variant_version": variant.version,
        "ai_generated": label.trained_model,
        "digital_source_type": label.source_type,
    }


def _asset_name(asset: Any) -> str:
    """The brand library photo a background was built on, by title and id; "" for none."""
    if not isinstance(asset, dict) or not asset.get("id"):
        return ""
    return f"{asset.get('title') or 'asset'} (#{asset['id']})"


def _score(value: float | None) -> float | None:
    return None if value is None else round(float(value), SCORE_DIGITS)


def _component(name: str, part: Any) -> dict[str, str]:
    part = part if isinstance(part, dict) else {}
    return {
        f"{name}_backend": disclosure.public_name(part.get("backend")),
        f"{name}_model": model_names(part),
    }


def model_names(part: dict) -> str:
    """The models a backend ran, by public name: "all-MiniLM-L6-v2 + ViT-B-32 (laion2b)"."""
    names = []
    if part.get("model"):
        name = disclosure.public_name(part["model"])
        pretrained = disclosure.public_name(part.get("pretrained"))
        names.append(f"{name} ({pretrained})" if pretrained else name)
    embedder = part.get("embedder")
    if isinstance(embedder, dict) and embedder.get("name"):
        names.append(disclosure.public_name(embedder["name"]))
    for sub in ("text", "image"):
        if isinstance(part.get(sub), dict):
            names.append(model_names(part[sub]))
    return " + ".join(n for n in names if n)
