"""Reads behind the review grid: one page of variants in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.db.models.functions import Coalesce

from campaigns.models import Campaign, Rendition, Review, Variant, VariantClip
from campaigns.selectors import variants_with_blocking_case
from campaigns.selectors_clips import card_clips
from campaigns.services.rendering import rendition_is_current
from studio.engine.checks import LABELS, failed

PAGE_SIZE = 48
# Sort key -> the expression; "safety" sorts on the risk, so "best first" is lowest risk.
SORTS = {
    "newest": ("created_at", True),
    "alignment": ("alignment", True),
    "segment_fit": ("segment_fit", True),
    "novelty": ("novelty", True),
    "text_fit": ("text_fit", True),
    "safety": ("safety_risk", False),
}
PREFERRED_FORMATS = ("square-1080", "landscape-1200x628")


@dataclass(frozen=True)
class ReviewFilters:
    segment_id: int | None = None
    status: str | None = None
    held: bool | None = None  # True: only variants moderation holds; False: none of them
    format_id: int | None = None
    checks: str | None = None  # "failing" | "passing": by the renditions' layout checks
    sort: str = "newest"
    best_first: bool = True


def _cards(qs: QuerySet[Variant]) -> QuerySet[Variant]:
    """Everything a card shows, joined or prefetched: a page costs the same at any size."""
    return (
        qs.select_related("segment", "job", "campaign__brand")
        .annotate(
            novelty=Coalesce("image_novelty", "copy_novelty"),
            blocked=Exists(variants_with_blocking_case()),
        )
        .prefetch_related(
            Prefetch("renditions", queryset=Rendition.objects.select_related("format")),
            Prefetch("reviews", queryset=Review.objects.select_related("user")),
            Prefetch(
                "clips",
                queryset=VariantClip.objects.select_related("format").order_by(
                    "format__slug", "seconds", "kind"
                ),
            ),
        )
    )


def variant_list_for_review(*, campaign: Campaign, filters: ReviewFilters) -> QuerySet[Variant]:
    qs = _cards(Variant.objects.filter(campaign=campaign))
    if filters.segment_id:
        qs = qs.filter(segment_id=filters.segment_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.held is not None:
        qs = qs.filter(blocked=filters.held)
    if filters.format_id:
        qs = qs.filter(renditions__format_id=filters.format_id)
    if filters.checks:
        failing = Exists(Rendition.objects.filter(variant=OuterRef("pk"), checks_ok=False))
        qs = qs.filter(failing) if filters.checks == "failing" else qs.exclude(failing)
    field, high_is_best = SORTS.get(filters.sort, SORTS["newest"])
    descending = high_is_best == filters.best_first
    order = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return qs.order_by(order, "-pk")


def review_page(*, campaign: Campaign, filters: ReviewFilters, number) -> Page:
    """One page of the grid, each variant with `main` (the rendition its card shows)."""
    qs = variant_list_for_review(campaign=campaign, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(number)
    for variant in page.object_list:
        decorate(variant, format_id=filters.format_id)
    return page


def decorate(variant: Variant, *, format_id: int | None = None) -> Variant:
    """Attach what a card shows, from prefetched rows only (no queries)."""
    renditions = list(variant.renditions.all())
    variant.main = main_rendition(renditions, format_id)
    variant.rendering = any(not rendition_is_current(r, variant) for r in renditions)
    variant.clip_rows, variant.hover_clip = card_clips(
        variant, getattr(variant.main, "format_id", None)
    )
    variant.clips_pending = any(c.pending for c in variant.clip_rows)
    variant.failing_checks = [
        (r.format.slug, failed_checks(r)) for r in renditions if r.checks_ok is False
    ]
    reviews = sorted(variant.reviews.all(), key=lambda r: r.created_at, reverse=True)
    variant.last_review = next((r for r in reviews if r.comment), None)
    if not hasattr(variant, "novelty"):
        variant.novelty = (
            variant.image_novelty if variant.image_novelty is not None else variant.copy_novelty
        )
    if not hasattr(variant, "blocked"):
        variant.blocked = False
    return variant


def main_rendition(renditions: list[Rendition], format_id: int | None = None):
    if format_id:
        return next((r for r in renditions if r.format_id == format_id), None)
    for slug in PREFERRED_FORMATS:
        found = next((r for r in renditions if r.format.slug == slug), None)
        if found:
            return found
    return renditions[0] if renditions else None


def variants_for_cards(*, ids, campaigns: QuerySet[Campaign]) -> list[Variant]:
    """Variants by id, within the given campaigns, decorated for their cards."""
    qs = _cards(Variant.objects.filter(pk__in=ids, campaign__in=campaigns)).order_by("pk")
    return [decorate(v) for v in qs]


def failed_checks(rendition: Rendition) -> list[str]:
    """The readable names of a rendition's failed layout checks."""
    codes = failed((rendition.layout or {}).get("checks", {}))
    return [LABELS.get(code, code) for code in codes]
