"""/healthz and Prometheus metrics: web requests, decisions, Celery tasks, stages."""

import pytest
from django.urls import reverse
from prometheus_client import REGISTRY

from campaigns.services import generation, progress
from campaigns.tasks import purge_events
from studio.observability import health
from tests.factories import make_job
from tests.serving_helpers import TRAIL_USER, activate, make_placement, make_variants, post

pytestmark = pytest.mark.django_db


def sample(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_healthz_reports_each_dependency_without_login_or_secrets(client, settings):
    settings.DATABASES["default"]["PASSWORD"] = "s3cret-pw"
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: c["status"] for name, c in body["checks"].items()} == {
        "database": "ok",
        "broker": "ok",
        "cache": "ok",
    }
    text = response.content.decode()
    assert "s3cret" not in text and "sqlite" not in text and "filesystem" not in text


def test_healthz_is_503_when_the_broker_is_down(client, monkeypatch):
    from kombu import Connection

    # A real, unreachable broker: nothing listens on port 1.
    monkeypatch.setattr(health, "broker_connection", lambda: Connection("redis://127.0.0.1:1/0"))
    monkeypatch.setattr(health, "BROKER_TIMEOUT_SECONDS", 0.5)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
    assert "127.0.0.1" not in response.content.decode()


def test_metrics_exports_django_and_studio_metrics(client, settings):
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total_by_view_transport_method_total" in text
    assert "studio_celery_tasks_total" in text or "studio_decisions_total" in text


def test_metrics_token_is_required_when_set(client, settings):
    settings.STUDIO_METRICS_TOKEN = "scrape-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token")
    assert ok.status_code == 200


def test_decisions_are_counted_and_timed(client, campaign, segments):
    activate(campaign, segments)
    make_variants(campaign, segments[0], 2)
    _, key = make_placement(campaign)
    before = sample("studio_decisions_total", status="200")
    count_before = sample("studio_decision_duration_seconds_count")
    payload = {"user_id": "u1", "features": TRAIL_USER, "consent": True}
    assert post(client, reverse("campaigns:api_decide"), key, payload).status_code == 200
    assert post(client, reverse("campaigns:api_decide"), "sk_nope", payload).status_code == 401
    assert sample("studio_decisions_total", status="200") == before + 1
    assert sample("studio_decisions_total", status="401") >= 1
    assert sample("studio_decision_duration_seconds_count") == count_before + 2


def test_celery_tasks_are_counted_per_queue():
    labels = {"task": "purge_events", "queue": "default"}
    before = sample("studio_celery_tasks_total", outcome="succeeded", **labels)
    timed = sample("studio_celery_task_duration_seconds_count", **labels)
    purge_events.apply()
    assert sample("studio_celery_tasks_total", outcome="succeeded", **labels) == before + 1
    assert sample("studio_celery_task_duration_seconds_count", **labels) == timed + 1


def test_stage_durations_and_queue_wait_are_observed(
    campaign, segments, django_capture_on_commit_callbacks
):
    job = make_job(campaign, segments)
    job.status = job.Status.QUEUED
    job.save(update_fields=["status"])
    waits = sample("studio_job_queue_wait_seconds_count")
    with django_capture_on_commit_callbacks(execute=True):
        generation.job_dispatch(job_id=job.pk)
    assert sample("studio_job_queue_wait_seconds_count") == waits + 1
    paints = sample("studio_generation_stage_duration_seconds_count", stage="paint")
    progress.record_stage(
        job_id=job.pk, segment_id=segments[0].pk, stage="paint", done=1, seconds=0.7
    )
    assert sample("studio_generation_stage_duration_seconds_count", stage="paint") == paints + 1


def test_the_worker_exporter_serves_metrics_over_http(monkeypatch):
    import socket
    import urllib.request

    from studio.observability import celery_metrics

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("STUDIO_WORKER_METRICS_PORT", str(port))
    monkeypatch.setenv("STUDIO_WORKER_METRICS_ADDR", "127.0.0.1")
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    purge_events.apply()
    celery_metrics._start_exporter()  # what the worker's main process runs when ready
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    assert (
        'studio_celery_tasks_total{outcome="succeeded",queue="default",task="purge_events"}' in text
    )
