from django.conf import settings
from django.db import models
from django.template.defaultfilters import pluralize

from campaigns.storage import export_storage

SHEET_LABELS = {"google_ads.csv": "Google Ads", "meta_ads.csv": "Meta"}


class Export(models.Model):
    """One ZIP of a campaign's approved, cleared renditions, kept with its history."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Building"
        SUCCEEDED = "succeeded", "Ready"
        FAILED = "failed", "Failed"

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Filters; empty means every segment / every format of the campaign.
    segments = models.ManyToManyField("campaigns.AudienceSegment", blank=True)
    formats = models.ManyToManyField("campaigns.AdFormat", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.JSONField(default=dict, blank=True)  # {"done": 12, "total": 40}
    file = models.FileField(storage=export_storage, upload_to="", blank=True, max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    # {"variants": n, "renditions": n, "bytes": n, "skipped_stale": n, "sheets": {sheet:
    # {"rows": n, "left_out": n, "left_out_items": [{variant_id, format, reason}, ...]}}}
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Export #{self.pk} of {self.campaign}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        total = int(self.progress.get("total", 0))
        return round(100 * int(self.progress.get("done", 0)) / total) if total else 0

    @property
    def sheet_reports(self) -> list[dict]:
        """Per ad-platform sheet: rows written, and what was left out grouped by reason."""
        reports = []
        for name, summary in ((self.counts or {}).get("sheets") or {}).items():
            by_reason: dict[str, list[dict]] = {}
            for item in summary.get("left_out_items", []):
                by_reason.setdefault(item["reason"], []).append(item)
            reports.append(
                {
                    "label": SHEET_LABELS.get(name, name),
                    "file": name,
                    "rows": summary.get("rows", 0),
                    "left_out": summary.get("left_out", 0),
                    "shown": len(summary.get("left_out_items", [])),
                    "reasons": sorted((_which(items), why) for why, items in by_reason.items()),
                }
            )
        return reports


def _which(items: list[dict]) -> str:
    """Left-out renditions in words: "story-1080x1920 of variants 3, 4" when one format
    is refused for everyone, "variant 3 (square-1080, landscape-1200x628)" when one
    variant's copy is."""
    formats = sorted({i["format"] for i in items})
    variants = sorted({i["variant_id"] for i in items})
    if len(formats) == 1:
        return f"{formats[0]} of variant{pluralize(variants)} {', '.join(map(str, variants))}"
    if len(variants) == 1:
        return f"variant {variants[0]} ({', '.join(formats)})"
    return "; ".join(f"variant {i['variant_id']} ({i['format']})" for i in items)
