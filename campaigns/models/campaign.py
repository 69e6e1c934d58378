from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from campaigns.rules import RuleError, normalise_rules, parse_rules
from campaigns.validators import validate_image_file
from studio.engine.locales import locale_problem


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
    # The product alone (RGBA, feathered), made from product_image when it is uploaded
    # or replaced by the designer's own PNG; `cutout_method` says which.
    product_cutout = models.ImageField(upload_to="campaigns/cutouts/", blank=True)
    cutout_method = models.CharField(max_length=40, blank=True)
    objective = models.CharField(
        max_length=20, choices=Objective.choices, default=Objective.AWARENESS
    )
    landing_url = models.URLField(blank=True)
    serving_policy = models.CharField(
        max_length=20,
        choices=[
            ("", "Studio default"),
            ("thompson", "Thompson sampling per segment"),
            ("contextual", "Contextual: per segment and user context (linear Thompson)"),
        ],
        blank=True,
        default="",
        help_text="Which policy chooses creatives for this campaign; the studio default is "
        "STUDIO_SERVING_POLICY.",
    )
    # The creative brief: typed fields the copywriters fill their frames from.
    benefits_does = models.TextField(
        "benefits: what it does",
        blank=True,
        max_length=1000,
        help_text="One per line, as a verb phrase with the product as subject, "
        "e.g. “grips on wet rock”.",
    )
    benefits_gets = models.TextField(
        "benefits: what you get",
        blank=True,
        max_length=1000,
        help_text="One per line, as a noun phrase, e.g. “dry feet all day”.",
    )
    proof_points = models.TextField(
        blank=True,
        max_length=1000,
        help_text="One per line, facts that back the benefits, "
        "e.g. “Tested on 1,200 km of Alpine trails”.",
    )
    offer_discount = models.PositiveSmallIntegerField(
        "offer: discount %",
        null=True,
        blank=True,
        help_text="Percent off, e.g. 20 (shown as “20% off” and on a “-20%” badge).",
    )
    offer_price = models.CharField(
        "offer: price",
        max_length=20,
        blank=True,
        help_text="With its currency, as it should read, e.g. “89 €” or “$129”.",
    )
    offer_ends = models.DateField(
        "offer: ends on",
        null=True,
        blank=True,
        help_text="Last day of the offer, e.g. 2027-01-31 (the copy says “until 31 January”).",
    )
    required_claims = models.TextField(
        blank=True,
        max_length=1000,
        help_text="One per line, small print that must run with every ad, "
        "e.g. “Upper made with 60% recycled polyester.”",
    )
    disclaimer = models.CharField(
        max_length=300,
        blank=True,
        help_text="This campaign's disclaimer, e.g. “Offer valid on full-price pairs only.”; "
        "empty uses the brand's.",
    )
    words_to_use = models.CharField(
        max_length=500,
        blank=True,
        help_text="Comma-separated words the copy should favour, e.g. grip, trail.",
    )
    words_to_avoid = models.CharField(
        max_length=500,
        blank=True,
        help_text="Comma-separated words the copy must never use in this campaign, "
        "e.g. cheap, unbeatable (added to the brand's banned terms).",
    )
    # Language code -> the brief's language-dependent fields in that language.
    brief_translations = models.JSONField(default=dict, blank=True)
    formats = models.ManyToManyField("campaigns.AdFormat", related_name="campaigns")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    spend = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, help_text="Media spend, for ROAS."
    )
    # What the daily fatigue check does when a creative wears out in a segment
    # (campaigns.serving.services.fatigue_actions); the choices are FatigueEvent.Action's.
    fatigue_action = models.CharField(
        "when a creative wears out",
        max_length=10,
        choices=[
            ("none", "Nothing: show it on the analytics page"),
            ("pause", "Pause the creative in that segment"),
            ("winners", "Queue a “more like the winners” round for review"),
        ],
        default="none",
        help_text="Checked daily per creative and segment. A paused creative can be resumed "
        "from the analytics page; a queued round's variants wait for review.",
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
    # Per-segment overrides of the creative brief, written in the segment's language.
    locale = models.CharField(
        "copy language",
        max_length=16,
        blank=True,
        help_text="Language of this segment's copy, e.g. de or de-DE; empty for English. "
        "Needs the brief in that language, else the copy is English and the card says so.",
    )
    audience_noun = models.CharField(
        max_length=80,
        blank=True,
        help_text="Who they are, plural, as the copy should name them, e.g. “trail runners”.",
    )
    focus_benefit = models.CharField(
        max_length=120,
        blank=True,
        help_text="The brief's benefit this segment cares about most, exactly as written "
        "there, e.g. “grips on wet rock”.",
    )
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
        problem = locale_problem(self.locale.strip())
        if problem:
            raise ValidationError({"locale": problem})

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
