from django.urls import path, re_path

from campaigns import views
from campaigns.views import analytics, api

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
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
    path("campaigns/<int:pk>/analytics/", analytics.campaign_analytics, name="analytics"),
    path("campaigns/<int:pk>/analytics.csv", analytics.analytics_csv, name="analytics_csv"),
    path("campaigns/<int:pk>/analytics/spend/", analytics.spend_update, name="analytics_spend"),
    path(
        "campaigns/<int:pk>/analytics/more-like-winners/",
        analytics.winners_generate,
        name="analytics_winners",
    ),
]
