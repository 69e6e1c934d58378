"""Brand scoping for the admin: every model admin shows, opens, changes, deletes and
runs actions only on the rows of the user's brands (superusers: all of them), and the
choices in its forms and filters are scoped the same way, so another brand's names
never show either.

`BRAND_PATHS` says how each model reaches its brand; a model not listed (AdFormat) is
shared by every brand.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model, QuerySet

from campaigns.selectors import brands_for_user

BRAND_PATHS: dict[str, str] = {
    "campaigns.Brand": "",
    "campaigns.Campaign": "brand",
    "campaigns.AudienceSegment": "campaign__brand",
    "campaigns.GenerationJob": "campaign__brand",
    "campaigns.Variant": "campaign__brand",
    "campaigns.Rendition": "variant__campaign__brand",
    "campaigns.Review": "variant__campaign__brand",
    "campaigns.ModerationCase": "variant__campaign__brand",
    "campaigns.ModerationEvent": "case__variant__campaign__brand",
    "campaigns.Export": "campaign__brand",
    "campaigns.Placement": "campaign__brand",
    "campaigns.Decision": "placement__campaign__brand",
    "campaigns.Event": "placement__campaign__brand",
    "campaigns.VariantSegmentStats": "variant__campaign__brand",
    "campaigns.DailyStats": "variant__campaign__brand",
}


def scope_to_user(queryset: QuerySet, user) -> QuerySet:
    """The rows of `queryset` on the user's brands; unchanged for unscoped models."""
    path = BRAND_PATHS.get(queryset.model._meta.label)
    if path is None or (user.is_active and user.is_superuser):
        return queryset
    brands = brands_for_user(user)
    return queryset.filter(**{f"{path}__in" if path else "pk__in": brands})


def scoped_filter(field: str):
    """A list_filter entry that lists only the related rows present in the (scoped)
    changelist, not every brand's."""
    return (field, admin.RelatedOnlyFieldListFilter)


class BrandScopedMixin:
    """For ModelAdmin and inlines: queryset, object lookups (change, delete, history),
    actions and form choices all go through `scope_to_user`."""

    def get_queryset(self, request):
        return scope_to_user(super().get_queryset(request), request.user)

    def _scope_field(self, db_field, kwargs, request):
        related: type[Model] = db_field.remote_field.model
        if related._meta.label in BRAND_PATHS and "queryset" not in kwargs:
            kwargs["queryset"] = scope_to_user(related._default_manager.all(), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_field(db_field, kwargs, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_field(db_field, kwargs, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
