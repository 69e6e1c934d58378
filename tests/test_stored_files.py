"""Uploads follow their rows: a replaced, cleared or deleted logo or product image is
removed from disk once the change commits (campaigns.services.stored_files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from campaigns import roles
from campaigns.models import Brand, Campaign
from tests.helpers import png_bytes

pytestmark = pytest.mark.django_db


def on_disk(field) -> Path:
    return Path(field.storage.path(field.name))


def test_replacing_a_logo_through_the_brand_form_removes_the_old_file(
    client, make_user, brand, django_capture_on_commit_callbacks
):
    brand.logo.save("old-logo.png", ContentFile(png_bytes()))
    old = on_disk(brand.logo)
    assert old.exists()
    client.force_login(make_user("mia", roles.CAMPAIGN_MANAGER, brand))
    data = {"name": brand.name, "voice": "", "palette": "#000000, #FFFFFF", "banned_terms": ""}
    upload = SimpleUploadedFile("new-logo.png", png_bytes(colour=(0, 90, 0)), "image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("campaigns:brand_edit", args=[brand.pk]), {**data, "logo": upload}
        )
    assert response.status_code == 302
    brand.refresh_from_db()
    assert on_disk(brand.logo).exists() and on_disk(brand.logo) != old
    assert not old.exists()


def test_clearing_a_product_image_removes_the_file(campaign, django_capture_on_commit_callbacks):
    campaign.product_image.save("shoe.png", ContentFile(png_bytes()))
    path = on_disk(campaign.product_image)
    with django_capture_on_commit_callbacks(execute=True):
        campaign.product_image = ""
        campaign.save()
    assert not path.exists()


def test_deleting_the_row_removes_its_file(brand, django_capture_on_commit_callbacks):
    brand.logo.save("logo.png", ContentFile(png_bytes()))
    path = on_disk(brand.logo)
    with django_capture_on_commit_callbacks(execute=True):
        brand.delete()
    assert not path.exists()


def test_a_rolled_back_replacement_keeps_the_old_file(campaign):
    campaign.product_image.save("shoe.png", ContentFile(png_bytes()))
    path = on_disk(campaign.product_image)
    with pytest.raises(RuntimeError), transaction.atomic():
        campaign.product_image = ""
        campaign.save()
        raise RuntimeError("the request failed after the save")
    campaign.refresh_from_db()
    assert path.exists() and campaign.product_image.name


def test_a_file_another_row_still_names_is_kept(
    brand, campaign, django_capture_on_commit_callbacks
):
    campaign.product_image.save("shoe.png", ContentFile(png_bytes()))
    twin = Campaign.objects.create(
        brand=brand, name="Copy", product_name="Aero", product_image=campaign.product_image.name
    )
    path = on_disk(campaign.product_image)
    with django_capture_on_commit_callbacks(execute=True):
        campaign.delete()
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        twin.delete()
    assert not path.exists()


def test_saving_other_fields_leaves_the_file_alone(brand, django_capture_on_commit_callbacks):
    brand.logo.save("logo.png", ContentFile(png_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        Brand.objects.get(pk=brand.pk).save(update_fields=["voice"])
        brand.voice = "Calm"
        brand.save()
    assert on_disk(brand.logo).exists()
