"""Brand scoping for views: objects outside the user's brands are a 404, never shown."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404

from campaigns.models import Brand, Campaign, GenerationJob, Variant
from campaigns.selectors import brands_for_user, campaigns_for_user


def needs(*codenames: str):
    """`permission_required` that answers 403 (never a login loop) for a logged-in user."""
    return permission_required([f"campaigns.{c}" for c in codenames], raise_exception=True)


def brand_for(request, pk) -> Brand:
    return get_object_or_404(brands_for_user(request.user), pk=pk)


def campaign_for(request, pk) -> Campaign:
    return get_object_or_404(campaigns_for_user(request.user).select_related("brand"), pk=pk)


def job_for(request, pk) -> GenerationJob:
    jobs = GenerationJob.objects.filter(campaign__in=campaigns_for_user(request.user))
    return get_object_or_404(jobs.select_related("campaign", "source_variant"), pk=pk)


def variant_for(request, pk) -> Variant:
    variants = Variant.objects.filter(campaign__in=campaigns_for_user(request.user))
    return get_object_or_404(
        variants.select_related("campaign__brand", "segment", "job", "parent"), pk=pk
    )
