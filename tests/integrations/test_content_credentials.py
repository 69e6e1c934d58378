"""C2PA content credentials on exported images, read back with c2pa-python."""

import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from campaigns.models import AdFormat, Rendition, Variant
from studio.engine import credentials
from studio.engine.disclosure import ALGORITHMIC, COMPOSITE_TRAINED, TRAINED
from tests.exports_helpers import check_against_manifest, read_disclosure
from tests.factories import approve, make_job, make_rendition, make_variant
from tests.helpers import png_bytes
from tests.test_exports_disclosure import DIFFUSERS, PROCEDURAL, build, jpeg_rendition

pytestmark = pytest.mark.django_db


@pytest.fixture
def dev_signer(tmp_path, settings):
    call_command("c2pa_dev_cert", "--dir", str(tmp_path / "c2pa"))
    settings.STUDIO_C2PA_CERT = str(tmp_path / "c2pa" / "signer-chain.pem")
    settings.STUDIO_C2PA_KEY = str(tmp_path / "c2pa" / "signer-key.pem")
    return (tmp_path / "c2pa" / "dev-root.pem").read_bytes()


def test_each_exported_image_carries_signed_credentials(campaign, segments, manager, dev_signer):
    square = AdFormat.objects.get(slug="square-1080")
    campaign.formats.set([square])
    campaign.product_image.save("shoe.png", ContentFile(png_bytes(colour=(9, 9, 9))))
    campaign.brand.logo.save("logo.png", ContentFile(png_bytes(size=(32, 32))))
    job = make_job(campaign, segments)
    cases = {}
    made = make_variant(job, segments[0], lineage={"painter": PROCEDURAL})
    cases[made.pk] = (ALGORITHMIC, set())
    make_rendition(made, square)
    composite = make_variant(job, segments[0], lineage={"painter": DIFFUSERS})
    rendition = make_rendition(composite, square)
    Rendition.objects.filter(pk=rendition.pk).update(
        layout={"variant_version": 1, "boxes": {"product": [1, 2, 3, 4], "logo": [0, 0, 9, 9]}}
    )
    cases[composite.pk] = (COMPOSITE_TRAINED, {"Product photo", "Brand logo"})
    photo = make_variant(job, segments[1], lineage={"painter": DIFFUSERS})
    jpeg_rendition(photo, square)
    cases[photo.pk] = (TRAINED, set())
    for variant_pk in cases:
        approve(Variant.objects.get(pk=variant_pk), manager)

    export = build(campaign, manager)
    manifest = check_against_manifest(export.file.path)  # sizes and sha256 after signing
    assert len(manifest["items"]) == 3
    with zipfile.ZipFile(export.file.path) as zf:
        for item in manifest["items"]:
            data = zf.read(item["file"])
            source_type, ingredients = cases[item["variant_id"]]
            report = credentials.read_manifest(data, trust_anchors_pem=dev_signer)
            assert report.state == "Trusted", report.status_codes
            assert report.source_types == [source_type]
            assert {i["title"] for i in report.manifest.get("ingredients", [])} == ingredients
            generator = report.manifest["claim_generator_info"][0]["name"]
            assert generator == credentials.TOOL_NAME
            # The XMP/IPTC disclosure is still there for readers that know no C2PA.
            _, found = read_disclosure(zf, item["file"])
            assert found["xmp_source_type"] == source_type
            untrusted = credentials.read_manifest(data)
            assert untrusted.state == "Valid"
            assert "signingCredential.untrusted" in untrusted.status_codes


def test_a_tampered_image_fails_validation(tmp_path, dev_signer, settings):
    from studio.engine.disclosure import disclosure_for

    signing = credentials.SigningCredentials.from_files(
        settings.STUDIO_C2PA_CERT, settings.STUDIO_C2PA_KEY
    )
    label = disclosure_for({"painter": DIFFUSERS}, variant_id=1)
    signed = credentials.sign_image(
        png_bytes(size=(80, 80)), disclosure=label, credentials=signing, title="ad.png"
    )
    assert credentials.read_manifest(signed, trust_anchors_pem=dev_signer).state == "Trusted"
    tampered = bytearray(signed)
    tampered[signed.index(b"IDAT") + 6] ^= 0xFF  # one byte of the pixel data
    report = credentials.read_manifest(bytes(tampered), trust_anchors_pem=dev_signer)
    assert report.state == "Invalid"
    assert "assertion.dataHash.mismatch" in report.status_codes


def test_exports_without_a_certificate_carry_no_manifest(campaign, segments, manager, settings):
    settings.STUDIO_C2PA_CERT = ""
    square = AdFormat.objects.get(slug="square-1080")
    campaign.formats.set([square])
    variant = make_variant(make_job(campaign, segments), segments[0])
    make_rendition(variant, square)
    approve(variant, manager)
    export = build(campaign, manager)
    with zipfile.ZipFile(export.file.path) as zf:
        data = zf.read(check_against_manifest(export.file.path)["items"][0]["file"])
    assert b"c2pa" not in data
    assert Path(export.file.path).exists()
