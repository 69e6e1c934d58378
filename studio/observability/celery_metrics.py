"""Celery signal handlers that feed studio.observability.metrics, and the worker's
own /metrics HTTP exporter.

Why an exporter in the worker: a Celery worker serves no HTTP, so Prometheus cannot
scrape it through Django. With STUDIO_WORKER_METRICS_PORT set, the worker's main
process listens on that port; with PROMETHEUS_MULTIPROC_DIR set too (needed for the
prefork pool), it reports the sum over all its pool children.
"""

from __future__ import annotations

import logging
import os
import time

from celery.signals import (
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    worker_process_shutdown,
    worker_ready,
)

from studio.observability.metrics import CELERY_TASK_SECONDS, CELERY_TASKS

logger = logging.getLogger(__name__)
_started: dict[str, float] = {}


def task_queue(task) -> str:
    """The queue the message came from; in eager mode, the queue it is routed to."""
    info = getattr(task.request, "delivery_info", None) or {}
    queue = info.get("routing_key") or info.get("queue")
    if queue:
        return str(queue)
    from django.conf import settings

    route = settings.CELERY_TASK_ROUTES.get(task.name, {})
    return route.get("queue", settings.CELERY_TASK_DEFAULT_QUEUE)


def _short(task) -> str:
    return task.name.rsplit(".", 1)[-1]


@task_prerun.connect
def _on_prerun(task_id=None, task=None, **kwargs):
    _started[task_id] = time.perf_counter()


@task_postrun.connect
def _on_postrun(task_id=None, task=None, state=None, **kwargs):
    started = _started.pop(task_id, None)
    queue = task_queue(task)
    if started is not None:
        CELERY_TASK_SECONDS.labels(task=_short(task), queue=queue).observe(
            time.perf_counter() - started
        )
    if state == "SUCCESS":
        CELERY_TASKS.labels(task=_short(task), queue=queue, outcome="succeeded").inc()


@task_failure.connect
def _on_failure(sender=None, **kwargs):
    CELERY_TASKS.labels(task=_short(sender), queue=task_queue(sender), outcome="failed").inc()


@task_retry.connect
def _on_retry(sender=None, **kwargs):
    CELERY_TASKS.labels(task=_short(sender), queue=task_queue(sender), outcome="retried").inc()


@worker_ready.connect
def _start_exporter(**kwargs):
    port = os.environ.get("STUDIO_WORKER_METRICS_PORT")
    if not port:
        return
    from prometheus_client import CollectorRegistry, start_http_server

    registry = None
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    addr = os.environ.get("STUDIO_WORKER_METRICS_ADDR", "0.0.0.0")
    if registry is None:
        start_http_server(int(port), addr=addr)
    else:
        start_http_server(int(port), addr=addr, registry=registry)
    logger.info("worker metrics on http://%s:%s/metrics", addr, port)


@worker_process_shutdown.connect
def _forget_dead_child(pid=None, **kwargs):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())
