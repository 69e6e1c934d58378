"""Export pages: request through the form, the progress partial, the permission-checked
download, and what never reaches the ZIP."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from campaigns.models import Brand, Export, ModerationCase
from campaigns.services import exports
from tests.exports_helpers import check_against_manifest
from tests.factories import approve, make_job, make_rendition, make_variant

pytestmark = pytest.mark.django_db


def make_user(name, brand, *codenames):
    user = get_user_model().objects.create_user(name, password=f"pw-{name}-12345")
    if brand:
        brand.members.add(user)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def manager(client, brand):
    user = make_user("cm", brand, "export_campaign", "review_variant")
    client.force_login(user)
    return user


@pytest.fixture
def variants(campaign, segments, manager):
    job = make_job(campaign, segments)
    fmt = campaign.formats.first()
    approved, reopened = make_variant(job, segments[0]), make_variant(job, segments[1])
    for variant in (approved, reopened):
        make_rendition(variant, fmt)
        approve(variant, manager)
    ModerationCase.objects.create(variant=reopened, reasons=[{"code": "manual"}])
    return approved, reopened


def start_through_the_page(client, campaign, django_capture_on_commit_callbacks, data=None):
    url = reverse("campaigns:export_campaign", args=[campaign.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, data or {})
    return response, callbacks


def test_export_through_the_ui_leaves_out_the_open_case(
    client, campaign, variants, django_capture_on_commit_callbacks
):
    approved, reopened = variants
    response, callbacks = start_through_the_page(
        client, campaign, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert len(callbacks) == 1  # the build task, enqueued once the request commits
    export = Export.objects.get()
    progress_url = reverse("campaigns:export_progress", args=[export.pk])
    polling = client.get(progress_url, headers={"HX-Request": "true"})
    assert polling.status_code == 200 and 'hx-trigger="every 1s"' in polling.content.decode()
    export = exports.export_build(export_id=export.pk)  # what the worker runs
    finished = client.get(progress_url, headers={"HX-Request": "true"})
    assert finished.status_code == 286  # htmx: stop polling
    assert "Download ZIP" in finished.content.decode()
    download = client.get(reverse("campaigns:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    data = b"".join(download.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        items = json.loads(zf.read("manifest.json"))["items"]
    assert {i["variant_id"] for i in items} == {approved.pk}
    assert reopened.pk not in {i["variant_id"] for i in items}
    check_against_manifest(export.file.path)
    page = client.get(reverse("campaigns:export_campaign", args=[campaign.pk]))
    assert f"#{export.pk}" in page.content.decode()


def test_nothing_approved_shows_a_message_and_makes_nothing(
    client, campaign, manager, django_capture_on_commit_callbacks
):
    response, callbacks = start_through_the_page(
        client, campaign, django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert "Nothing to export" in response.content.decode()
    assert callbacks == [] and not Export.objects.exists()


def test_segments_of_another_campaign_are_refused(
    client, campaign, variants, django_capture_on_commit_callbacks
):
    other = Brand.objects.create(name="Other").campaigns.create(name="X", product_name="Y")
    foreign = other.segments.create(name="Z", persona="Someone else entirely.")
    response, _ = start_through_the_page(
        client, campaign, django_capture_on_commit_callbacks, {"segments": [foreign.pk]}
    )
    assert response.status_code == 400 and not Export.objects.exists()


def test_download_is_permission_checked_and_brand_scoped(client, campaign, variants, manager):
    export = exports.export_start(campaign=campaign, user=manager, enqueue=False)
    exports.export_build(export_id=export.pk)
    url = reverse("campaigns:export_download", args=[export.pk])
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_user("designer", campaign.brand, "review_variant"))
    assert client.get(url).status_code == 403
    client.force_login(make_user("rival", Brand.objects.create(name="Rival"), "export_campaign"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("campaigns:export_campaign", args=[campaign.pk])).status_code == 404


def test_unfinished_export_has_nothing_to_download(client, campaign, variants, manager):
    export = exports.export_start(campaign=campaign, user=manager, enqueue=False)
    assert client.get(reverse("campaigns:export_download", args=[export.pk])).status_code == 404


def test_index_lists_campaigns_with_what_is_ready(client, campaign, variants):
    response = client.get(reverse("campaigns:export_index"))
    assert response.status_code == 200
    assert response.context["rows"] == [(campaign, 1)]
