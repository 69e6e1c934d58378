from django.conf import settings
from django.db import models

from campaigns.fields import VectorField

STAGES = ("copy", "paint", "score", "layout")
# Scores a model may compute for a variant; NULL where none did.
SCORE_FIELDS = (
    "text_fit",
    "alignment",
    "segment_fit",
    "segment_rank",
    "copy_novelty",
    "image_novelty",
    "safety",
)


class GenerationJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="jobs"
    )
    segments = models.ManyToManyField("campaigns.AudienceSegment", related_name="jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    variants_per_segment = models.PositiveSmallIntegerField(default=4)
    seed = models.BigIntegerField(help_text="Base seed; each variant's seed derives from it.")
    engine_config = models.JSONField(default=dict, help_text="Backends and models used.")

    class Background(models.TextChoices):
        BACKDROP = "backdrop", "Backdrop: painted studio sets"
        LIBRARY = "library", "Library: the brand's photos"
        MODEL = "model", "Model: the configured image model"

    # Where the backgrounds come from; also recorded in each variant's lineage.
    background_source = models.CharField(
        max_length=10, choices=Background.choices, default=Background.BACKDROP
    )
    # Copy of past winners per segment id, for "generate more like the winners".
    inspiration = models.JSONField(default=dict, blank=True)
    # A regeneration is a job of its own that fills one slot (only_index) of one segment,
    # so the new variant gets a fresh (job, segment, index) and keeps its parent's index.
    source_variant = models.ForeignKey(
        "campaigns.Variant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="regenerations",
    )
    only_index = models.PositiveSmallIntegerField(null=True, blank=True)
    # "More like this": {"strength": 0.5}. The job makes variants_per_segment variations
    # of source_variant (its copy and template; its stored layers moved by strength by the
    # painter's image-to-image), each a child of it, in its segment.
    variation = models.JSONField(null=True, blank=True)
    # Clips to make of each variant once it is laid out: {"formats": [slug, ...],
    # "lengths": [6, 15], "banner_kind": "gif"}; empty for none.
    animate = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # {"copy": {"done": 3, "total": 12}, ...}; written as each step lands.
    progress = models.JSONField(default=dict, blank=True)
    # Seconds per stage summed over segments, plus "engine" and "wall".
    timings = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    worker = models.CharField(max_length=200, blank=True, help_text="host:pid of the last worker.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When a step last moved the job (or the reaper re-dispatched it): the stalled-job
    # reaper (services.reaper) looks for jobs where this stopped advancing.
    progressed_at = models.DateTimeField(null=True, blank=True)
    redispatches = models.PositiveSmallIntegerField(
        default=0, help_text="Times the reaper re-sent this job after its steps stopped."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Job #{self.pk} for {self.campaign}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def slot_indexes(self) -> list[int]:
        """Variant indexes each segment of this job produces."""
        if self.only_index is not None:
            return [self.only_index]
        return list(range(self.variants_per_segment))

    @property
    def is_regeneration(self) -> bool:
        return self.only_index is not None

    @property
    def is_variation(self) -> bool:
        return self.variation is not None

    @property
    def percent(self) -> int:
        done = sum(int(p.get("done", 0)) for p in self.progress.values())
        total = sum(int(p.get("total", 0)) for p in self.progress.values())
        return round(100 * done / total) if total else 0

    def stage_rows(self):
        """(stage, done, total) in pipeline order, for the progress display."""
        return [
            (
                stage,
                self.progress.get(stage, {}).get("done", 0),
                self.progress.get(stage, {}).get("total", 0),
            )
            for stage in STAGES
        ]


class Variant(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Being generated"
        PENDING = "pending", "Pending review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    job = models.ForeignKey(GenerationJob, on_delete=models.CASCADE, related_name="variants")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="variants"
    )
    segment = models.ForeignKey(
        "campaigns.AudienceSegment", on_delete=models.CASCADE, related_name="variants"
    )
    index = models.PositiveSmallIntegerField(help_text="Position within its job and segment.")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    headline = models.CharField(max_length=120)
    body = models.TextField(max_length=500)
    cta = models.CharField(max_length=40)
    image_prompt = models.TextField(blank=True)
    seed = models.BigIntegerField()
    # Indexed: the media view finds a file's owner (and so its brand) by its name.
    base_image = models.ImageField(upload_to="variants/base/", blank=True, db_index=True)
    # Scores: NULL means no model computed it, shown as "n/a".
    text_fit = models.FloatField(null=True, blank=True)
    alignment = models.FloatField(null=True, blank=True)
    segment_fit = models.FloatField(null=True, blank=True)
    segment_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    copy_novelty = models.FloatField(null=True, blank=True)
    image_novelty = models.FloatField(null=True, blank=True)
    safety = models.JSONField(null=True, blank=True)
    # Highest unsafe-concept probability in `safety`, kept as a column so the grid sorts on it.
    safety_risk = models.FloatField(null=True, blank=True)
    text_embedding = VectorField(null=True, blank=True)
    image_embedding = VectorField(null=True, blank=True)
    nsfw_detected = models.BooleanField(null=True, blank=True)
    lineage = models.JSONField(default=dict, blank=True)
    # The painted background of each format: {slug: {"file", "floor_y", "light_x"}}.
    # With the campaign's cut-out and the brand's logo they are the layers every
    # re-render (copy edit, moderator fix) starts from.
    layers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    history = models.JSONField(default=list, blank=True, help_text="Earlier copy versions.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["job", "segment", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "segment", "index"], name="unique_variant_per_job_slot"
            )
        ]
        indexes = [models.Index(fields=["campaign", "status"])]
        permissions = [("review_variant", "Can approve, reject and edit variants")]

    def __str__(self):
        return f"{self.headline} ({self.segment})"


class Rendition(models.Model):
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="renditions")
    format = models.ForeignKey("campaigns.AdFormat", on_delete=models.PROTECT)
    image = models.ImageField(upload_to="variants/renditions/", db_index=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    layout = models.JSONField(
        default=dict,
        blank=True,
        help_text="Template, safe area, boxes, font sizes, contrast, checks.",
    )
    # Indexed like image: the media view finds a file's owner by its name.
    thumbnail = models.ImageField(upload_to="variants/thumbs/", blank=True, db_index=True)
    # Every layout check passed (layout["checks"]); NULL for renditions drawn before checks.
    checks_ok = models.BooleanField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["variant", "format"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "format"], name="unique_rendition")
        ]

    def __str__(self):
        return f"{self.variant_id} @ {self.format.slug}"

    @property
    def thumb_size(self) -> tuple[int, int]:
        """The thumbnail's size (at most 480 px on the long side, as encode_thumbnail)."""
        factor = max(1, -(-max(self.width, self.height) // 480))
        w, h = -(-self.width // factor), -(-self.height // factor)
        return w, h

    @property
    def card_image(self):
        """What the review grid shows: the thumbnail, or the full file for renditions
        drawn before thumbnails existed."""
        return self.thumbnail if self.thumbnail else self.image


class Review(models.Model):
    """Append-only record of what a person did to a variant."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        EDIT = "edit", "Edited copy"
        REGENERATE = "regenerate", "Regenerated"
        VARY = "vary", "More like this"

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=12, choices=Action.choices)
    comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_action_display()} by {self.user} on {self.variant_id}"
