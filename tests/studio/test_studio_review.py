"""The review grid and the decisions taken from it, through the views."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import AdFormat, ModerationCase, Review, Variant
from tests.studio.conftest import make_variants

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def grid(client, campaign, **params):
    return client.get(reverse("campaigns:review_grid", args=[campaign.pk]), params)


def card_ids(response) -> list[int]:
    return [v.pk for v in response.context["variants"]]


def test_grid_shows_cards_with_chips_and_na(client, designer, campaign, variants):
    client.force_login(designer)
    html = grid(client, campaign).text
    for v in variants:
        assert f'id="variant-{v.pk}"' in html and v.headline in html
    # No image model computed these: shown as n/a, not as a number.
    assert html.count("alignment <b>n/a</b>") == len(variants)
    assert html.count("safety risk <b>n/a</b>") == len(variants)
    assert f"text fit <b>{variants[0].text_fit:.1f}</b>" in html


def test_grid_filters_by_segment_status_and_format(client, designer, campaign, segments, variants):
    client.force_login(designer)
    first = segments[0]
    assert set(card_ids(grid(client, campaign, segment=first.pk))) == {
        v.pk for v in variants if v.segment_id == first.pk
    }
    Variant.objects.filter(pk=variants[0].pk).update(status=Variant.Status.APPROVED)
    assert card_ids(grid(client, campaign, status="approved")) == [variants[0].pk]
    mrec = AdFormat.objects.get(slug="mrec-300x250")
    variants[1].renditions.filter(format=mrec).delete()
    shown = grid(client, campaign, format=mrec.pk)
    assert variants[1].pk not in card_ids(shown) and len(card_ids(shown)) == len(variants) - 1
    assert all(v.main.format_id == mrec.pk for v in shown.context["variants"])


def test_bad_filter_values_are_ignored_not_a_500(client, designer, campaign, variants):
    client.force_login(designer)
    response = grid(client, campaign, segment="abc", status="<b>", sort="nope", page="x")
    assert response.status_code == 200
    assert len(card_ids(response)) == len(variants)


@pytest.mark.parametrize("sort", ["text_fit", "novelty", "alignment", "segment_fit", "safety"])
def test_sort_by_each_score_best_first_with_na_last(client, designer, campaign, variants, sort):
    Variant.objects.filter(pk=variants[0].pk).update(
        alignment=30.0, segment_fit=0.9, safety_risk=0.05
    )
    Variant.objects.filter(pk=variants[1].pk).update(
        alignment=20.0, segment_fit=0.2, safety_risk=0.6
    )
    client.force_login(designer)
    rows = grid(client, campaign, sort=sort).context["variants"]
    field = {"safety": "safety_risk"}.get(sort, sort)
    values = [getattr(v, field) for v in rows]
    present = [x for x in values if x is not None]
    assert values[: len(present)] == present, "n/a sorts last"
    expected = sorted(present) if sort == "safety" else sorted(present, reverse=True)
    assert present == expected
    worst = grid(client, campaign, sort=sort, order="worst").context["variants"]
    worst_present = [getattr(v, field) for v in worst if getattr(v, field) is not None]
    assert worst_present == list(reversed(expected))


def test_grid_query_count_does_not_grow_with_variants(client, designer, campaign, segments):
    client.force_login(designer)
    make_variants(campaign, segments, n=2)
    grid(client, campaign)  # warm the session and permission caches alike
    with CaptureQueriesContext(connection) as small:
        grid(client, campaign)
    make_variants(campaign, segments, n=10)
    with CaptureQueriesContext(connection) as large:
        response = grid(client, campaign)
    assert len(card_ids(response)) == 24
    assert len(large.captured_queries) == len(small.captured_queries)


def test_grid_paginates(client, designer, campaign, segments):
    make_variants(campaign, segments, n=25)  # 50 variants, 48 per page
    client.force_login(designer)
    assert len(card_ids(grid(client, campaign))) == 48
    assert len(card_ids(grid(client, campaign, page=2))) == 2


def test_htmx_filter_returns_only_the_grid(client, designer, campaign, variants):
    client.force_login(designer)
    response = client.get(
        reverse("campaigns:review_grid", args=[campaign.pk]), headers={**HX, "HX-Target": "grid"}
    )
    assert response.text.lstrip().startswith('<section id="grid"')
    assert "<html" not in response.text


def test_approve_swaps_the_card_and_is_idempotent(client, designer, variants):
    client.force_login(designer)
    v = variants[0]
    url = reverse("campaigns:variant_approve", args=[v.pk])
    first = client.post(url, {"comment": "Love it"}, headers=HX)
    second = client.post(url, {"comment": "Again"}, headers=HX)
    for response in (first, second):
        assert response.status_code == 200
        assert response.text.startswith("<article") and f'id="variant-{v.pk}"' in response.text
        assert 'data-status="approved"' in response.text
    v.refresh_from_db()
    assert v.status == Variant.Status.APPROVED
    assert list(Review.objects.values_list("action", "comment")) == [("approve", "Love it")]


def test_reject_with_comment_plain_post_redirects_back(client, designer, campaign, variants):
    client.force_login(designer)
    v = variants[0]
    back = reverse("campaigns:review_grid", args=[campaign.pk]) + "?status=pending"
    response = client.post(
        reverse("campaigns:variant_reject", args=[v.pk]), {"comment": "Off brand", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    v.refresh_from_db()
    assert v.status == Variant.Status.REJECTED
    assert Review.objects.get().comment == "Off brand"


def test_next_cannot_redirect_off_site(client, designer, campaign, variants):
    client.force_login(designer)
    response = client.post(
        reverse("campaigns:variant_reject", args=[variants[0].pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("campaigns:review_grid", args=[campaign.pk])


def test_held_variant_cannot_be_approved_and_says_why(client, designer, variants):
    v = variants[0]
    ModerationCase.objects.create(variant=v, reasons=[{"code": "banned_term"}])
    client.force_login(designer)
    response = client.post(reverse("campaigns:variant_approve", args=[v.pk]), headers=HX)
    assert "moderation case" in response.text
    v.refresh_from_db()
    assert v.status == Variant.Status.PENDING


def test_oversized_comment_is_refused(client, designer, variants):
    client.force_login(designer)
    v = variants[0]
    response = client.post(
        reverse("campaigns:variant_approve", args=[v.pk]), {"comment": "x" * 2001}, headers=HX
    )
    assert "at most 2000 characters" in response.text
    v.refresh_from_db()
    assert v.status == Variant.Status.PENDING


def test_bulk_approve_swaps_cards_out_of_band_and_reports_skips(
    client, designer, campaign, variants
):
    Variant.objects.filter(pk=variants[2].pk).update(status=Variant.Status.DRAFT)
    client.force_login(designer)
    ids = [variants[0].pk, variants[1].pk, variants[2].pk]
    response = client.post(
        reverse("campaigns:variants_bulk", args=[campaign.pk]),
        {"ids": ids, "action": "approve", "comment": "batch"},
        headers=HX,
    )
    assert "2 variants approved" in response.text
    assert f"Variant #{variants[2].pk}: This variant is still being generated." in response.text
    assert response.text.count('hx-swap-oob="true"') == 3
    statuses = dict(Variant.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses == {ids[0]: "approved", ids[1]: "approved", ids[2]: "draft"}


def test_bulk_refuses_other_campaigns_variants(client, designer, brand, campaign, variants):
    from campaigns.models import AudienceSegment, Campaign

    other = Campaign.objects.create(brand=brand, name="Other", product_name="X")
    other.formats.set(campaign.formats.all())
    seg = AudienceSegment.objects.create(campaign=other, name="S", persona="Some persona here.")
    stranger = make_variants(other, [seg], n=1)[0]
    client.force_login(designer)
    response = client.post(
        reverse("campaigns:variants_bulk", args=[campaign.pk]),
        {"ids": [stranger.pk], "action": "approve"},
        headers=HX,
    )
    assert "Select a valid choice" in response.text
    stranger.refresh_from_db()
    assert stranger.status == Variant.Status.PENDING


@pytest.mark.parametrize("count", [1, 5])
def test_compare_needs_two_to_four(client, designer, campaign, segments, count):
    vs = make_variants(campaign, segments, n=3)
    client.force_login(designer)
    query = "&".join(f"ids={v.pk}" for v in vs[:count])
    response = client.get(reverse("campaigns:variant_compare") + "?" + query)
    assert response.status_code == 400
    assert "Choose 2 to 4 variants" in response.text


def test_compare_shows_side_by_side(client, designer, variants):
    client.force_login(designer)
    query = "&".join(f"ids={v.pk}" for v in variants[:3])
    response = client.get(reverse("campaigns:variant_compare") + "?" + query)
    assert response.status_code == 200
    assert 'class="compare cols-3"' in response.text
    assert all(v.headline in response.text for v in variants[:3])


def test_compare_refuses_garbage_ids(client, designer):
    client.force_login(designer)
    response = client.get(reverse("campaigns:variant_compare") + "?ids=a&ids=b")
    assert response.status_code == 400


def test_preview_lists_every_format(client, designer, campaign, variants):
    client.force_login(designer)
    response = client.get(reverse("campaigns:variant_preview", args=[variants[0].pk]))
    for fmt in campaign.formats.all():
        assert fmt.name in response.text


def test_media_is_brand_scoped(client, designer, outsider, variants):
    url = variants[0].renditions.first().image.url
    client.force_login(designer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get("/media/../settings.py").status_code == 404
    assert client.get("/media/variants/renditions/unknown.png").status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
