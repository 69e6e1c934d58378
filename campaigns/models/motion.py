"""Animated creatives: one clip per (variant, format, length, kind), made from the same
layers as the variant's still renditions (studio.engine.motion)."""

from django.conf import settings
from django.db import models


class VariantClip(models.Model):
    class Kind(models.TextChoices):
        MP4 = "mp4", "MP4 video"
        GIF = "gif", "Animated GIF"
        WEBP = "webp", "Animated WebP"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    variant = models.ForeignKey("campaigns.Variant", on_delete=models.CASCADE, related_name="clips")
    format = models.ForeignKey("campaigns.AdFormat", on_delete=models.PROTECT)
    seconds = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.MP4)
    # Indexed: the media view finds a file's owner (and so its brand) by its name.
    file = models.FileField(upload_to="variants/clips/", blank=True, db_index=True)
    poster = models.ImageField(upload_to="variants/clips/posters/", blank=True, db_index=True)
    # A strip of frames sampled over the clip, read back from the file: what moderation sees.
    frames = models.ImageField(upload_to="variants/clips/frames/", blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    error = models.TextField(blank=True)
    # The variant copy version the file shows; older than the variant's means stale
    # (a copy edit re-queues it), and a stale clip is never exported or served.
    variant_version = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    bytes = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # The engine's layout and motion report: codec, fps, frames, per-frame checks.
    report = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["variant", "format", "seconds", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "format", "seconds", "kind"], name="unique_variant_clip"
            )
        ]

    def __str__(self):
        return f"{self.variant_id} @ {self.format.slug} {self.seconds}s {self.kind}"

    @property
    def is_current(self) -> bool:
        """Drawn from the variant's present copy."""
        return self.variant_version == self.variant.version

    @property
    def is_video(self) -> bool:
        return self.kind == self.Kind.MP4

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
