import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.models import AdFormat, AudienceSegment, Brand
from campaigns.validators import validate_image_file
from tests.helpers import png_bytes

pytestmark = pytest.mark.django_db


def test_standard_formats_are_seeded():
    sizes = set(AdFormat.objects.values_list("width", "height"))
    for size in [(1080, 1080), (1200, 628), (1080, 1920), (300, 250), (728, 90), (160, 600)]:
        assert size in sizes


@pytest.mark.parametrize("palette", [[], ["red"], ["#12345"], "#123456", ["#GGGGGG"]])
def test_palette_must_be_hex_colours(palette):
    brand = Brand(name="B", palette=palette)
    with pytest.raises(ValidationError) as info:
        brand.full_clean()
    assert "palette" in info.value.message_dict


def test_segment_rules_validated_on_save(campaign):
    segment = AudienceSegment(campaign=campaign, name="S", persona="p", rules='{"age": ')
    with pytest.raises(ValidationError, match="not valid JSON"):
        segment.save()
    assert not AudienceSegment.objects.filter(name="S").exists()
    segment.rules = {"age": [20, 30]}
    segment.save()
    segment.refresh_from_db()
    assert segment.rules == {"age": {"min": 20, "max": 30}}


def test_image_validator_accepts_png():
    validate_image_file(SimpleUploadedFile("ok.png", png_bytes()))


def test_image_validator_rejects_non_images():
    with pytest.raises(ValidationError, match="not a readable image"):
        validate_image_file(SimpleUploadedFile("x.png", b"<svg xmlns='...'></svg>"))


def test_image_validator_rejects_other_formats():
    with pytest.raises(ValidationError, match="PNG, JPEG or WebP"):
        validate_image_file(SimpleUploadedFile("x.gif", png_bytes(fmt="GIF")))


def test_image_validator_rejects_too_many_bytes(settings):
    settings.STUDIO_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError, match="the limit is"):
        validate_image_file(SimpleUploadedFile("big.png", png_bytes((200, 200))))


def test_image_validator_rejects_decompression_bomb(settings):
    # A tiny file that claims a huge canvas: refused from the header, never decoded.
    settings.STUDIO_MAX_UPLOAD_PIXELS = 1_000_000
    bomb = png_bytes((2000, 2000), colour=(0, 0, 0))
    assert len(bomb) < 50_000
    with pytest.raises(ValidationError, match="pixels"):
        validate_image_file(SimpleUploadedFile("bomb.png", bomb))
    assert Image.MAX_IMAGE_PIXELS  # Pillow's own guard stays on
