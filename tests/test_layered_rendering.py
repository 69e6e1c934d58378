"""Layered renditions through the real pipeline: layers kept for re-renders, the layout
report and checks stored, thumbnails, the demo round, cut-out upload, brand fonts."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from campaigns import demo_art, roles
from campaigns.forms import BrandForm
from campaigns.models import AdFormat, Campaign, GenerationJob, Rendition, Variant
from campaigns.services import cutouts, edits, rendering
from campaigns.services.backgrounds import backgrounds_store
from campaigns.services.demo import demo_seed
from studio.engine import disclosure
from studio.engine.encode import encode_rendition
from studio.engine.painter.procedural import ProceduralPainter
from studio.engine.textfit import DEFAULT_FONT_DIR
from studio.engine.types import BackgroundRequest
from tests.factories import make_job, make_variant
from tests.helpers import png_bytes, run_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def shoe_campaign(campaign):
    campaign.product_image.save("shoe.png", ContentFile(demo_art.png_bytes(demo_art.draw_shoe())))
    cutouts.campaign_cutout_make(campaign=campaign)
    return campaign


def _solid_product_error(rendition: Rendition, cutout: Image.Image) -> float:
    """Mean absolute difference, over the product's opaque pixels, between the rendition
    and the cut-out scaled into the recorded product box (JPEG: a few levels)."""
    x0, y0, x1, y1 = rendition.layout["boxes"]["product"]
    placed = np.asarray(cutout.resize((x1 - x0, y1 - y0), Image.Resampling.LANCZOS), np.float64)
    with Image.open(rendition.image.path) as opened:
        got = np.asarray(opened.convert("RGB").crop((x0, y0, x1, y1)), np.float64)
    solid = placed[..., 3] > 250
    diff = np.abs(got[solid] - placed[..., :3][solid]).max(axis=1)
    # JPEG moves a few levels, most at the shoe's sharp inner edges; text or a scrim over
    # the product would move whole areas by far more.
    assert (diff > 60).mean() < 0.005
    return float(diff.mean())


def test_copy_edits_rerender_from_the_layers(shoe_campaign, segments, user):
    job = run_round(shoe_campaign, segments[:1], n=1, seed=11)
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    variant = job.variants.get()
    layers = dict(variant.layers)
    assert set(layers) == {"square-1080", "mrec-300x250"}
    backgrounds = {slug: default_storage.open(e["file"]).read() for slug, e in layers.items()}
    with Image.open(shoe_campaign.product_cutout.path) as opened:
        cutout = opened.convert("RGBA")
    first = {r.format.slug: r.layout["boxes"]["product"] for r in variant.renditions.all()}
    for n, headline in enumerate(("Grip that goes further", "Run the ridge tonight"), start=2):
        variant.refresh_from_db()
        edits.variant_copy_edit(
            variant=variant, user=user, expected_version=variant.version,
            headline=headline, body=variant.body, cta=variant.cta,
        )  # fmt: skip
        assert edits.variant_rerender(variant_id=variant.pk, version=n) is True
    variant.refresh_from_db()
    assert variant.layers == layers  # nothing re-painted
    for slug, entry in variant.layers.items():
        assert default_storage.open(entry["file"]).read() == backgrounds[slug]
    for rendition in variant.renditions.select_related("format"):
        assert rendition.version == 3 and rendition.layout["variant_version"] == 3
        assert rendition.layout["boxes"]["product"] == first[rendition.format.slug]
        assert _solid_product_error(rendition, cutout) < 8, rendition.format.slug


def test_rendition_report_file_and_thumbnail(shoe_campaign, segments):
    job = run_round(shoe_campaign, segments[:1], n=2, seed=3)
    for rendition in Rendition.objects.filter(variant__job=job).select_related("format"):
        report = rendition.layout
        for key in ("template", "safe_area", "boxes", "font_sizes", "contrast", "checks"):
            assert key in report, key
        assert "product" in report["boxes"] and "headline" in report["font_sizes"]
        assert rendition.checks_ok is True, report["checks"]
        ext = Path(rendition.image.name).suffix
        assert ext == f".{report['file']['type']}".replace(".jpg", ".jpg")
        data = Path(rendition.image.path).read_bytes()
        # The disclosure is in every file type, labelled by how the image was made: an
        # offline backdrop with the product photo composited on it.
        assert disclosure.COMPOSITE_SYNTHETIC.encode() in data
        with Image.open(rendition.thumbnail.path) as thumb:
            assert max(thumb.size) <= 480 and thumb.format in ("JPEG", "WEBP")
            assert thumb.size == rendition.thumb_size


def test_demo_round_shows_the_product_and_passes_every_check():
    campaign = demo_seed()
    assert campaign.product_cutout and campaign.cutout_method == "alpha"
    assert campaign.brand.logo
    with Image.open(campaign.product_image.path) as photo:
        assert photo.mode == "RGBA"
        alpha = np.asarray(photo.getchannel("A"))
        assert 0.2 < (alpha > 0).mean() < 0.9  # a shape, not a rectangle
    job = run_round(campaign, list(campaign.segments.all()[:1]), n=2, seed=42)
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    renditions = Rendition.objects.filter(variant__job=job).select_related("format")
    assert renditions.count() == 2 * campaign.formats.count()
    for rendition in renditions:
        failed = {k: c for k, c in rendition.layout["checks"].items() if not c["ok"]}
        assert not failed, (rendition.format.slug, failed)
        assert {"product", "logo", "headline", "cta", "disclaimer"} <= set(
            rendition.layout["boxes"]
        ), rendition.format.slug


def test_a_48_card_page_stays_under_1_5_mb_of_images(client, campaign, segments, make_user):
    square = AdFormat.objects.get(slug="square-1080")
    campaign.formats.set([square])
    job = make_job(campaign, segments[:1], n=48)
    # The busiest backgrounds the offline painter makes (stripes), one per card.
    requests = [
        BackgroundRequest("x", seed, 1080, 1080, palette=("#14532D", "#F97316", "#F5F5F4"),
                          style="stripes")
        for seed in range(48)
    ]  # fmt: skip
    painted = ProceduralPainter().paint_backgrounds(requests)
    for index in range(48):
        layers = backgrounds_store(
            prefix=f"grid{index}", formats=[square], painted=[painted[index]]
        )
        variant = make_variant(job, segments[0], index=index, layers=layers)
        rendering.variant_render(variant=variant)
    client.force_login(make_user("dana", roles.DESIGNER, campaign.brand))
    page = client.get(reverse("campaigns:review_grid", args=[campaign.pk])).content.decode()
    images = re.findall(r"<img [^>]*>", page)
    cards = [tag for tag in images if "/media/variants/" in tag]
    assert len(cards) == 48
    total = 0
    for tag in cards:
        assert 'loading="lazy"' in tag and re.search(r'width="\d+" height="\d+"', tag)
        src = re.search(r'src="/media/([^"?]+)', tag).group(1)
        total += default_storage.size(src)
    assert total < 1_500_000, total


def test_cutout_replace_takes_a_transparent_png_and_refuses_an_opaque_photo(
    client, campaign, make_user
):
    client.force_login(make_user("dana", roles.DESIGNER, campaign.brand))
    url = reverse("campaigns:campaign_cutout", args=[campaign.pk])
    opaque = SimpleUploadedFile("photo.jpg", png_bytes(fmt="JPEG"), content_type="image/jpeg")
    response = client.post(url, {"cutout": opaque}, follow=True)
    assert "Upload a PNG with a transparent background" in response.content.decode()
    campaign.refresh_from_db()
    assert not campaign.product_cutout
    shoe = SimpleUploadedFile("shoe.png", demo_art.png_bytes(demo_art.draw_shoe()))
    response = client.post(url, {"cutout": shoe}, follow=True)
    campaign.refresh_from_db()
    assert campaign.cutout_method == "uploaded" and campaign.product_cutout
    html = response.content.decode()
    assert 'class="checkerboard"' in html and campaign.product_cutout.url in html
    assert client.get(campaign.product_cutout.url).status_code == 200


def test_an_opaque_product_upload_is_cut_out(campaign):
    photo = Image.new("RGB", (400, 300), (240, 240, 240))
    photo.paste((200, 30, 40), (120, 90, 280, 220))
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=95)
    campaign.product_image.save("photo.jpg", ContentFile(buffer.getvalue()))
    cutouts.campaign_cutout_make(campaign=campaign)
    assert campaign.cutout_method == "grabcut"
    with Image.open(campaign.product_cutout.path) as cut:
        assert cut.mode == "RGBA" and abs(cut.width - 160) <= 6 and abs(cut.height - 130) <= 6


def test_brand_font_is_used_and_a_non_font_is_refused(shoe_campaign, segments):
    brand = shoe_campaign.brand
    serif = (DEFAULT_FONT_DIR / "DejaVuSans.ttf").read_bytes()  # regular as the headline
    form = BrandForm(
        data={"name": brand.name, "palette": "#0F172A, #F97316, #FFFFFF", "cta_shape": "square",
              "colour_cta": "#14532D"},
        files={"headline_font": SimpleUploadedFile("brand-head.ttf", serif)},
        instance=brand,
    )  # fmt: skip
    assert form.is_valid(), form.errors
    form.save()
    brand.refresh_from_db()
    assert brand.colours == {"cta": "#14532D"} and brand.cta_shape == "square"
    job = run_round(shoe_campaign, segments[:1], n=1, seed=8)
    for rendition in Rendition.objects.filter(variant__job=job):
        assert rendition.layout["fonts"]["headline"] == Path(brand.headline_font.name).name
        assert rendition.layout["fonts"]["body"] == "DejaVuSans.ttf"
    bad = BrandForm(
        data={"name": brand.name, "palette": "#0F172A, #F97316", "cta_shape": "pill"},
        files={"body_font": SimpleUploadedFile("evil.ttf", png_bytes())},
        instance=brand,
    )
    assert not bad.is_valid()
    assert "Not a font file" in str(bad.errors["body_font"])


def test_contact_sheet_command_writes_one_png(shoe_campaign, segments, tmp_path):
    job = run_round(shoe_campaign, segments[:1], n=2, seed=4)
    out = tmp_path / "sheet.png"
    call_command("contact_sheet", str(job.pk), "--output", str(out), stdout=io.StringIO())
    with Image.open(out) as sheet:
        assert sheet.format == "PNG" and sheet.width > 300 and sheet.height > 300
    only = tmp_path / "mrec.png"
    call_command("contact_sheet", str(job.pk), "--format", "mrec-300x250", "--output", str(only),
                 stdout=io.StringIO())  # fmt: skip
    with Image.open(only) as sheet:
        # One format: the two variants side by side in a grid, not one tall column.
        assert 2 * 300 < sheet.width < 800 and sheet.height < 400
    with pytest.raises(Exception, match="no renditions in format"):
        call_command("contact_sheet", str(job.pk), "--format", "nope", stdout=io.StringIO())


def test_checks_chip_filter_and_why_overlay(client, shoe_campaign, segments, make_user):
    job = run_round(shoe_campaign, segments[:1], n=2, seed=6)
    flagged, clean = job.variants.order_by("index")
    rendition = flagged.renditions.first()
    rendition.layout["checks"]["low_contrast"] = {"ok": False, "detail": "under 4.5:1: body 3.1"}
    rendition.checks_ok = False
    rendition.save()
    client.force_login(make_user("dana", roles.DESIGNER, shoe_campaign.brand))
    url = reverse("campaigns:review_grid", args=[shoe_campaign.pk])
    page = client.get(url).content.decode()
    assert "1 format flagged" in page and "Contrast under 4.5" in page and "checks pass" in page
    failing = client.get(url, {"checks": "failing"}).content.decode()
    assert f'id="variant-{flagged.pk}"' in failing and f'id="variant-{clean.pk}"' not in failing
    passing = client.get(url, {"checks": "passing"}).content.decode()
    assert f'id="variant-{clean.pk}"' in passing and f'id="variant-{flagged.pk}"' not in passing
    why = client.get(reverse("campaigns:variant_why", args=[clean.pk])).content.decode()
    assert 'class="layout-overlay"' in why and 'class="box box-product"' in why
    assert 'class="safe"' in why and "template" in why


def test_jpeg_renditions_carry_one_disclosure_after_export(shoe_campaign, segments):
    """Written when the rendition is encoded, replaced (not doubled) when it is exported,
    and the pixels never re-encoded."""
    job = run_round(shoe_campaign, segments[:1], n=1, seed=2)
    rendition = Rendition.objects.filter(variant__job=job, image__endswith=".jpg").first()
    assert rendition is not None
    label = disclosure.disclosure_for(rendition.variant.lineage, rendition.layout)
    out = io.BytesIO()
    with open(rendition.image.path, "rb") as src:
        disclosure.copy_with_disclosure(src, out, label)
    data = out.getvalue()
    assert data.count(disclosure.XMP_APP1_HEADER) == 1 and data[:2] == b"\xff\xd8"
    assert label.source_type.encode() in data
    with Image.open(io.BytesIO(data)) as exported, Image.open(rendition.image.path) as stored:
        assert exported.tobytes() == stored.tobytes()


def test_a_png_rendition_label_is_replaced_not_doubled_on_export():
    flat = Image.new("RGB", (300, 250), (20, 90, 160))  # flat: encoded as PNG
    first = disclosure.Disclosure(disclosure.TRAINED, "made by a model")
    encoded = encode_rendition(flat, disclosure=first)
    assert encoded.ext == "png" and disclosure.TRAINED.encode() in encoded.data
    second = disclosure.Disclosure(disclosure.ALGORITHMIC, "drawn by code")
    out = io.BytesIO()
    disclosure.copy_with_disclosure(io.BytesIO(encoded.data), out, second)
    data = out.getvalue()
    assert disclosure.TRAINED.encode() not in data and disclosure.ALGORITHMIC.encode() in data
    with Image.open(io.BytesIO(data)) as exported:
        assert exported.info[disclosure.DISCLOSURE_KEYWORD] == "drawn by code"
        assert exported.tobytes() == flat.tobytes()


def test_a_format_added_later_gets_its_background_painted(shoe_campaign, segments):
    job = run_round(shoe_campaign, segments[:1], n=1, seed=9)
    variant = job.variants.get()
    story = AdFormat.objects.get(slug="story-1080x1920")
    shoe_campaign.formats.add(story)
    rendering.variant_render(variant=Variant.objects.get(pk=variant.pk))
    variant.refresh_from_db()
    assert "story-1080x1920" in variant.layers
    assert variant.renditions.filter(format=story, checks_ok=True).exists()
    assert Campaign.objects.get(pk=shoe_campaign.pk).product_cutout
