from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from campaigns.rules import RuleError, normalise_rules, parse_rules
from campaigns.validators import validate_image_file


class Campaign(models.Model):
    class Objective(models.TextChoices):
        AWARENESS = "awareness", "Awareness"
        TRAFFIC = "traffic", "Traffic"
        CONSIDERATION = "consideration", "Consideration"
        CONVERSION = "conversion", "Conversion"
        LEADS = "leads", "Leads"
        APP_INSTALLS = "app_installs", "App installs"
        SALES = "sales", "Sales (revenue)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        ARCHIVED = "archived", "Archived"

    brand = models.ForeignKey("campaigns.Brand", on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=160)
    product_name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    product_image = models.ImageField(
        upload_to="campaigns/products/", blank=True, validators=[validate_image_file]
    )
    objective = models.CharField(
        max_length=20, choices=Objective.choices, default=Objective.AWARENESS
    )
    landing_url = models.URLField(blank=True)
    formats = models.ManyToManyField("campaigns.AdFormat", related_name="campaigns")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    spend = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, help_text="Media spend, for ROAS."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "name"], name="unique_campaign_name_per_brand")
        ]
        permissions = [
            ("view_analytics", "Can view campaign analytics"),
            ("export_campaign", "Can export approved creatives"),
        ]

    def __str__(self):
        return self.name


class AudienceSegment(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(max_length=120)
    persona = models.TextField(
        max_length=2000, help_text="Who they are and what they care about, in plain words."
    )
    rules = models.JSONField(default=dict, blank=True)
    estimated_size = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="unique_segment_name")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Rules are validated on every save, not only through forms.
        try:
            self.rules = normalise_rules(self.rules)
        except RuleError as exc:
            raise ValidationError({"rules": str(exc)}) from exc
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        try:
            self.rules = normalise_rules(self.rules)
        except RuleError as exc:
            raise ValidationError({"rules": str(exc)}) from exc

    @property
    def parsed_rules(self):
        return parse_rules(self.rules)

    @property
    def never_targeted_reason(self) -> str:
        """Why serving never targets this segment (k-anonymity), or "" when it may."""
        k = settings.STUDIO_MIN_SEGMENT_SIZE
        if self.estimated_size is None:
            return f"Never targeted: no estimated size (segments need at least {k} people)."
        if self.estimated_size < k:
            return f"Never targeted: {self.estimated_size} people, below the minimum of {k}."
        return ""
