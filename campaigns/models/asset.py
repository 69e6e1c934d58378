"""Brand asset library: photos a brand owns (backgrounds, lifestyle shots, textures,
extra product angles), tagged, with the licence they may be used under."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from campaigns.validators import validate_image_file

# Kinds the backdrop painter may build a background on (product angles are not scenes).
BACKDROP_KINDS = ("background", "lifestyle", "texture")


def tag_words(text: str) -> list[str]:
    """Tags as lowercase words, in order, without repeats: 'Trail, Mountain dusk'."""
    return list(dict.fromkeys(re.findall(r"[a-z0-9]+", (text or "").lower())))


class BrandAsset(models.Model):
    class Kind(models.TextChoices):
        BACKGROUND = "background", "Background photo"
        LIFESTYLE = "lifestyle", "Lifestyle shot"
        TEXTURE = "texture", "Texture"
        PRODUCT_ANGLE = "product_angle", "Extra product angle"

    brand = models.ForeignKey("campaigns.Brand", on_delete=models.CASCADE, related_name="assets")
    title = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BACKGROUND)
    image = models.ImageField(upload_to="brands/assets/", validators=[validate_image_file])
    tags = models.CharField(
        max_length=500, blank=True, help_text="Comma-separated, e.g. mountain, trail, dusk"
    )
    licence = models.CharField(
        max_length=300,
        help_text="Who owns it and how it may be used, e.g. 'Own shoot 2025, all channels'.",
    )
    floor = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0.05), MaxValueValidator(0.98)],
        help_text="Where the product should stand, as a fraction of the photo's height "
        "from the top (0.67 = the lower third line). Empty: the lower third.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return tag_words(self.tags)


@receiver(post_delete, sender=BrandAsset)
def _asset_file_delete(sender, instance: BrandAsset, **kwargs):
    """The file goes once the row's deletion commits (also when its brand is deleted, or
    from the admin); a rolled-back delete keeps both."""
    if instance.image:
        storage, name = instance.image.storage, instance.image.name
        transaction.on_commit(lambda: storage.delete(name))
