from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from campaigns.validators import (
    validate_colour_roles,
    validate_font_file,
    validate_image_file,
    validate_palette,
)


def default_palette():
    return ["#1F2937", "#F59E0B", "#FFFFFF"]


class CtaShape(models.TextChoices):
    PILL = "pill", "Pill"
    ROUNDED = "rounded", "Rounded"
    SQUARE = "square", "Square"


class Brand(models.Model):
    name = models.CharField(max_length=120, unique=True)
    voice = models.TextField(
        blank=True, help_text="Tone of voice, e.g. 'playful, warm, no jargon'."
    )
    palette = models.JSONField(
        default=default_palette,
        validators=[validate_palette],
        help_text='Brand colours as a JSON list, e.g. ["#1F2937", "#F59E0B"].',
    )
    logo = models.ImageField(
        upload_to="brands/logos/", blank=True, validators=[validate_image_file]
    )
    banned_terms = models.TextField(blank=True, help_text="One term or phrase per line.")
    disclaimer = models.CharField(max_length=200, blank=True)
    # Brand kit: fonts (DejaVu when none), colour roles, CTA shape.
    headline_font = models.FileField(
        upload_to="brands/fonts/", blank=True, validators=[validate_font_file],
        help_text="TrueType or OpenType font for headlines, CTA and badge.",
    )  # fmt: skip
    body_font = models.FileField(
        upload_to="brands/fonts/", blank=True, validators=[validate_font_file],
        help_text="TrueType or OpenType font for body copy and disclaimer.",
    )  # fmt: skip
    colours = models.JSONField(
        default=dict, blank=True, validators=[validate_colour_roles],
        help_text='Colour roles, e.g. {"background": "#F5F5F4", "accent": "#F97316", '
        '"text": "#1C1917", "cta": "#F97316"}; the palette fills any role left out.',
    )  # fmt: skip
    cta_shape = models.CharField(max_length=8, default=CtaShape.ROUNDED, choices=CtaShape.choices)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="brands")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def banned_terms_list(self) -> list[str]:
        return [t.strip() for t in self.banned_terms.splitlines() if t.strip()]


class AdFormat(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    width = models.PositiveIntegerField(validators=[MinValueValidator(50), MaxValueValidator(4096)])
    height = models.PositiveIntegerField(
        validators=[MinValueValidator(50), MaxValueValidator(4096)]
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-width", "-height"]

    def __str__(self):
        return f"{self.name} ({self.width}×{self.height})"
