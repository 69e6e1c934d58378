from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from campaigns.validators import validate_image_file, validate_palette


def default_palette():
    return ["#1F2937", "#F59E0B", "#FFFFFF"]


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
