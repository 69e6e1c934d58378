"""GET /healthz: is each dependency reachable? JSON, no login, no secrets.

Answers 200 when the database, the broker and the cache all answer, 503 otherwise,
so a load balancer or an orchestrator can take the process out of rotation. Each
check reports only "ok" or "error" plus its duration: never a URL, a host name or
an exception text, which could carry credentials.
"""

from __future__ import annotations

import logging
import time
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2.0


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def broker_connection():
    from studio.celery import app

    return app.connection_for_write()


def check_broker() -> None:
    with broker_connection() as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was written")
    cache.delete(key)


CHECKS = {"database": check_database, "broker": check_broker, "cache": check_cache}


def run_checks() -> tuple[bool, dict[str, dict]]:
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
            status = "ok"
        except Exception:  # any failure means "down"; the log has the detail, not the body
            logger.warning("healthz: %s check failed", name, exc_info=True)
            status = "error"
        results[name] = {"status": status, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return all(r["status"] == "ok" for r in results.values()), results


@require_safe
@never_cache
def healthz(request):
    healthy, checks = run_checks()
    body = {"status": "ok" if healthy else "error", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)
