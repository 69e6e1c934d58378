from django.conf import settings
from django.db import models


class ModerationCase(models.Model):
    """Opened when a variant is flagged; while open (or blocked) the variant cannot be
    approved, exported or served."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLEARED = "cleared", "Cleared"
        BLOCKED = "blocked", "Blocked"

    variant = models.ForeignKey(
        "campaigns.Variant", on_delete=models.CASCADE, related_name="moderation_cases"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    # [{"code": "banned_term", "detail": "...", "evidence": {...}}, ...]
    reasons = models.JSONField(default=list)
    # ",banned_term,pii_url," kept in step with reasons on save: filtering a JSON list
    # by one of its members is not portable across SQLite and PostgreSQL.
    codes = models.CharField(max_length=300, blank=True, editable=False)
    opened_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opened_at"]
        indexes = [models.Index(fields=["status", "opened_at"])]
        permissions = [("moderate_variant", "Can clear or block flagged variants")]

    def __str__(self):
        return f"Case #{self.pk} ({self.get_status_display()}) on variant {self.variant_id}"

    def save(self, *args, **kwargs):
        self.codes = "," + ",".join(sorted(set(self.reason_codes))) + ","
        if kwargs.get("update_fields") is not None and "reasons" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "codes"}
        super().save(*args, **kwargs)

    @property
    def reason_codes(self) -> list[str]:
        return [r.get("code", "") for r in self.reasons]


class ModerationEvent(models.Model):
    """Append-only audit log of moderation actions."""

    case = models.ForeignKey(ModerationCase, on_delete=models.PROTECT, related_name="events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=20)  # opened, cleared, blocked, fixed_and_cleared
    note = models.TextField(blank=True)
    hash_before = models.CharField(max_length=64, blank=True)
    hash_after = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.action} on case {self.case_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Moderation events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Moderation events are append-only.")
