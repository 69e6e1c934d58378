from django.contrib import admin

from campaigns.models import (
    AdFormat,
    AudienceSegment,
    Brand,
    Campaign,
    Export,
    GenerationJob,
    ModerationCase,
    ModerationEvent,
    Rendition,
    Review,
    Variant,
)


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "voice", "palette", "disclaimer", "created_at"]
    search_fields = ["name", "voice"]
    filter_horizontal = ["members"]


@admin.register(AdFormat)
class AdFormatAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "width", "height", "is_active"]
    list_filter = ["is_active"]
    list_editable = ["is_active"]


class SegmentInline(admin.TabularInline):
    model = AudienceSegment
    extra = 0
    fields = ["name", "persona", "rules", "estimated_size"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "brand", "product_name", "objective", "status", "created_at"]
    list_filter = ["status", "objective", "brand"]
    search_fields = ["name", "product_name", "description"]
    filter_horizontal = ["formats"]
    inlines = [SegmentInline]


@admin.register(AudienceSegment)
class AudienceSegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "estimated_size", "created_at"]
    list_filter = ["campaign__brand", "campaign"]
    search_fields = ["name", "persona"]


@admin.register(GenerationJob)
class GenerationJobAdmin(admin.ModelAdmin):
    list_display = ["id", "campaign", "status", "variants_per_segment", "created_by", "created_at"]
    list_filter = ["status", "campaign__brand"]
    readonly_fields = ["progress", "timings", "engine_config", "error", "worker"]
    date_hierarchy = "created_at"


class RenditionInline(admin.TabularInline):
    model = Rendition
    extra = 0
    fields = ["format", "image", "width", "height", "sha256"]
    readonly_fields = fields


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
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
    list_filter = ["status", "campaign", "segment"]
    search_fields = ["headline", "body", "cta"]
    readonly_fields = ["lineage", "safety", "text_embedding", "image_embedding", "history"]
    inlines = [RenditionInline]


@admin.register(Rendition)
class RenditionAdmin(admin.ModelAdmin):
    list_display = ["id", "variant", "format", "width", "height", "sha256", "created_at"]
    list_filter = ["format"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["variant", "action", "user", "created_at"]
    list_filter = ["action"]
    readonly_fields = ["variant", "action", "user", "comment", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False  # reviews are an audit trail


# --- Moderation and exports: read-only here; decisions go through the services ---------


class ModerationEventInline(admin.TabularInline):
    model = ModerationEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "user", "action", "note", "hash_before", "hash_after"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ModerationCase)
class ModerationCaseAdmin(admin.ModelAdmin):
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
class ExportAdmin(admin.ModelAdmin):
    list_display = ["id", "campaign", "status", "requested_by", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["progress", "counts", "sha256", "error", "file"]

    def has_add_permission(self, request):
        return False
