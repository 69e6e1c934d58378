"""Each exported image says how it was made (IPTC digital source type), decided from the
variant's lineage, read back from the exported files: PNG iTXt + XMP, JPEG APP1 XMP +
COM, with the pixels untouched."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from PIL import Image, ImageChops

from campaigns.models import AdFormat, Export, Rendition
from campaigns.services import exports
from studio.engine import disclosure
from studio.engine.disclosure import (
    ALGORITHMIC,
    COMPOSITE_SYNTHETIC,
    COMPOSITE_TRAINED,
    TRAINED,
)
from tests.exports_helpers import check_against_manifest, read_disclosure
from tests.factories import approve, make_job, make_rendition, make_variant
from tests.helpers import png_bytes, run_round

pytestmark = pytest.mark.django_db

PROCEDURAL = {"backend": "procedural", "styles": ["studio"]}
DIFFUSERS = {"backend": "diffusers", "model": "stabilityai/sd-turbo"}
LINEAGES = {
    "procedural": ({"painter": PROCEDURAL, "image": {"backend": "procedural"}}, ALGORITHMIC),
    "procedural + product photo": (
        {"painter": PROCEDURAL, "image": {"backend": "procedural", "product_box": [1, 2, 3, 4]}},
        COMPOSITE_SYNTHETIC,
    ),
    "diffusion": ({"painter": DIFFUSERS, "image": {"backend": "diffusers"}}, TRAINED),
    "diffusion + library photo": (
        {"painter": DIFFUSERS, "image": {"backend": "diffusers", "source": "library"}},
        COMPOSITE_TRAINED,
    ),
}


@pytest.fixture
def square(campaign):
    fmt = AdFormat.objects.get(slug="square-1080")
    campaign.formats.set([fmt])
    return fmt


def build(campaign, user) -> Export:
    export = exports.export_start(campaign=campaign, user=user, enqueue=False)
    export = exports.export_build(export_id=export.pk)
    assert export.status == Export.Status.SUCCEEDED, export.error
    return export


def jpeg_rendition(variant, fmt, *, xmp: bytes | None = None) -> Rendition:
    buffer = io.BytesIO()
    image = Image.new("RGB", (200, 200), (30, 120, 200))
    image.paste((250, 200, 20), (40, 40, 120, 160))
    image.save(buffer, format="JPEG", quality=85, **({"xmp": xmp} if xmp else {}))
    data = buffer.getvalue()
    rendition = Rendition(
        variant=variant,
        format=fmt,
        width=200,
        height=200,
        sha256="0" * 64,
        layout={"variant_version": variant.version},
    )
    rendition.image.save(f"v{variant.pk}-{fmt.slug}.jpg", ContentFile(data), save=False)
    rendition.save()
    return rendition


def test_each_png_is_labelled_from_its_lineage(campaign, segments, square, manager):
    job = make_job(campaign, segments)
    expected = {}
    for name, (lineage, source_type) in LINEAGES.items():
        variant = make_variant(job, segments[0], lineage=lineage)
        make_rendition(variant, square)
        approve(variant, manager)
        expected[variant.pk] = (name, source_type)
    export = build(campaign, manager)
    manifest = check_against_manifest(export.file.path)
    with zipfile.ZipFile(export.file.path) as zf:
        for item in manifest["items"]:
            name, source_type = expected[item["variant_id"]]
            image, found = read_disclosure(zf, item["file"])
            assert image.format == "PNG"
            assert found["xmp_source_type"] == source_type, name
            assert found["text"]["DigitalSourceType"] == source_type, name
            assert item["digital_source_type"] == source_type, name
            assert item["ai_generated"] is (source_type in (TRAINED, COMPOSITE_TRAINED)), name
            if source_type in (COMPOSITE_SYNTHETIC, COMPOSITE_TRAINED):
                assert "real photo" in found["text"]["AI Disclosure"], name


def test_a_jpeg_rendition_keeps_its_type_pixels_and_gets_xmp_and_a_comment(
    campaign, segments, square, manager
):
    job = make_job(campaign, segments)
    variant = make_variant(job, segments[0], lineage=LINEAGES["diffusion"][0])
    rendition = jpeg_rendition(variant, square)
    approve(variant, manager)
    export = build(campaign, manager)
    manifest = check_against_manifest(export.file.path)
    [item] = manifest["items"]
    assert item["file"].endswith(f"variant-{variant.pk}-square-1080.jpg")
    with zipfile.ZipFile(export.file.path) as zf:
        data = zf.read(item["file"])
        image, found = read_disclosure(zf, item["file"])
    assert data[:4] == b"\xff\xd8\xff\xe0"  # SOI, then the JFIF APP0 still first
    assert image.format == "JPEG" and found["xmp_source_type"] == TRAINED
    assert "trained generative model (stabilityai/sd-turbo)" in found["text"]["AI Disclosure"]
    with Image.open(rendition.image.path) as original:  # same bytes decoded: same pixels
        assert (
            ImageChops.difference(original.convert("RGB"), image.convert("RGB")).getbbox() is None
        )


def test_a_jpeg_with_an_earlier_xmp_packet_carries_only_ours(campaign, segments, square, manager):
    job = make_job(campaign, segments)
    variant = make_variant(job, segments[0], lineage=LINEAGES["procedural"][0])
    stale = disclosure.xmp_packet(disclosure.Disclosure(disclosure.TRAINED, "old label"))
    jpeg_rendition(variant, square, xmp=stale.encode())
    approve(variant, manager)
    export = build(campaign, manager)
    [item] = check_against_manifest(export.file.path)["items"]
    with zipfile.ZipFile(export.file.path) as zf:
        data = zf.read(item["file"])
        _, found = read_disclosure(zf, item["file"])
    assert data.count(disclosure.XMP_APP1_HEADER) == 1
    assert found["xmp_source_type"] == ALGORITHMIC and b"old label" not in data


def test_a_placed_product_layer_counts_as_a_real_photo():
    lineage = {"painter": DIFFUSERS}
    assert disclosure.source_type_for(lineage) == TRAINED
    layout = {"boxes": {"product": [10, 10, 200, 200], "headline": [0, 0, 5, 5]}}
    assert disclosure.source_type_for(lineage, layout) == COMPOSITE_TRAINED
    assert disclosure.source_type_for({"painter": PROCEDURAL}, layout) == COMPOSITE_SYNTHETIC


def test_a_file_that_is_neither_png_nor_jpeg_is_refused():
    label = disclosure.Disclosure(TRAINED, "x")
    with pytest.raises(disclosure.UnsupportedImage):
        disclosure.copy_with_disclosure(io.BytesIO(png_bytes(fmt="GIF")), io.BytesIO(), label)


@pytest.mark.parametrize("with_product", [False, True], ids=["backdrop only", "product photo"])
def test_a_generated_round_is_labelled_from_its_real_lineage(
    campaign, segments, square, manager, with_product
):
    """The offline engine end to end: backdrop painting is algorithmic media, and
    with the campaign's product photo placed in it, a synthetic composite."""
    if with_product:
        photo = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
        photo.paste((200, 40, 40, 255), (16, 8, 48, 56))
        buffer = io.BytesIO()
        photo.save(buffer, format="PNG")
        campaign.product_image.save("shoe.png", ContentFile(buffer.getvalue()))
    job = run_round(campaign, segments[:1], n=1)
    variant = job.variants.get()
    approve(variant, manager)
    export = build(campaign, manager)
    [item] = check_against_manifest(export.file.path)["items"]
    expected = COMPOSITE_SYNTHETIC if with_product else ALGORITHMIC
    with zipfile.ZipFile(export.file.path) as zf:
        _, found = read_disclosure(zf, item["file"])
    assert (found["xmp_source_type"], item["digital_source_type"]) == (expected, expected)
    assert item["painter_backend"] == "backdrop" and item["ai_generated"] is False


def test_a_jpeg_with_exif_keeps_it_first_and_readable():
    exif = Image.Exif()
    exif[0x010F] = "Creative Studio camera"  # Make
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 200, 90)).save(
        buffer, format="JPEG", exif=exif, xmp=b"<x:xmpmeta>stale</x:xmpmeta>"
    )
    label = disclosure.disclosure_for({"painter": DIFFUSERS}, variant_id=7)
    out = io.BytesIO()
    disclosure.copy_with_disclosure(io.BytesIO(buffer.getvalue()), out, label)
    data = out.getvalue()
    assert data.index(b"Exif\x00\x00") < data.index(disclosure.XMP_APP1_HEADER)
    assert data.count(disclosure.XMP_APP1_HEADER) == 1 and b"stale" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif()[0x010F] == "Creative Studio camera"
        assert b"trainedAlgorithmicMedia" in image.info["xmp"]
