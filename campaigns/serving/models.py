"""Serving: placements (API keys), decisions, tracking events and the aggregates the
bandit and the analytics page read."""

from django.db import models


class Placement(models.Model):
    """A slot in an ad server or app that asks for creatives; one API key each.

    Only the SHA-256 of the key is stored: the raw key is shown once, when it is made."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="placements"
    )
    name = models.CharField(max_length=120)
    format = models.ForeignKey("campaigns.AdFormat", on_delete=models.PROTECT)

    class Media(models.TextChoices):
        IMAGE = "image", "Image"
        VIDEO = "video", "Video"

    # A video placement is answered with a clip (VariantClip) of its format's size; a
    # creative without a ready, current clip is then no candidate.
    media = models.CharField(max_length=8, choices=Media.choices, default=Media.IMAGE)
    api_key_hash = models.CharField(max_length=64, unique=True, editable=False)
    api_key_prefix = models.CharField(
        max_length=12, editable=False, help_text="First characters of the key, to recognise it."
    )
    rate_limit_per_minute = models.PositiveIntegerField(default=6000)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="unique_placement_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.campaign})"


class Decision(models.Model):
    """One creative chosen for one request, with what offline evaluation needs: the
    probability the policy gave it, the policy and its version, the creatives it chose
    among, and coarse context buckets (studio.serving.context). Written with or without
    consent; without, `user_hash` is empty. The user id is an HMAC of the raw id, never the
    id itself."""

    token_id = models.UUIDField(unique=True)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="decisions")
    variant = models.ForeignKey("campaigns.Variant", on_delete=models.CASCADE)
    segment = models.ForeignKey("campaigns.AudienceSegment", on_delete=models.CASCADE)
    user_hash = models.CharField(max_length=64, db_index=True, blank=True, default="")
    consented = models.BooleanField(default=True)
    propensity = models.FloatField(
        null=True, help_text="P(this creative) under the policy that chose it."
    )
    policy = models.CharField(max_length=40, blank=True, default="")
    policy_version = models.CharField(max_length=40, blank=True, default="")
    reward = models.CharField(max_length=12, blank=True, default="clicks")
    candidate_ids = models.JSONField(default=list)
    context = models.JSONField(default=dict)
    holdout = models.BooleanField(default=False, help_text="Served by uniform rotation.")
    explanation = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Decision {self.token_id} -> variant {self.variant_id}"


class Event(models.Model):
    """What happened to a served creative. One row per (token, type): a re-sent event is
    recognised and counted once."""

    class Type(models.TextChoices):
        IMPRESSION = "impression", "Impression"
        CLICK = "click", "Click"
        CONVERSION = "conversion", "Conversion"
        HIDE = "hide", "Hide"
        REPORT = "report", "Report"

    token_id = models.UUIDField()
    type = models.CharField(max_length=10, choices=Type.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    reason = models.CharField(
        max_length=12, blank=True, default="", help_text="Why a user reported the creative."
    )
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="events")
    variant = models.ForeignKey("campaigns.Variant", on_delete=models.CASCADE)
    segment = models.ForeignKey("campaigns.AudienceSegment", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["token_id", "type"], name="unique_event_per_token")
        ]

    def __str__(self):
        return f"{self.type} on {self.token_id}"


class StatsCounters(models.Model):
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)
    conversions = models.PositiveIntegerField(default=0)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    hides = models.PositiveIntegerField(default=0)  # "don't show me this": negative feedback
    reports = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class VariantSegmentStats(StatsCounters):
    """Running totals per (variant, segment): the bandit's evidence. Kept when old events
    are purged, since they hold nothing about any user."""

    variant = models.ForeignKey(
        "campaigns.Variant", on_delete=models.CASCADE, related_name="serving_stats"
    )
    segment = models.ForeignKey("campaigns.AudienceSegment", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "segment"], name="unique_stats_row")
        ]

    def __str__(self):
        return f"stats v{self.variant_id} s{self.segment_id}"


class DailyStats(StatsCounters):
    """The same totals per day, for "CTR over time"."""

    day = models.DateField()
    variant = models.ForeignKey(
        "campaigns.Variant", on_delete=models.CASCADE, related_name="daily_stats"
    )
    segment = models.ForeignKey("campaigns.AudienceSegment", on_delete=models.CASCADE)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["day", "variant", "segment"], name="unique_daily_row")
        ]

    def __str__(self):
        return f"{self.day} v{self.variant_id} s{self.segment_id}"


class PolicyState(models.Model):
    """One trained version of a learnt serving policy of a campaign (the contextual
    policy): written by the worker that trains it from the event stream, read by every
    web process, which keeps the latest version it has loaded until a newer one exists."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="policy_states"
    )
    policy = models.CharField(max_length=20, default="contextual")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    events_from = models.BigIntegerField(help_text="First event id this version learnt from.")
    events_to = models.BigIntegerField(help_text="Last event id this version learnt from.")
    state = models.JSONField(default=dict, help_text="Parameters and evidence cells.")
    metrics = models.JSONField(default=dict)

    class Meta:
        ordering = ["campaign", "policy", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "policy", "version"], name="unique_policy_version"
            )
        ]

    def __str__(self):
        return f"{self.policy} v{self.version} of campaign {self.campaign_id}"
