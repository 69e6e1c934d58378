"""Brand, campaign, segment and generation pages; uploads; CSRF on htmx POSTs."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from campaigns.models import AdFormat, AudienceSegment, Brand, Campaign, GenerationJob
from tests.helpers import png_bytes

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def test_campaign_list_filters_by_status_and_search(client, designer, brand, campaign):
    Campaign.objects.create(brand=brand, name="Winter sale", product_name="Boots", status="active")
    client.force_login(designer)
    url = reverse("campaigns:campaign_list")
    names = lambda r: [c.name for c in r.context["campaigns"]]  # noqa: E731
    assert sorted(names(client.get(url))) == ["Spring launch", "Winter sale"]
    assert names(client.get(url, {"status": "active"})) == ["Winter sale"]
    assert names(client.get(url, {"q": "aero"})) == ["Spring launch"]
    assert names(client.get(url, {"q": "acme", "status": "draft"})) == ["Spring launch"]
    assert client.get(url, {"status": "bogus", "q": "x" * 5000}).status_code == 200


def test_designer_creates_a_campaign_in_own_brand_only(client, designer, brand, other_brand):
    client.force_login(designer)
    data = {
        "brand": other_brand.pk,
        "name": "Sneaky",
        "product_name": "X",
        "objective": "awareness",
        "formats": [AdFormat.objects.get(slug="square-1080").pk],
        "status": "draft",
        "spend": "0",
    }
    response = client.post(reverse("campaigns:campaign_create"), data)
    assert response.status_code == 200 and "Select a valid choice" in response.text
    data["brand"] = brand.pk
    response = client.post(reverse("campaigns:campaign_create"), data)
    campaign = Campaign.objects.get(name="Sneaky")
    assert response["Location"] == reverse("campaigns:campaign_detail", args=[campaign.pk])
    assert campaign.created_by == designer and campaign.brand == brand


def segment_url(campaign, segment=None):
    if segment:
        return reverse("campaigns:segment_edit", args=[campaign.pk, segment.pk])
    return reverse("campaigns:segment_create", args=[campaign.pk])


def test_rule_builder_saves_normalised_rules(client, designer, campaign):
    client.force_login(designer)
    response = client.post(
        segment_url(campaign),
        {
            "name": "Young Londoners",
            "persona": "Young people in London who run after work.",
            "age_min": "18",
            "age_max": "30",
            "interests": "Running, yoga ,",
            "locales": "en_GB",
            "countries": "gb",
            "devices": ["mobile"],
        },
    )
    assert response.status_code == 302
    segment = AudienceSegment.objects.get(name="Young Londoners")
    assert segment.rules == {
        "age": {"min": 18, "max": 30},
        "interests": ["running", "yoga"],
        "countries": ["GB"],
        "devices": ["mobile"],
        "locales": ["en-gb"],
    }
    form = client.get(segment_url(campaign, segment)).context["form"]
    assert form.initial["interests"] == "running, yoga"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"age_min": "40", "age_max": "20"},
            "age_min",
            "“Age from” (40) must not be greater than “Age to” (20)",
        ),
        ({"age_min": "5"}, "age_min", "between 13 and 120"),
        ({"age_max": "500"}, "age_max", "between 13 and 120"),
        ({"devices": ["toaster"]}, "devices", "Select a valid choice"),
        ({"interests": ",".join(f"i{n}" for n in range(60))}, "interests", "at most 50"),
        ({"name": "Trail runners"}, "name", "already has a segment"),
    ],
)
def test_rule_builder_shows_errors_on_the_right_field(
    client, designer, campaign, segments, data, field, message
):
    client.force_login(designer)
    payload = {"name": "New one", "persona": "Somebody who runs.", **data}
    response = client.post(segment_url(campaign), payload)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert not AudienceSegment.objects.filter(name="New one").exists()


def test_rules_preview_describes_or_explains(client, designer, campaign):
    client.force_login(designer)
    url = reverse("campaigns:rules_preview", args=[campaign.pk])
    ok = client.post(url, {"age_min": "20", "interests": "hiking"}, headers=HX)
    assert "Targets: age 20–∞; interests: hiking" in ok.text
    bad = client.post(url, {"age_min": "30", "age_max": "25"}, headers=HX)
    assert "must not be greater" in bad.text


def generate_url(campaign):
    return reverse("campaigns:generate", args=[campaign.pk])


def test_generate_htmx_opens_a_polling_progress_bar(client, designer, campaign, segments):
    client.force_login(designer)
    response = client.post(
        generate_url(campaign),
        {"segments": [s.pk for s in segments], "variants_per_segment": 3, "preset": "offline"},
        headers=HX,
    )
    job = GenerationJob.objects.get()
    assert f'id="job-{job.pk}"' in response.text
    assert 'hx-trigger="every 1s"' in response.text
    assert job.created_by == designer and job.variants_per_segment == 3
    assert job.engine_config["copywriter"] == "template"
    assert job.engine_config["painter"] == "procedural" and job.engine_config["scorer"] == "text"
    assert job.progress["copy"]["total"] == 6


def test_generate_plain_post_redirects_to_the_job_page(client, designer, campaign, segments):
    client.force_login(designer)
    response = client.post(
        generate_url(campaign),
        {"segments": [segments[0].pk], "variants_per_segment": 1, "preset": "configured"},
    )
    job = GenerationJob.objects.get()
    assert response["Location"] == reverse("campaigns:job_detail", args=[job.pk])
    page = client.get(response["Location"])
    assert f"Job #{job.pk}" in page.text and "<progress" in page.text


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"variants_per_segment": 99}, "less than or equal to 12"),
        ({"variants_per_segment": 0}, "greater than or equal to 1"),
        ({"segments": []}, "Choose at least one audience segment."),
        ({"preset": "gpu-farm"}, "Select a valid choice"),
        ({"seed": "-4"}, "greater than or equal to 0"),
    ],
)
def test_generate_form_errors(client, designer, campaign, segments, data, error):
    client.force_login(designer)
    payload = {"segments": [segments[0].pk], "variants_per_segment": 2, "preset": "offline"}
    response = client.post(generate_url(campaign), {**payload, **data}, headers=HX)
    assert error in response.text
    assert not GenerationJob.objects.exists()


def test_generate_without_formats_says_so(client, designer, campaign, segments):
    campaign.formats.clear()
    client.force_login(designer)
    payload = {"segments": [segments[0].pk], "variants_per_segment": 2, "preset": "offline"}
    response = client.post(generate_url(campaign), payload)
    assert "The campaign has no ad formats" in response.text


def test_progress_partial_stops_polling_when_done(client, designer, variants):
    client.force_login(designer)
    job = variants[0].job
    url = reverse("campaigns:job_progress", args=[job.pk])
    done = client.get(url, headers=HX)
    assert done.status_code == 286 and "hx-trigger" not in done.text
    assert "Review the variants" in done.text
    job.status, job.error = GenerationJob.Status.RUNNING, ""
    job.progress = {"copy": {"done": 2, "total": 4}, "paint": {"done": 1, "total": 4}}
    job.save()
    running = client.get(url, headers=HX)
    assert running.status_code == 200 and 'hx-trigger="every 1s"' in running.text
    assert "copy</span>" in running.text and "2/4" in running.text
    job.status, job.error = GenerationJob.Status.FAILED, "paint segment: the painter fell over"
    job.save()
    failed = client.get(url, headers=HX)
    assert failed.status_code == 286 and "the painter fell over" in failed.text


def brand_post(client, brand, **files):
    data = {"name": brand.name, "palette": "#112233, #FFFFFF", **files}
    return client.post(reverse("campaigns:brand_edit", args=[brand.pk]), data)


def test_logo_upload_accepts_a_png(client, manager, brand):
    client.force_login(manager)
    response = brand_post(client, brand, logo=SimpleUploadedFile("logo.png", png_bytes()))
    assert response.status_code == 302
    brand.refresh_from_db()
    assert brand.logo.name.endswith(".png") and brand.palette == ["#112233", "#FFFFFF"]
    assert client.get(brand.logo.url).status_code == 200


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("logo.png", b"not an image at all"), "Upload a valid image"),
        (SimpleUploadedFile("logo.gif", png_bytes(fmt="GIF")), "PNG, JPEG or WebP"),
        (SimpleUploadedFile("big.png", png_bytes((900, 900))), "the limit is"),
    ],
)
def test_bad_logo_uploads_are_form_errors(client, manager, brand, settings, upload, message):
    settings.STUDIO_MAX_UPLOAD_BYTES = 2000
    client.force_login(manager)
    response = brand_post(client, brand, logo=upload)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors["logo"])
    assert not Brand.objects.get(pk=brand.pk).logo


def test_bad_palette_is_a_form_error(client, manager, brand):
    client.force_login(manager)
    response = client.post(
        reverse("campaigns:brand_edit", args=[brand.pk]), {"name": brand.name, "palette": "red"}
    )
    assert "Not hex colours" in " ".join(response.context["form"].errors["palette"])


def test_new_brand_makes_its_creator_a_member(client, manager):
    client.force_login(manager)
    client.post(reverse("campaigns:brand_create"), {"name": "Fresh", "palette": "#000000"})
    assert Brand.objects.get(name="Fresh").members.filter(pk=manager.pk).exists()


def csrf_posts(w):
    v = w["variant"]
    return [
        (reverse("campaigns:variant_approve", args=[v.pk]), {}),
        (reverse("campaigns:variant_reject", args=[v.pk]), {}),
        (reverse("campaigns:variant_regenerate", args=[v.pk]), {"seed": "new"}),
        (
            reverse("campaigns:variant_edit", args=[v.pk]),
            {"headline": "Brand new words", "body": v.body, "cta": v.cta, "version": v.version},
        ),
        (
            reverse("campaigns:variants_bulk", args=[v.campaign_id]),
            {"ids": [v.pk], "action": "approve"},
        ),
        (reverse("campaigns:rules_preview", args=[v.campaign_id]), {"age_min": "20"}),
        (
            reverse("campaigns:generate", args=[v.campaign_id]),
            {"segments": [v.segment_id], "variants_per_segment": 1, "preset": "offline"},
        ),
    ]


def test_csrf_is_enforced_on_every_htmx_post(designer, variants):
    client = Client(enforce_csrf_checks=True)
    client.force_login(designer)
    page = client.get(reverse("campaigns:review_grid", args=[variants[0].campaign_id]))
    token = page.context["csrf_token"]
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in page.text
    for url, data in csrf_posts({"variant": variants[0]}):
        refused = client.post(url, data, headers=HX)
        assert refused.status_code == 403, url
        accepted = client.post(url, data, headers={**HX, "X-CSRFToken": str(token)})
        assert accepted.status_code == 200, url


def test_htmx_is_served_from_static_not_a_cdn(client, designer):
    client.force_login(designer)
    html = client.get(reverse("campaigns:campaign_list")).text
    assert '<script src="/static/vendor/htmx/htmx.min.js"' in html
    assert "unpkg" not in html and "cdn" not in html.lower()
