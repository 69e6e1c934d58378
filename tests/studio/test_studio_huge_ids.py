"""Ids no primary key can hold (2**63 and more, or thousands of digits) typed into a form
or a query string are form errors, never a 500 from the database driver."""

import pytest
from django.urls import reverse

from campaigns.ids import MAX_ID, parse_id
from tests.studio.conftest import make_variants

pytestmark = pytest.mark.django_db

HUGE = [str(2**63), str(2**64 + 5), "9" * 5000]


@pytest.mark.parametrize("value", ["1", " 42 ", str(MAX_ID), 7])
def test_parse_id_accepts_what_a_primary_key_holds(value):
    assert parse_id(value) == int(str(value).strip())


@pytest.mark.parametrize("value", [*HUGE, "0", "-1", "1.5", "²", "٣", "", "abc", True, 2**63])
def test_parse_id_refuses_the_rest(value):
    assert parse_id(value) is None


@pytest.mark.parametrize("huge", HUGE)
def test_compare_with_a_huge_id_is_a_400_with_a_message(client, designer, campaign, segments, huge):
    variant = make_variants(campaign, segments[:1], 1)[0]
    client.force_login(designer)
    url = reverse("campaigns:variant_compare") + f"?ids={variant.pk}&ids={huge}"
    response = client.get(url)
    assert response.status_code == 400
    assert "Variant ids must be whole numbers" in response.text


@pytest.mark.parametrize("huge", HUGE)
def test_generate_with_a_huge_segment_id_is_a_form_error(client, designer, campaign, huge):
    client.force_login(designer)
    data = {"segments": [huge], "variants_per_segment": 1, "preset": "offline"}
    response = client.post(reverse("campaigns:generate", args=[campaign.pk]), data)
    assert response.status_code == 200
    assert "is not a valid value" in response.text
    assert not campaign.jobs.exists()


@pytest.mark.parametrize("field", ["segments", "formats"])
def test_export_with_a_huge_id_is_a_form_error(client, manager, campaign, field):
    client.force_login(manager)
    response = client.post(
        reverse("campaigns:export_campaign", args=[campaign.pk]), {field: HUGE[0]}
    )
    assert response.status_code == 400
    assert "is not a valid value" in response.text
    assert not campaign.exports.exists()


def test_bulk_review_with_a_huge_id_is_a_message(client, designer, campaign, segments):
    variant = make_variants(campaign, segments[:1], 1)[0]
    client.force_login(designer)
    url = reverse("campaigns:variants_bulk", args=[campaign.pk])
    response = client.post(url, {"ids": [variant.pk, HUGE[0]], "action": "approve"}, follow=True)
    assert response.status_code == 200
    assert "is not a valid value" in response.text
    variant.refresh_from_db()
    assert variant.status == variant.Status.PENDING


def test_campaign_form_with_a_huge_format_id_is_a_form_error(client, manager, brand):
    client.force_login(manager)
    data = {"brand": brand.pk, "name": "X", "product_name": "Y", "formats": [HUGE[0]]}
    response = client.post(reverse("campaigns:campaign_create"), data)
    assert response.status_code == 200
    assert "is not a valid value" in response.text


@pytest.mark.parametrize("path", ["variants/{}/card/", "campaigns/{}/", "jobs/{}/"])
def test_huge_ids_in_the_path_are_404(client, manager, path):
    client.force_login(manager)
    assert client.get("/" + path.format(HUGE[0])).status_code == 404
