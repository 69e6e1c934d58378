"""Ad-platform sheets that would import: Google Ads Editor takes uploaded image ads only
in its display sizes and weight, and the 1.91:1 + 1:1 images as one responsive display
ad with the approved copy; Meta takes feed and Stories images only, each by its own file
name; copy over a platform's limits is left out, never cut; what is left out is listed
with the reason in skipped.csv and on the export page."""

from __future__ import annotations

import os
import zipfile

import pytest
from django.urls import reverse
from PIL import Image

from campaigns.models import AdFormat, Export
from campaigns.services import exports
from studio.engine import ad_platforms
from studio.engine.ad_platforms import GOOGLE_IMAGE_AD_SIZES, placement_for
from tests.exports_helpers import check_against_manifest, read_sheet
from tests.factories import approve, make_job, make_rendition, make_variant

pytestmark = pytest.mark.django_db

FEED_AND_STORY = {"square-1080", "landscape-1200x628", "portrait-1080x1350", "story-1080x1920"}


@pytest.fixture
def all_formats(campaign):
    campaign.formats.set(AdFormat.objects.all())
    return list(AdFormat.objects.order_by("slug"))


def variant_in_every_format(job, segment, formats, manager, **copy):
    variant = make_variant(job, segment, **copy)
    for fmt in formats:
        make_rendition(variant, fmt, size=(fmt.width, fmt.height))  # real pixel sizes
    approve(variant, manager)
    return variant


def build(campaign, user) -> Export:
    export = exports.export_start(campaign=campaign, user=user, enqueue=False)
    export = exports.export_build(export_id=export.pk)
    assert export.status == Export.Status.SUCCEEDED, export.error
    return export


def test_google_sheet_image_ads_in_display_sizes_and_one_responsive_ad_per_variant(
    campaign, segments, all_formats, manager, tmp_path
):
    job = make_job(campaign, segments)
    variant = variant_in_every_format(job, segments[0], all_formats, manager)
    export = build(campaign, manager)
    check_against_manifest(export.file.path)
    with zipfile.ZipFile(export.file.path) as zf:
        google = read_sheet(zf, "google_ads.csv")
        zf.extractall(tmp_path)  # "unzip, then import": paths are relative to this folder
    assert {r["Campaign type"] for r in google} == {"Display"}
    image_ads = [r for r in google if r["Ad type"] == "Image ad"]
    responsive = [r for r in google if r["Ad type"] == "Responsive display ad"]
    assert len(image_ads) + len(responsive) == len(google)
    sizes = set()
    for row in image_ads:
        path = tmp_path / row["Image"]
        assert not os.path.isabs(row["Image"]) and path.is_file()
        with Image.open(path) as image:
            assert image.size in GOOGLE_IMAGE_AD_SIZES
            sizes.add(image.size)
        assert path.stat().st_size <= 150 * 1024
    assert sizes == {(300, 250), (728, 90), (160, 600), (300, 600), (320, 50)}
    [rda] = responsive
    assert (rda["Headline 1"], rda["Long headline"], rda["Description 1"]) == (
        variant.headline,
        variant.headline,
        variant.body,
    )
    assert rda["Business name"] == campaign.brand.name
    assert rda["Final URL"] == campaign.landing_url and rda["Image"] == ""
    with Image.open(tmp_path / rda["Marketing image"]) as image:
        assert image.size == (1200, 628)
    with Image.open(tmp_path / rda["Square marketing image"]) as image:
        assert image.size == (1080, 1080)


def test_meta_sheet_takes_feed_and_story_images_by_unique_file_name(
    campaign, segments, all_formats, manager
):
    job = make_job(campaign, segments)
    first = variant_in_every_format(job, segments[0], all_formats, manager)
    variant_in_every_format(job, segments[1], all_formats, manager)
    export = build(campaign, manager)
    manifest = check_against_manifest(export.file.path)
    with zipfile.ZipFile(export.file.path) as zf:
        meta = read_sheet(zf, "meta_ads.csv")
    by_name = {i["file"].rsplit("/", 1)[-1]: i for i in manifest["items"]}
    assert len(by_name) == len(manifest["items"])  # one file name per rendition
    names = [r["Image File Name"] for r in meta]
    assert len(names) == len(set(names)) == 2 * len(FEED_AND_STORY)
    assert {by_name[n]["format"] for n in names} == FEED_AND_STORY
    assert f"variant-{first.pk}-story-1080x1920.png" in names


def test_left_out_renditions_are_listed_with_the_reason(campaign, segments, all_formats, manager):
    job = make_job(campaign, segments)
    variant = variant_in_every_format(job, segments[0], all_formats, manager)
    export = build(campaign, manager)
    with zipfile.ZipFile(export.file.path) as zf:
        skipped = read_sheet(zf, "skipped.csv")
    google = {r["format"]: r["reason"] for r in skipped if r["sheet"] == "google_ads.csv"}
    meta = {r["format"]: r["reason"] for r in skipped if r["sheet"] == "meta_ads.csv"}
    assert set(google) == {"story-1080x1920", "portrait-1080x1350"}
    assert "1080x1920 is not an uploaded image ad size" in google["story-1080x1920"]
    assert set(meta) == {f.slug for f in all_formats} - FEED_AND_STORY
    assert "728x90 is not a Meta feed ratio" in meta["leaderboard-728x90"]
    assert "below the 600 px wide minimum" in meta["mrec-300x250"]
    assert {r["variant_id"] for r in skipped} == {str(variant.pk)}
    sheets = export.counts["sheets"]
    assert sheets["google_ads.csv"]["left_out"] == 2 and sheets["meta_ads.csv"]["left_out"] == 5


def test_an_image_ad_over_150_kb_is_left_out(campaign, segments, manager):
    mrec = AdFormat.objects.get(slug="mrec-300x250")
    campaign.formats.set([mrec])
    job = make_job(campaign, segments)
    variant = make_variant(job, segments[0])
    rendition = make_rendition(variant, mrec, size=(300, 250))
    noise = Image.frombytes("RGB", (300, 250), os.urandom(300 * 250 * 3))
    noise.save(rendition.image.path, format="PNG")  # incompressible: about 225 KB
    approve(variant, manager)
    export = build(campaign, manager)
    with zipfile.ZipFile(export.file.path) as zf:
        assert read_sheet(zf, "google_ads.csv") == []
        [row] = [r for r in read_sheet(zf, "skipped.csv") if r["sheet"] == "google_ads.csv"]
    assert "over the 150 KB limit for a Google uploaded image ad" in row["reason"]


def test_copy_over_a_platform_limit_is_left_out_not_cut(campaign, segments, all_formats, manager):
    job = make_job(campaign, segments)
    headline_35 = "Lighter miles on every single trail"  # Google 30 < 35 <= Meta 40
    headline_45 = "Lighter miles on every trail, every day, rain"  # over both limits
    long_body = ("Springy foam that keeps every run fresh, " * 3).strip()  # 122 characters
    a = variant_in_every_format(job, segments[0], all_formats, manager, headline=headline_35)
    b = variant_in_every_format(job, segments[1], all_formats, manager, headline=headline_45)
    c = variant_in_every_format(job, segments[0], all_formats, manager, body=long_body)
    export = build(campaign, manager)
    with zipfile.ZipFile(export.file.path) as zf:
        google = read_sheet(zf, "google_ads.csv")
        meta = read_sheet(zf, "meta_ads.csv")
        skipped = read_sheet(zf, "skipped.csv")
    responsive = [r for r in google if r["Ad type"] == "Responsive display ad"]
    assert responsive == []  # a's and b's headlines and c's body are over Google's limits
    assert {r["Title"] for r in meta} == {headline_35, c.headline}  # never shortened
    reasons = {(r["sheet"], r["variant_id"]): r["reason"] for r in skipped}
    assert "headline is 35 characters" in reasons[("google_ads.csv", str(a.pk))]
    assert "at most 40" in reasons[("meta_ads.csv", str(b.pk))]
    assert "description (body) is 122 characters" in reasons[("google_ads.csv", str(c.pk))]


def test_export_page_says_which_variants_each_sheet_left_out_and_why(
    client, campaign, segments, all_formats, manager
):
    job = make_job(campaign, segments)
    variant = variant_in_every_format(job, segments[0], all_formats, manager)
    build(campaign, manager)
    client.force_login(manager)
    html = client.get(reverse("campaigns:export_campaign", args=[campaign.pk])).content.decode()
    assert "Google Ads: 6 rows" in html and "Meta: 4 rows" in html
    assert f"variant {variant.pk}" in html
    assert "story-1080x1920" in html and "is not an uploaded image ad size" in html


def test_placement_table_rules():
    google, meta = ad_platforms.GOOGLE_SHEET, ad_platforms.META_SHEET
    assert placement_for(google, 300, 250, 20_000)[0].key == "image_ad"
    assert placement_for(google, 1200, 628, 900_000)[0].key == "rda_landscape"
    assert placement_for(google, 1080, 1080, 900_000)[0].key == "rda_square"
    assert placement_for(google, 1080, 1350, 900_000)[0] is None
    assert placement_for(meta, 1080, 1350, 900_000)[0].key == "feed"
    assert placement_for(meta, 1080, 1920, 900_000)[0].key == "story"
    assert placement_for(meta, 160, 600, 9_000)[0] is None
    assert placement_for(meta, 1080, 1080, 31 * 1024 * 1024)[1].startswith("31.0 MB is over")


def test_a_responsive_display_ad_needs_both_the_landscape_and_the_square_image(
    campaign, segments, all_formats, manager
):
    job = make_job(campaign, segments)
    variant_in_every_format(job, segments[0], all_formats, manager)
    square = AdFormat.objects.get(slug="square-1080")
    export = exports.export_start(campaign=campaign, user=manager, formats=[square], enqueue=False)
    export = exports.export_build(export_id=export.pk)
    with zipfile.ZipFile(export.file.path) as zf:
        assert read_sheet(zf, "google_ads.csv") == []
        [row] = [r for r in read_sheet(zf, "skipped.csv") if r["sheet"] == "google_ads.csv"]
        assert len(read_sheet(zf, "meta_ads.csv")) == 1  # Meta takes the square alone
    assert row["format"] == "square-1080"
    assert "needs both a 1.91:1 and a 1:1 image" in row["reason"]
    assert "no 1.91:1 (landscape) rendition" in row["reason"]
