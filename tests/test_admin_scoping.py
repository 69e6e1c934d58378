"""The admin keeps to the user's brands: a staff user of brand C with every model
permission can neither list, open, change, delete nor act on brand A's rows, in any
model admin; their form choices and filters do not name brand A's rows either."""

from __future__ import annotations

import uuid

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from campaigns.models import (
    AdFormat,
    AudienceSegment,
    Brand,
    Campaign,
    Event,
    Export,
    GenerationJob,
    ModerationCase,
    Placement,
    Rendition,
    Review,
    Variant,
)
from tests.factories import make_job, make_rendition, make_variant
from tests.serving_helpers import make_placement

pytestmark = pytest.mark.django_db


def build_brand_world(name: str) -> dict[type, object]:
    """One row of every brand-owned model, all on a new brand."""
    brand = Brand.objects.create(name=name, palette=["#000000", "#FFFFFF"])
    campaign = Campaign.objects.create(brand=brand, name=f"{name} launch", product_name="Shoe")
    campaign.formats.set(AdFormat.objects.filter(slug="square-1080"))
    segment = AudienceSegment.objects.create(
        campaign=campaign, name=f"{name} runners", persona="People who run."
    )
    job = make_job(campaign, [segment])
    variant = make_variant(job, segment, headline=f"{name} headline")
    rendition = make_rendition(variant, AdFormat.objects.get(slug="square-1080"))
    placement, _ = make_placement(campaign, name=f"{name} homepage")
    return {
        Brand: brand,
        Campaign: campaign,
        AudienceSegment: segment,
        GenerationJob: job,
        Variant: variant,
        Rendition: rendition,
        Review: Review.objects.create(variant=variant, action=Review.Action.APPROVE),
        ModerationCase: ModerationCase.objects.create(variant=variant, reasons=[]),
        Export: Export.objects.create(campaign=campaign),
        Placement: Placement.objects.get(pk=placement.pk),
        Event: Event.objects.create(
            token_id=uuid.uuid4(), type="impression", placement_id=placement.pk,
            variant=variant, segment=segment,
        ),
    }  # fmt: skip


@pytest.fixture
def worlds(db):
    return build_brand_world("Alpha"), build_brand_world("Charlie")


@pytest.fixture
def staff_client(client, worlds):
    """A staff user of brand C (Charlie) holding every permission of the app."""
    user = get_user_model().objects.create_user("carla", password="pw-carla", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="campaigns"))
    worlds[1][Brand].members.add(user)
    client.force_login(user)
    return client


SCOPED = [Brand, Campaign, AudienceSegment, GenerationJob, Variant, Rendition, Review,
          ModerationCase, Export, Placement, Event]  # fmt: skip


def test_every_registered_model_admin_is_covered():
    registered = set(admin.site._registry) - {get_user_model()}
    brand_owned = {m for m in registered if m._meta.app_label == "campaigns"} - {AdFormat}
    assert brand_owned == set(SCOPED)  # AdFormat is shared by every brand


def url(model, view, *args):
    return reverse(f"admin:campaigns_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_staff_of_another_brand_cannot_list_open_or_delete(staff_client, worlds, model):
    theirs, ours = worlds[0][model], worlds[1][model]
    listing = staff_client.get(url(model, "changelist"))
    assert listing.status_code == 200
    shown = {row.pk for row in listing.context["cl"].result_list}
    assert ours.pk in shown and theirs.pk not in shown
    assert "Alpha" not in listing.text  # not in the rows, nor in a filter's choices

    assert staff_client.get(url(model, "change", ours.pk)).status_code == 200
    opened = staff_client.get(url(model, "change", theirs.pk))
    assert opened.status_code == 302 and opened["Location"] == reverse("admin:index")
    assert staff_client.get(url(model, "history", theirs.pk)).status_code == 302

    deleting = staff_client.post(url(model, "delete", theirs.pk), {"post": "yes"})
    assert deleting.status_code in (302, 403)
    assert model.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_actions_ignore_another_brands_rows(staff_client, worlds, model):
    theirs = worlds[0][model]
    staff_client.post(
        url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"},
    )
    assert model.objects.filter(pk=theirs.pk).exists()


def test_form_choices_name_only_the_users_brands(staff_client, worlds):
    page = staff_client.get(url(Campaign, "add"))
    assert page.status_code == 200
    choices = {b.pk for b in page.context["adminform"].form.fields["brand"].queryset}
    assert choices == {worlds[1][Brand].pk}
    page = staff_client.get(url(Placement, "add"))
    choices = set(page.context["adminform"].form.fields["campaign"].queryset)
    assert choices == {worlds[1][Campaign]}


def test_rotating_keys_of_another_brand_is_ignored(staff_client, worlds):
    theirs = worlds[0][Placement]
    staff_client.post(
        url(Placement, "changelist"), {"action": "rotate_key", "_selected_action": [theirs.pk]}
    )
    assert Placement.objects.get(pk=theirs.pk).api_key_hash == theirs.api_key_hash


def test_superusers_still_see_every_brand(client, worlds):
    client.force_login(get_user_model().objects.create_superuser("root", "r@x.org", "pw"))
    listing = client.get(url(Campaign, "changelist"))
    assert {c.pk for c in listing.context["cl"].result_list} >= {
        worlds[0][Campaign].pk,
        worlds[1][Campaign].pk,
    }
