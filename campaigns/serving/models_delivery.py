"""What serving logs beyond decisions: daily no-fill counters for the delivery report,
and the fatigue episodes the periodic task acted on (pause, winners round)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class NoFillDaily(models.Model):
    """Requests that got no creative, counted per day, placement, matched segment (none
    when no segment matched), reason and coarse context bucket (studio.serving.context).

    Served requests are logged one row each (Decision); a no-fill has no token and nothing
    to attribute, so a counter is all the delivery report needs. Nothing here is about a
    user: no hash, no raw feature."""

    class Reason(models.TextChoices):
        INACTIVE = "inactive", "Campaign not active"
        NO_SEGMENT = "no_segment", "No segment matched"
        NO_CREATIVE = "no_creative", "No eligible creative"

    day = models.DateField()
    placement = models.ForeignKey(
        "campaigns.Placement", on_delete=models.CASCADE, related_name="no_fills"
    )
    segment = models.ForeignKey(
        "campaigns.AudienceSegment", null=True, blank=True, on_delete=models.CASCADE
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    age_band = models.CharField(max_length=12, blank=True, default="")
    device = models.CharField(max_length=12, blank=True, default="")
    country = models.CharField(max_length=2, blank=True, default="")
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [
            # Two partial constraints: NULL segments are never equal to each other.
            models.UniqueConstraint(
                fields=["day", "placement", "segment", "reason", "age_band", "device", "country"],
                condition=Q(segment__isnull=False),
                name="unique_no_fill_row",
            ),
            models.UniqueConstraint(
                fields=["day", "placement", "reason", "age_band", "device", "country"],
                condition=Q(segment__isnull=True),
                name="unique_no_fill_row_unmatched",
            ),
        ]

    def __str__(self):
        return f"{self.day} no-fill {self.reason} x{self.requests}"


class FatigueEvent(models.Model):
    """One fatigue episode of a (creative, segment): opened the day the fatigue test
    fires, with what the campaign's fatigue action did; closed when the test, with enough
    data, no longer fires. At most one open episode per pair, so the periodic task acts
    once per episode however often it runs."""

    class Action(models.TextChoices):
        NONE = "none", "None: shown on analytics only"
        PAUSE = "pause", "Pause the creative in that segment"
        WINNERS = "winners", "Queue a “more like the winners” round for review"

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="fatigue_events"
    )
    variant = models.ForeignKey("campaigns.Variant", on_delete=models.CASCADE)
    segment = models.ForeignKey("campaigns.AudienceSegment", on_delete=models.CASCADE)
    detected_on = models.DateField()
    earlier_rate = models.FloatField()
    recent_rate = models.FloatField()
    p_value = models.FloatField()
    action = models.CharField(max_length=10, choices=Action.choices)
    outcome = models.CharField(max_length=300, help_text="What the action did, in words.")
    job = models.ForeignKey(
        "campaigns.GenerationJob", null=True, blank=True, on_delete=models.SET_NULL
    )
    resumed_at = models.DateTimeField(null=True, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "segment"],
                condition=Q(closed_on__isnull=True),
                name="one_open_fatigue_episode",
            )
        ]

    def __str__(self):
        return f"fatigue v{self.variant_id} s{self.segment_id} on {self.detected_on}"

    @property
    def is_paused(self) -> bool:
        """The creative is held out of this segment until a manager resumes it."""
        return self.action == self.Action.PAUSE and self.resumed_at is None
