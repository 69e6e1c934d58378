"""Reads that several views, services and the serving API share."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from campaigns.models import Brand, Campaign, Export, ModerationCase, Rendition, Review, Variant

BLOCKING_CASE_STATUSES = (ModerationCase.Status.OPEN, ModerationCase.Status.BLOCKED)


def variants_with_blocking_case() -> QuerySet[ModerationCase]:
    return ModerationCase.objects.filter(variant=OuterRef("pk"), status__in=BLOCKING_CASE_STATUSES)


def variant_has_blocking_case(*, variant: Variant) -> bool:
    return variant.moderation_cases.filter(status__in=BLOCKING_CASE_STATUSES).exists()


def variant_list_cleared(*, campaign: Campaign | None = None) -> QuerySet[Variant]:
    """Approved variants with no open or blocking moderation case: the only ones that may
    be exported or served."""
    qs = Variant.objects.filter(status=Variant.Status.APPROVED).exclude(
        Exists(variants_with_blocking_case())
    )
    return qs.filter(campaign=campaign) if campaign is not None else qs


def brands_for_user(user) -> QuerySet[Brand]:
    """Brands a user may see: their own, or all of them for superusers."""
    if not user.is_authenticated:
        return Brand.objects.none()
    if user.is_superuser:
        return Brand.objects.all()
    return Brand.objects.filter(members=user)


def campaigns_for_user(user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(brand__in=brands_for_user(user))


# --- Moderation and export ---------------------------------------------------------------


def moderation_queue(*, user, status: str = "open", code: str = "") -> QuerySet[ModerationCase]:
    """Cases on the user's brands, oldest first; `status` "" means every status."""
    qs = ModerationCase.objects.filter(variant__campaign__in=campaigns_for_user(user))
    if status:
        qs = qs.filter(status=status)
    if code:
        qs = qs.filter(codes__contains=f",{code},")
    return qs.select_related("variant__campaign__brand", "variant__segment").order_by(
        "opened_at", "pk"
    )


def export_renditions(*, campaign: Campaign, segments=None, formats=None) -> QuerySet[Rendition]:
    """Renditions that may leave the studio: of approved variants with no open or
    blocking case, in the chosen segments and formats (None or empty: all), laid out
    segment by segment, format by format. Annotated with the latest approval."""
    qs = Rendition.objects.filter(variant__in=variant_list_cleared(campaign=campaign))
    return export_rows(qs, segments=segments, formats=formats).order_by(
        "variant__segment__name", "variant__segment_id", "format__slug", "variant_id"
    )


def export_rows(qs: QuerySet, *, segments=None, formats=None) -> QuerySet:
    """A per-(variant, format) queryset (renditions, clips) narrowed to the chosen
    segments and formats (None or empty: all), annotated with the latest approval."""
    approvals = Review.objects.filter(
        variant=OuterRef("variant"), action=Review.Action.APPROVE
    ).order_by("-created_at", "-pk")
    if segments:
        qs = qs.filter(variant__segment__in=segments)
    if formats:
        qs = qs.filter(format__in=formats)
    return qs.select_related("variant__segment", "format").annotate(
        approved_by=Subquery(approvals.values("user__username")[:1]),
        approved_at=Subquery(approvals.values("created_at")[:1]),
    )


def exports_for_user(user) -> QuerySet[Export]:
    return Export.objects.filter(campaign__in=campaigns_for_user(user)).select_related(
        "campaign", "requested_by"
    )


# --- Serving ------------------------------------------------------------------------------


def rendition_servable(*, rendition_id: int, version: int) -> Rendition | None:
    """The rendition if it may be shown to the public right now: of an approved variant
    with no open or blocking case, in an active campaign and an active format, drawn
    from the variant's current copy, and still the version the link names."""
    from campaigns.services.rendering import rendition_is_current

    rendition = (
        Rendition.objects.filter(
            pk=rendition_id,
            version=version,
            format__is_active=True,
            variant__in=variant_list_cleared(),
            variant__campaign__status=Campaign.Status.ACTIVE,
        )
        .select_related("variant")
        .first()
    )
    if rendition is None or not rendition_is_current(rendition, rendition.variant):
        return None
    return rendition
