"""The Celery app, configured from Django settings (CELERY_* names)."""

import os

from celery import Celery
from celery.signals import celeryd_init, worker_process_init, worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")

app = Celery("studio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Connects the task counters and timers, and the worker's /metrics exporter.
import studio.observability.celery_metrics  # noqa: E402, F401


@celeryd_init.connect
def _remember_concurrency(sender=None, conf=None, options=None, **kwargs):
    # The pool children inherit the environment, and they are the ones that load models.
    concurrency = (options or {}).get("concurrency") or os.cpu_count() or 1
    os.environ["STUDIO_WORKER_CONCURRENCY"] = str(concurrency)


@worker_process_init.connect
def _share_cpus_between_children(**kwargs):
    # Runs in each child after the fork, so torch (and never CUDA) is touched only there.
    from studio.engine.device import configure_threads

    configure_threads(int(os.environ.get("STUDIO_WORKER_CONCURRENCY", "1")))


_heartbeat = None


@worker_ready.connect
def _start_heartbeat(sender=None, **kwargs):
    # In the worker's main process, once it consumes: the studio's "is a worker taking
    # jobs?" (campaigns.WorkerHeartbeat, see studio/heartbeat.py).
    global _heartbeat
    from studio.heartbeat import Heartbeat

    _heartbeat = Heartbeat(sender)
    _heartbeat.start()


@worker_shutdown.connect
def _stop_heartbeat(**kwargs):
    if _heartbeat is not None:
        _heartbeat.stop()
