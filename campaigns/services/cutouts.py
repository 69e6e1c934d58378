"""The product layer: a campaign's cut-out, made from its product photo or uploaded."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from campaigns.models import Campaign
from campaigns.validators import validate_image_file
from studio.engine import cutout, registry


def _save(campaign: Campaign, image: Image.Image, method: str) -> Campaign:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    old = campaign.product_cutout.name if campaign.product_cutout else ""
    campaign.product_cutout.save(
        f"cutout-{campaign.pk}.png", ContentFile(buffer.getvalue()), save=False
    )
    campaign.cutout_method = method
    campaign.save(update_fields=["product_cutout", "cutout_method", "updated_at"])
    if old and old != campaign.product_cutout.name:
        storage = campaign.product_cutout.storage
        transaction.on_commit(lambda: storage.delete(old))
    return campaign


def campaign_cutout_make(*, campaign: Campaign) -> Campaign:
    """Cut the product out of the campaign's photo (kept as is when it has transparency);
    drop the cut-out when the photo is gone."""
    if not campaign.product_image:
        if campaign.product_cutout:
            campaign.product_cutout.delete(save=False)
            campaign.cutout_method = ""
            campaign.save(update_fields=["product_cutout", "cutout_method", "updated_at"])
        return campaign
    with Image.open(campaign.product_image.path) as opened:
        opened.load()
        photo = opened.copy()
    matting = registry.get_matting(settings.STUDIO_MATTING_MODEL, settings.STUDIO_ENGINE["device"])
    image, method = cutout.cutout(photo, matting)
    return _save(campaign, image, method)


def campaign_cutout_replace(*, campaign: Campaign, upload) -> Campaign:
    """Use the designer's own PNG with transparency as the product layer."""
    validate_image_file(upload)
    try:
        upload.seek(0)
        with Image.open(upload) as opened:
            opened.load()
            kind, image = opened.format, opened.copy()
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError("The cut-out is not a readable PNG.") from exc
    if kind != "PNG" or not cutout.has_transparency(image):
        raise ValidationError(
            "Upload a PNG with a transparent background (the product alone) as the cut-out."
        )
    return _save(campaign, cutout.trim(image.convert("RGBA")), "uploaded")


def product_layer(campaign: Campaign) -> Image.Image | None:
    """The campaign's cut-out, made now if the photo has none yet (campaigns created
    before cut-outs existed)."""
    if campaign.product_image and not campaign.product_cutout:
        campaign_cutout_make(campaign=campaign)
    if not campaign.product_cutout:
        return None
    with Image.open(campaign.product_cutout.path) as opened:
        return opened.convert("RGBA")
