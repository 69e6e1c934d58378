from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("brands/", views.brand_list, name="brand_list"),
    path("brands/new/", views.brand_create, name="brand_create"),
    path("brands/<int:pk>/edit/", views.brand_edit, name="brand_edit"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:campaign_pk>/segments/new/", views.segment_create, name="segment_create"),
    path(
        "campaigns/<int:campaign_pk>/segments/<int:pk>/edit/",
        views.segment_edit,
        name="segment_edit",
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
    path("variants/<int:pk>/preview/", views.variant_preview, name="variant_preview"),
    path("variants/<int:pk>/why/", views.variant_why, name="variant_why"),
]
