from django import forms
from django.contrib import admin, messages

from campaigns.admin_scoping import BrandScopedMixin, scoped_filter
from campaigns.models import (
    AdFormat,
    AudienceSegment,
    Brand,
    BrandAsset,
    Campaign,
    Event,
    Export,
    GenerationJob,
    ModerationCase,
    ModerationEvent,
    Placement,
    Rendition,
    Review,
    Variant,
)
from campaigns.serving.services.placements import placement_create, placement_rotate_key


@admin.register(Brand)
class BrandAdmin(BrandScopedMixin, admin.ModelAdmin):
    list_display = ["name", "voice", "palette", "disclaimer", "created_at"]
    search_fields = ["name", "voice"]
    filter_horizontal = ["members"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not request.user.is_superuser:
            obj.members.add(request.user)  # else its creator could not see it (scoping)


@admin.register(AdFormat)
class AdFormatAdmin(BrandScopedMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "width", "height", "is_active"]
    list_filter = ["is_active"]
    list_editable = ["is_active"]


class SegmentInline(BrandScopedMixin, admin.TabularInline):
    model = AudienceSegment
    extra = 0
    fields = [
        "name",
        "persona",
        "rules",
        "estimated_size",
        "locale",
        "audience_noun",
        "focus_benefit",
    ]


@admin.register(Campaign)
class CampaignAdmin(BrandScopedMixin, admin.ModelAdmin):
    list_display = ["name", "brand", "product_name", "objective", "status", "created_at"]
    list_filter = ["status", "objective", scoped_filter("brand")]
    search_fields = ["name", "product_name", "description"]
    filter_horizontal = ["formats"]
    inlines = [SegmentInline]


@admin.register(AudienceSegment)
class AudienceSegmentAdmin(BrandScopedMixin, admin.ModelAdmin):
    list_display = ["name", "campaign", "estimated_size", "created_at"]
    list_filter = [scoped_filter("campaign__brand"), scoped_filter("campaign")]
    search_fields = ["name", "persona"]


@admin.register(GenerationJob)
class GenerationJobAdmin(BrandScopedMixin, admin.ModelAdmin):
    list_display = ["id", "campaign", "status", "variants_per_segment", "created_by", "created_at"]
    list_filter = ["status", scoped_filter("campaign__brand")]
    readonly_fields = ["progress", "timings", "engine_config", "error", "worker"]
    date_hierarchy = "created_at"


class RenditionInline(BrandScopedMixin, admin.TabularInline):
    model = Rendition
    extra = 0
    fields = ["format", "image", "width", "height", "sha256"]
    readonly_fields = fields


@admin.register(Variant)
class VariantAdmin(BrandScopedMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "headline",
        "segment",
        "status",
        "text_fit",
        "alignment",
        "copy_novelty",
        "created_at",
    ]
    list_filter = ["status", scoped_filter("campaign"), scoped_filter("segment")]
    search_fields = ["headline", "body", "cta"]
    readonly_fields = ["lineage", "safety", "text_embedding", "image_embedding", "history"]
    inlines = [RenditionInline]


@admin.register(Rendition)
class RenditionAdmin(BrandScopedMixin, admin.ModelAdmin):
    list_display = ["id", "variant", "format", "width", "height", "sha256", "created_at"]
    list_filter = ["format"]


@admin.register(Review)
class ReviewAdmin(BrandScopedMixin, admin.ModelAdmin):
    list_display = ["variant", "action", "user", "created_at"]
    list_filter = ["action"]
    readonly_fields = ["variant", "action", "user", "comment", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False  # reviews are an audit trail


# --- Moderation and exports: read-only here; decisions go through the services ---------


class ModerationEventInline(BrandScopedMixin, admin.TabularInline):
    model = ModerationEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "user", "action", "note", "hash_before", "hash_after"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ModerationCase)
class ModerationCaseAdmin(BrandScopedMixin, admin.ModelAdmin):
    list_display = ["id", "variant", "status", "codes", "opened_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    readonly_fields = ["variant", "status", "reasons", "codes", "decided_by", "decided_at"]
    inlines = [ModerationEventInline]

    # A case's status changes only through the moderation services, so a block can
    # never be undone by editing or deleting the row.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Export)
class ExportAdmin(BrandScopedMixin, admin.ModelAdmin):
    list_display = ["id", "campaign", "status", "requested_by", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["progress", "counts", "sha256", "error", "file"]

    def has_add_permission(self, request):
        return False


class PlacementAdminForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["campaign", "name", "format", "media", "rate_limit_per_minute", "is_active"]

    def clean(self):
        data = super().clean()
        campaign, fmt = data.get("campaign"), data.get("format")
        if campaign and fmt and not campaign.formats.filter(pk=fmt.pk).exists():
            self.add_error("format", f"The campaign {campaign} has no format {fmt}.")
        return data


@admin.register(Placement)
class PlacementAdmin(BrandScopedMixin, admin.ModelAdmin):
    """The API key is made on creation (and by "Rotate API key") and shown once, in a
    message: only its hash is stored."""

    list_display = [
        "name", "campaign", "format", "media", "api_key_prefix", "is_active", "created_at"
    ]  # fmt: skip
    list_filter = ["is_active", scoped_filter("campaign__brand")]
    readonly_fields = ["api_key_prefix", "created_at"]
    fields = [
        "campaign", "name", "format", "media", "rate_limit_per_minute", "is_active",
        *readonly_fields,
    ]  # fmt: skip
    actions = ["rotate_key"]
    form = PlacementAdminForm

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        placement, key = placement_create(
            campaign=obj.campaign,
            name=obj.name,
            format=obj.format,
            rate_limit_per_minute=obj.rate_limit_per_minute,
            media=obj.media,
        )
        obj.pk, obj.api_key_hash = placement.pk, placement.api_key_hash
        Placement.objects.filter(pk=placement.pk).update(is_active=obj.is_active)
        messages.warning(request, f"API key for {placement.name} (shown once, copy it now): {key}")

    @admin.action(description="Rotate API key (the old key stops working)")
    def rotate_key(self, request, queryset):
        for placement in queryset:
            key = placement_rotate_key(placement=placement)
            messages.warning(request, f"New API key for {placement.name} (shown once): {key}")


@admin.register(Event)
class EventAdmin(BrandScopedMixin, admin.ModelAdmin):
    list_display = ["token_id", "type", "value", "variant", "segment", "created_at"]
    list_filter = ["type"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False  # events are facts; totals were computed from them


@admin.register(BrandAsset)
class BrandAssetAdmin(BrandScopedMixin, admin.ModelAdmin):
    """Staff see and attach assets only for the brands they are members of."""

    list_display = ["title", "brand", "kind", "tags", "licence", "created_at"]
    list_filter = ["kind", scoped_filter("brand")]
    search_fields = ["title", "tags", "licence"]
    readonly_fields = ["uploaded_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
