from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per Celery worker, written by the worker's main process every few seconds
    (studio.celery). A row whose `last_seen` is older than the heartbeat timeout belongs
    to a worker that is gone; the studio then says that no worker is taking jobs."""

    name = models.CharField(max_length=200, unique=True, help_text="Celery node name.")
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField(help_text="The worker's main process.")
    # Pool processes (host pids) that run tasks; GenerationJob.worker names one of them.
    processes = models.JSONField(default=list, blank=True)
    queues = models.JSONField(default=list, blank=True)
    active = models.PositiveIntegerField(default=0, help_text="Tasks being run now.")
    # Set while the worker holds a task that no free pool process starts (a hung pool).
    stuck_since = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} (pid {self.pid})"
