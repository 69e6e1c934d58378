"""Every domain model is in the admin, with list columns and filters, and its pages
render on real rows (a generation round on the offline engine)."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from campaigns.models import (
    AdFormat,
    AudienceSegment,
    Brand,
    Campaign,
    GenerationJob,
    Rendition,
    Variant,
)
from tests.helpers import run_round

pytestmark = pytest.mark.django_db

DOMAIN = [Brand, Campaign, AdFormat, AudienceSegment, GenerationJob, Variant, Rendition]


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "pw"))
    return client


@pytest.mark.parametrize("model", DOMAIN, ids=lambda m: m.__name__)
def test_changelist_filters_and_change_page_render(admin_client, campaign, segments, model):
    run_round(campaign, segments[:1], n=1)
    model_admin = admin.site._registry[model]
    assert len(model_admin.list_display) >= 4
    if model is not Brand:  # a brand list has nothing worth filtering on
        assert model_admin.list_filter
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = admin_client.get(changelist)
    assert response.status_code == 200
    cl = response.context["cl"]
    assert cl.result_count >= 1
    for spec in cl.filter_specs:  # each filter shown, applied with its last choice
        query = list(spec.choices(cl))[-1]["query_string"]
        assert admin_client.get(changelist + query).status_code == 200
    row = model.objects.first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
    assert admin_client.get(change).status_code == 200
