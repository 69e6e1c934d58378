"""The studio's own Prometheus metrics (django-prometheus covers HTTP, cache and models).

Defined once per process with prometheus_client. In a multi-process server (gunicorn
workers, Celery's prefork pool) set PROMETHEUS_MULTIPROC_DIR to an empty, writable
folder before start: every process then writes its samples there and one scrape
sums them (see README "Health and metrics").
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

# Generation stages take seconds to minutes; decisions take milliseconds.
SLOW_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
FAST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1)

CELERY_TASKS = Counter(
    "studio_celery_tasks_total",
    "Celery tasks finished, by task, queue and outcome (succeeded, failed, retried).",
    ["task", "queue", "outcome"],
)
CELERY_TASK_SECONDS = Histogram(
    "studio_celery_task_duration_seconds",
    "Wall time of a Celery task, by task and queue.",
    ["task", "queue"],
    buckets=SLOW_BUCKETS,
)
GENERATION_STAGE_SECONDS = Histogram(
    "studio_generation_stage_duration_seconds",
    "Engine time of one generation stage for one segment (copy, paint, score, render...).",
    ["stage"],
    buckets=SLOW_BUCKETS,
)
JOB_QUEUE_WAIT_SECONDS = Histogram(
    "studio_job_queue_wait_seconds",
    "From a generation job's creation to a worker picking it up.",
    buckets=SLOW_BUCKETS,
)
DECISIONS = Counter(
    "studio_decisions_total",
    "Calls to POST /api/v1/decide, by HTTP status; rate() gives decisions per second.",
    ["status"],
)
DECISION_SECONDS = Histogram(
    "studio_decision_duration_seconds",
    "Server time of POST /api/v1/decide.",
    buckets=FAST_BUCKETS,
)
