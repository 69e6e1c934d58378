from django.urls import path, re_path

from campaigns import views
from campaigns.serving.views import actions as serving_actions
from campaigns.serving.views import analytics, api, rendition_links
from campaigns.views import assets, clips, deletion, profile, webhooks

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("brands/", views.brand_list, name="brand_list"),
    path("profile/", profile.profile, name="profile"),
    path("profile/tokens/<int:pk>/revoke/", profile.token_revoke, name="token_revoke"),
    path("brands/new/", views.brand_create, name="brand_create"),
    path("brands/<int:pk>/edit/", views.brand_edit, name="brand_edit"),
    path("brands/<int:pk>/assets/", assets.asset_list, name="asset_list"),
    path("brands/<int:pk>/assets/upload/", assets.asset_upload, name="asset_upload"),
    path("assets/<int:pk>/delete/", assets.asset_delete_view, name="asset_delete"),
    path("brands/<int:pk>/webhooks/", webhooks.webhook_list, name="webhook_list"),
    path("webhooks/<int:pk>/", webhooks.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/enable/", webhooks.webhook_enable, name="webhook_enable"),
    path("webhooks/<int:pk>/delete/", webhooks.webhook_delete, name="webhook_delete"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/delete/", deletion.campaign_delete_view, name="campaign_delete"),
    path("campaigns/<int:pk>/cutout/", views.campaign_cutout, name="campaign_cutout"),
    path("campaigns/<int:campaign_pk>/segments/new/", views.segment_create, name="segment_create"),
    path(
        "campaigns/<int:campaign_pk>/segments/<int:pk>/edit/",
        views.segment_edit,
        name="segment_edit",
    ),
    path(
        "campaigns/<int:campaign_pk>/segments/<int:pk>/delete/",
        deletion.segment_delete_view,
        name="segment_delete",
    ),
    path(
        "campaigns/<int:campaign_pk>/segments/preview/",
        views.rules_preview,
        name="rules_preview",
    ),
    path("campaigns/<int:pk>/generate/", views.generate, name="generate"),
    path("campaigns/<int:pk>/review/", views.review_grid, name="review_grid"),
    path("campaigns/<int:pk>/review/bulk/", views.variants_bulk, name="variants_bulk"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("variants/compare/", views.variant_compare, name="variant_compare"),
    path("variants/<int:pk>/card/", views.variant_card, name="variant_card"),
    path("variants/<int:pk>/approve/", views.variant_approve, name="variant_approve"),
    path("variants/<int:pk>/reject/", views.variant_reject, name="variant_reject"),
    path("variants/<int:pk>/edit/", views.variant_edit, name="variant_edit"),
    path("variants/<int:pk>/regenerate/", views.variant_regenerate, name="variant_regenerate"),
    path("variants/<int:pk>/vary/", views.variant_vary, name="variant_vary"),
    path("variants/<int:pk>/preview/", views.variant_preview, name="variant_preview"),
    path("variants/<int:pk>/why/", views.variant_why, name="variant_why"),
    path("variants/<int:pk>/animate/", clips.variant_animate, name="variant_animate"),
    path("variants/<int:pk>/clips/", clips.variant_clips, name="variant_clips"),
    # Moderation
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("moderation/cases/<int:pk>/", views.moderation_case, name="moderation_case"),
    re_path(
        r"^moderation/cases/(?P<pk>[0-9]+)/(?P<action>clear|block|fix)/$",
        views.moderation_decide,
        name="moderation_decide",
    ),
    # Exports
    path("exports/", views.export_index, name="export_index"),
    path("campaigns/<int:pk>/exports/", views.export_campaign, name="export_campaign"),
    path("exports/<int:pk>/progress/", views.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("api/v1/decide", api.decide, name="api_decide"),
    path("api/v1/events", api.events, name="api_events"),
    path("api/v1/clips/<str:token>", rendition_links.clip_link, name="clip_link"),
    path(
        "api/v1/renditions/<str:token>",
        rendition_links.rendition_link,
        name="rendition_link",
    ),
    path("campaigns/<int:pk>/analytics/", analytics.campaign_analytics, name="analytics"),
    path("campaigns/<int:pk>/analytics.csv", analytics.analytics_csv, name="analytics_csv"),
    path(
        "campaigns/<int:pk>/analytics/evaluation/",
        analytics.policy_evaluation,
        name="policy_evaluation",
    ),
    path("campaigns/<int:pk>/analytics/spend/", analytics.spend_update, name="analytics_spend"),
    path(
        "campaigns/<int:pk>/analytics/fatigue/<int:event_pk>/resume/",
        serving_actions.fatigue_resume,
        name="fatigue_resume",
    ),
    path(
        "campaigns/<int:pk>/analytics/more-like-winners/",
        analytics.winners_generate,
        name="analytics_winners",
    ),
]
