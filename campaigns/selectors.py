"""Reads that several views, services and the serving API share."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from campaigns.models import Brand, Campaign, ModerationCase, Variant

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
