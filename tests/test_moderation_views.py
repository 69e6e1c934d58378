"""The moderation queue's pages: who may see and act, brand scoping, actions, errors."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from campaigns.models import Brand, Campaign, ModerationCase
from campaigns.services import moderation
from tests.factories import make_job, make_variant

pytestmark = pytest.mark.django_db


def make_user(name, brand=None, *codenames, superuser=False):
    maker = get_user_model().objects.create_superuser if superuser else None
    if maker:
        user = maker(name, password=f"pw-{name}-12345")
    else:
        user = get_user_model().objects.create_user(name, password=f"pw-{name}-12345")
    if brand:
        brand.members.add(user)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def case(campaign, segments):
    variant = make_variant(
        make_job(campaign, segments), segments[0], body="Mail sales@rival.com to order today."
    )
    return moderation.variant_screen(variant=variant)


@pytest.fixture
def other_case():
    brand = Brand.objects.create(name="Other brand")
    campaign = Campaign.objects.create(brand=brand, name="Other", product_name="Thing")
    segment = campaign.segments.create(name="Everyone", persona="People who like things.")
    variant = make_variant(make_job(campaign, [segment]), segment, nsfw_detected=True)
    return moderation.variant_screen(variant=variant)


@pytest.fixture
def moderator(client, brand):
    user = make_user("mo", brand, "moderate_variant")
    client.force_login(user)
    return user


def test_anonymous_is_sent_to_login(client, case):
    response = client.get(reverse("campaigns:moderation_queue"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("codenames", [(), ("review_variant", "export_campaign")])
def test_users_without_the_permission_are_refused(client, brand, case, codenames):
    client.force_login(make_user("designer", brand, *codenames))
    assert client.get(reverse("campaigns:moderation_queue")).status_code == 403
    assert client.get(reverse("campaigns:moderation_case", args=[case.pk])).status_code == 403
    url = reverse("campaigns:moderation_decide", args=[case.pk, "clear"])
    assert client.post(url).status_code == 403
    case.refresh_from_db()
    assert case.status == ModerationCase.Status.OPEN


def test_moderator_sees_only_their_brands_cases(client, moderator, case, other_case):
    response = client.get(reverse("campaigns:moderation_queue"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [case]
    assert client.get(reverse("campaigns:moderation_case", args=[other_case.pk])).status_code == 404
    url = reverse("campaigns:moderation_decide", args=[other_case.pk, "block"])
    assert client.post(url).status_code == 404


def test_superuser_sees_every_case(client, case, other_case):
    client.force_login(make_user("admin", None, superuser=True))
    response = client.get(reverse("campaigns:moderation_queue"))
    assert list(response.context["page"]) == [case, other_case]  # oldest first
    response = client.get(reverse("campaigns:moderation_queue"), {"reason": "nsfw_detected"})
    assert list(response.context["page"]) == [other_case]


def test_case_page_shows_the_evidence_escaped(client, moderator, case):
    response = client.get(reverse("campaigns:moderation_case", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "sales@rival.com" in html and "pii_email" in html and "opened" in html
    assert "Email address in copy" in html


def test_clear_through_the_page(client, moderator, case):
    url = reverse("campaigns:moderation_decide", args=[case.pk, "clear"])
    response = client.post(url, {"note": "Our own shop."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == ModerationCase.Status.CLEARED
    assert case.events.last().note == "Our own shop."


def test_fix_with_a_banned_term_is_refused_on_the_page(client, moderator, case):
    url = reverse("campaigns:moderation_decide", args=[case.pk, "fix"])
    response = client.post(
        url, {"headline": "The cheapest shoe", "body": "Order online today.", "cta": "Shop now"}
    )
    assert response.status_code == 400
    assert "banned term" in response.content.decode()
    case.refresh_from_db()
    case.variant.refresh_from_db()
    assert case.status == ModerationCase.Status.OPEN
    assert "sales@rival.com" in case.variant.body


def test_clearing_a_blocked_case_shows_why_not(client, moderator, case):
    client.post(
        reverse("campaigns:moderation_decide", args=[case.pk, "block"]), {"confirm": "True"}
    )
    response = client.post(reverse("campaigns:moderation_decide", args=[case.pk, "clear"]))
    assert response.status_code == 403
    assert "final" in response.content.decode()
    case.refresh_from_db()
    assert case.status == ModerationCase.Status.BLOCKED


def test_unknown_action_and_bad_filters(client, moderator, case):
    assert client.post(f"/moderation/cases/{case.pk}/approve/").status_code == 404
    response = client.get(reverse("campaigns:moderation_queue"), {"reason": "<script>"})
    assert response.status_code == 200 and list(response.context["page"]) == [case]
