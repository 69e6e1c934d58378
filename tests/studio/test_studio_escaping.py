"""Every text a user can type is rendered escaped, on every page that shows it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import AudienceSegment, Brand, Campaign, GenerationJob, Review, Variant
from tests.studio.conftest import make_variants

pytestmark = pytest.mark.django_db

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
# What must never appear: the payloads' markup, unescaped.
RAW = ["<script>alert(1)</script>", "<img src=x onerror", '"><img']


@pytest.fixture(params=PAYLOADS, ids=["script", "img-onerror"])
def evil(request, designer, brand, campaign, segments):
    p = request.param
    Brand.objects.filter(pk=brand.pk).update(
        name=f"Brand {p}", voice=p, banned_terms=p, disclaimer=p
    )
    Campaign.objects.filter(pk=campaign.pk).update(name=f"Camp {p}", product_name=p, description=p)
    AudienceSegment.objects.filter(pk=segments[0].pk).update(name=f"Seg {p}", persona=p)
    AudienceSegment.objects.filter(pk=segments[1].pk).update(
        rules={"interests": [p[:60]]}, persona=p
    )
    variants = make_variants(campaign, segments, n=1)
    for v in variants:
        Variant.objects.filter(pk=v.pk).update(
            headline=p,
            body=p,
            cta=p[:40],
            image_prompt=p,
            lineage={"image_prompt": p, "copy": {"note": p}},
            history=[{"version": 1, "headline": p, "body": p, "cta": p}],
        )
        Review.objects.create(variant=v, user=designer, action="approve", comment=p)
    GenerationJob.objects.filter(pk=variants[0].job_id).update(error=p, status="failed")
    return {"payload": p, "variants": variants, "campaign": campaign, "brand": brand}


def pages(w):
    c, v = w["campaign"], w["variants"][0]
    other = w["variants"][1]
    return [
        reverse("campaigns:campaign_list"),
        reverse("campaigns:campaign_list") + "?q=" + w["payload"],
        reverse("campaigns:campaign_detail", args=[c.pk]),
        reverse("campaigns:campaign_edit", args=[c.pk]),
        reverse("campaigns:brand_list"),
        reverse("campaigns:segment_edit", args=[c.pk, v.segment_id]),
        reverse("campaigns:generate", args=[c.pk]),
        reverse("campaigns:review_grid", args=[c.pk]),
        reverse("campaigns:job_detail", args=[v.job_id]),
        reverse("campaigns:job_progress", args=[v.job_id]),
        reverse("campaigns:variant_card", args=[v.pk]),
        reverse("campaigns:variant_preview", args=[v.pk]),
        reverse("campaigns:variant_why", args=[v.pk]),
        reverse("campaigns:variant_compare") + f"?ids={v.pk}&ids={other.pk}",
    ]


def assert_escaped(html: str, payload: str, where: str) -> None:
    for raw in RAW:
        assert raw not in html, f"unescaped {raw!r} on {where}"


def test_every_page_escapes_user_text(client, manager, evil):
    client.force_login(manager)
    seen = 0
    for url in pages(evil):
        response = client.get(url)
        assert response.status_code in (200, 286), url
        assert_escaped(response.text, evil["payload"], url)
        seen += "&lt;" in response.text
    assert seen >= 10, "the payload should be visible (escaped) on most pages"
    edit = client.get(reverse("campaigns:brand_edit", args=[evil["brand"].pk]))
    assert_escaped(edit.text, evil["payload"], "brand edit")


def test_htmx_fragments_escape_user_text(client, designer, evil):
    client.force_login(designer)
    v = evil["variants"][0]
    hx = {"HX-Request": "true"}
    responses = [
        client.post(
            reverse("campaigns:variant_reject", args=[v.pk]),
            {"comment": evil["payload"]},
            headers=hx,
        ),
        client.get(reverse("campaigns:variant_why", args=[v.pk]), headers=hx),
        client.post(
            reverse("campaigns:rules_preview", args=[v.campaign_id]),
            {"interests": evil["payload"]},
            headers=hx,
        ),
        client.post(
            reverse("campaigns:variant_edit", args=[v.pk]),
            {"headline": evil["payload"], "body": "x", "cta": "y", "version": 1},
            headers=hx,
        ),
        client.post(
            reverse("campaigns:variants_bulk", args=[v.campaign_id]),
            {"ids": [v.pk], "action": "reject", "comment": evil["payload"]},
            headers=hx,
        ),
    ]
    for response in responses:
        assert response.status_code == 200
        assert_escaped(response.text, evil["payload"], response.request["PATH_INFO"])
        assert "&lt;" in response.text or "&quot;&gt;" in response.text
