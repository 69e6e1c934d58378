"""Counts and times the serving decisions (POST /api/v1/decide) for Prometheus.

A middleware rather than a line in the view: the serving view and service belong to
the serving feature, and metrics should not be a reason to edit them.
"""

from __future__ import annotations

import time

from django.urls import reverse

from studio.observability.metrics import DECISION_SECONDS, DECISIONS


class DecisionMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.decide_path = None

    def __call__(self, request):
        if self.decide_path is None:
            self.decide_path = reverse("campaigns:api_decide")
        if request.path != self.decide_path:
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        DECISION_SECONDS.observe(time.perf_counter() - started)
        DECISIONS.labels(status=str(response.status_code)).inc()
        return response
