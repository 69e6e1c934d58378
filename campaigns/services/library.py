"""The brand asset library: upload, delete, and the photo a variant's backdrop uses."""

from __future__ import annotations

from django.db import transaction

from campaigns.models import Brand, BrandAsset, GenerationJob
from campaigns.models.asset import tag_words
from campaigns.selectors_assets import assets_for_backdrops
from studio.engine.asset_match import AssetCandidate, choose_asset
from studio.engine.types import EngineError


def asset_create(
    *,
    brand: Brand,
    user,
    image,
    title: str,
    licence: str,
    kind: str = BrandAsset.Kind.BACKGROUND,
    tags: str = "",
    floor: float | None = None,
) -> BrandAsset:
    """Validate (the image like every upload: size, pixels, a real and whole image)
    and store a new asset. Raises ValidationError with per-field messages."""
    asset = BrandAsset(
        brand=brand,
        uploaded_by=user,
        image=image,
        title=title.strip(),
        licence=licence.strip(),
        kind=kind,
        tags=", ".join(tag_words(tags)),
        floor=floor,
    )
    asset.full_clean()
    with transaction.atomic():
        asset.save()
    return asset


def asset_delete(*, asset: BrandAsset) -> None:
    """Delete the row; its file is removed once the deletion commits (see the model)."""
    with transaction.atomic():
        asset.delete()


def library_candidates(*, job: GenerationJob) -> list[dict]:
    """The brand's backdrop photos, read once per segment, for library rounds only."""
    if job.background_source != GenerationJob.Background.LIBRARY:
        return []
    return [
        {
            "id": asset.pk,
            "title": asset.title,
            "licence": asset.licence,
            "tags": asset.tag_list,
            "path": asset.image.path,
            "floor": asset.floor,
        }
        for asset in assets_for_backdrops(brand_id=job.campaign.brand_id)
    ]


def library_choose(*, candidates: list[dict], concept: str, seed: int) -> dict:
    """The candidate whose tags and title share most words with the concept."""
    if not candidates:
        # Assets deleted after the round started: the job fails with this message.
        raise EngineError("The brand's asset library has no backdrop photo left.")
    pool = [
        AssetCandidate(key=c["id"], words=(*c["tags"], *c["title"].lower().split()))
        for c in candidates
    ]
    key, matched = choose_asset(pool, concept, seed)
    chosen = next(c for c in candidates if c["id"] == key)
    return {**chosen, "matched_words": matched}
