"""GET /metrics for the web side, optionally behind a bearer token."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpResponse
from django_prometheus.exports import ExportToDjangoView


def metrics(request):
    """django-prometheus' exporter (it sums PROMETHEUS_MULTIPROC_DIR when that is set).

    With STUDIO_METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`;
    without it the endpoint is open and belongs behind the private network."""
    token = settings.STUDIO_METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(sent.encode(), token.encode()):
            return HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
    return ExportToDjangoView(request)
