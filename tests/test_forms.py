import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.forms import BrandForm, CampaignForm, SegmentForm
from campaigns.models import AdFormat, AudienceSegment, Campaign
from tests.helpers import png_bytes

pytestmark = pytest.mark.django_db


def campaign_data(brand, **overrides):
    data = {
        "brand": brand.pk,
        "name": "Launch",
        "product_name": "Aero",
        "description": "Light shoe",
        "objective": "conversion",
        "landing_url": "https://acme.example/aero",
        "formats": [AdFormat.objects.get(slug="square-1080").pk],
        "status": "draft",
        "spend": "0",
    }
    data.update(overrides)
    return data


def test_campaign_form_saves_with_image(brand):
    form = CampaignForm(
        campaign_data(brand), {"product_image": SimpleUploadedFile("p.png", png_bytes())}
    )
    assert form.is_valid(), form.errors
    campaign = form.save()
    assert campaign.product_image.name.endswith(".png")
    assert list(campaign.formats.values_list("slug", flat=True)) == ["square-1080"]


def test_campaign_without_formats_is_refused(brand):
    form = CampaignForm(campaign_data(brand, formats=[]))
    assert not form.is_valid()
    assert form.errors["formats"] == ["Choose at least one ad format."]
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("p.png", b"MZ\x90\x00 definitely not an image"), "not an image"),
        (SimpleUploadedFile("p.gif", png_bytes(fmt="GIF")), "PNG, JPEG or WebP"),
    ],
)
def test_campaign_rejects_bad_product_images(brand, upload, message):
    form = CampaignForm(campaign_data(brand), {"product_image": upload})
    assert not form.is_valid()
    assert message in " ".join(form.errors["product_image"])
    assert not Campaign.objects.exists()


def test_campaign_rejects_decompression_bomb(brand, settings):
    settings.STUDIO_MAX_UPLOAD_PIXELS = 100_000
    upload = SimpleUploadedFile("bomb.png", png_bytes((1000, 1000)))
    form = CampaignForm(campaign_data(brand), {"product_image": upload})
    assert not form.is_valid()
    assert "pixels" in " ".join(form.errors["product_image"])


def test_campaign_rejects_oversized_upload(brand, settings):
    settings.STUDIO_MAX_UPLOAD_BYTES = 500
    upload = SimpleUploadedFile("big.png", png_bytes((300, 300)))
    form = CampaignForm(campaign_data(brand), {"product_image": upload})
    assert not form.is_valid()
    assert "limit" in " ".join(form.errors["product_image"])


def test_segment_form_reports_unparseable_rules(campaign):
    form = SegmentForm({"name": "S", "persona": "Runners", "rules": '{"age": {"min": 18,'})
    form.instance.campaign = campaign
    assert not form.is_valid()
    assert "not valid JSON" in form.errors["rules"][0]
    assert not AudienceSegment.objects.filter(name="S").exists()


def test_segment_form_normalises_rules(campaign):
    form = SegmentForm({"name": "S", "persona": "Runners", "rules": '{"age": [18, 30]}'})
    form.instance.campaign = campaign
    assert form.is_valid(), form.errors
    assert form.save().rules == {"age": {"min": 18, "max": 30}}


def test_brand_form_parses_palette():
    form = BrandForm({"name": "B", "palette": "#112233, #AABBCC"})
    assert form.is_valid(), form.errors
    assert form.save().palette == ["#112233", "#AABBCC"]
    bad = BrandForm({"name": "C", "palette": "#112233, blue"})
    assert not bad.is_valid()
    assert "blue" in bad.errors["palette"][0]
