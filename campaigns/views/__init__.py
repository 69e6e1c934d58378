from campaigns.views.brands import brand_create, brand_edit, brand_list
from campaigns.views.campaigns import (
    campaign_create,
    campaign_cutout,
    campaign_detail,
    campaign_edit,
    campaign_list,
)
from campaigns.views.exports import export_campaign, export_download, export_index, export_progress
from campaigns.views.jobs import generate, job_detail, job_progress
from campaigns.views.media import media_file
from campaigns.views.moderation import moderation_case, moderation_decide, moderation_queue
from campaigns.views.review import review_grid, variant_card, variant_compare, variant_preview
from campaigns.views.segments import rules_preview, segment_create, segment_edit
from campaigns.views.variant_actions import (
    variant_approve,
    variant_edit,
    variant_regenerate,
    variant_reject,
    variant_vary,
    variants_bulk,
)
from campaigns.views.why import variant_why

__all__ = [
    "brand_create",
    "brand_edit",
    "brand_list",
    "campaign_create",
    "campaign_cutout",
    "campaign_detail",
    "campaign_edit",
    "campaign_list",
    "export_campaign",
    "export_download",
    "export_index",
    "export_progress",
    "generate",
    "job_detail",
    "job_progress",
    "media_file",
    "moderation_case",
    "moderation_decide",
    "moderation_queue",
    "review_grid",
    "rules_preview",
    "segment_create",
    "segment_edit",
    "variant_approve",
    "variant_card",
    "variant_compare",
    "variant_edit",
    "variant_preview",
    "variant_regenerate",
    "variant_reject",
    "variant_vary",
    "variant_why",
    "variants_bulk",
]
