"""Domain events reach brands' webhook endpoints, signed, retried, logged, disabled."""

import hashlib
import hmac
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import events, roles
from campaigns.models import WebhookDelivery, WebhookEndpoint
from campaigns.services import reviews, webhooks
from studio.celery import app
from tests.factories import make_job, make_variant
from tests.integrations.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def allow_local(settings):
    settings.STUDIO_WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def eager():
    """Tasks run in this process (Celery's eager mode), retries included, at once."""
    before = app.conf["task_always_eager"]
    app.conf.update(task_always_eager=True)
    yield
    app.conf.update(task_always_eager=before)


def endpoint_for(brand, url, event_types=(events.VARIANT_APPROVED,), **kw):
    return webhooks.webhook_endpoint_create(
        brand=brand, user=None, url=url, events=list(event_types), **kw
    )


def verify(secret, headers, body):
    parts = dict(p.split("=", 1) for p in headers["X-Studio-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(parts["v1"], expected.hexdigest())


def test_approval_is_delivered_signed_after_commit(
    campaign, segments, user, allow_local, eager, django_capture_on_commit_callbacks
):
    variant = make_variant(make_job(campaign, segments), segments[0])
    with Receiver() as receiver:
        endpoint = endpoint_for(campaign.brand, receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            reviews.variant_approve(variant=variant, user=user, comment="Ship it")
        assert len(receiver.requests) == 1
    sent = receiver.requests[0]
    assert verify(endpoint.secret, sent["headers"], sent["body"])
    assert not verify("another-secret-000000", sent["headers"], sent["body"])
    payload = json.loads(sent["body"])
    assert payload["type"] == "variant.approved"
    assert payload["data"]["variant_id"] == variant.pk
    assert payload["data"]["comment"] == "Ship it"
    assert sent["headers"]["X-Studio-Event"] == "variant.approved"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("succeeded", 200, 1)


def test_nothing_is_sent_when_the_transaction_rolls_back(campaign, segments, user, allow_local):
    variant = make_variant(make_job(campaign, segments), segments[0])
    with Receiver() as receiver:
        endpoint_for(campaign.brand, receiver.url)
        # pytest-django's transaction never commits, and captured callbacks are dropped.
        reviews.variant_approve(variant=variant, user=user)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_only_subscribed_events_of_the_same_brand(
    campaign, segments, user, allow_local, eager, django_capture_on_commit_callbacks
):
    from campaigns.models import Brand

    variant = make_variant(make_job(campaign, segments), segments[0])
    other = Brand.objects.create(name="Other")
    with Receiver() as receiver:
        endpoint_for(other, receiver.url)
        endpoint_for(campaign.brand, receiver.url, (events.VARIANT_REJECTED,))
        with django_capture_on_commit_callbacks(execute=True):
            reviews.variant_approve(variant=variant, user=user)
    assert receiver.requests == []


def test_failures_retry_with_backoff_then_fail_and_disable(campaign, allow_local, settings):
    settings.STUDIO_WEBHOOK_MAX_ATTEMPTS = 3
    settings.STUDIO_WEBHOOK_DISABLE_AFTER = 3
    with Receiver(status=500) as receiver:
        endpoint = endpoint_for(campaign.brand, receiver.url)
        event = events.DomainEvent(type="variant.approved", brand_id=campaign.brand_id, data={})
        webhooks.webhooks_on_event(event)
        delivery = WebhookDelivery.objects.get()
        waits = [webhooks.webhook_attempt(delivery_id=delivery.pk) for _ in range(4)]
    assert waits == [10, 20, None, None]
    assert len(receiver.requests) == 3
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 3, 500)
    assert not endpoint.is_active
    assert "3 failed attempts" in endpoint.disabled_reason
    assert webhooks.backoff_seconds(20) == webhooks.BACKOFF_MAX_SECONDS


def test_a_success_resets_the_failure_count(campaign, allow_local):
    with Receiver(status=503) as receiver:
        endpoint = endpoint_for(campaign.brand, receiver.url)
        event = events.DomainEvent(type="variant.approved", brand_id=campaign.brand_id, data={})
        webhooks.webhooks_on_event(event)
        delivery = WebhookDelivery.objects.get()
        assert webhooks.webhook_attempt(delivery_id=delivery.pk) == 10
        receiver.status = 204
        assert webhooks.webhook_attempt(delivery_id=delivery.pk) is None
    endpoint.refresh_from_db()
    delivery.refresh_from_db()
    assert endpoint.consecutive_failures == 0
    assert (delivery.status, delivery.response_code) == ("succeeded", 204)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "ftp://example.com/hook",
        "http://user:pw@example.com/hook",
    ],
)
def test_private_loopback_and_link_local_urls_are_refused(campaign, url):
    with pytest.raises(ValidationError):
        endpoint_for(campaign.brand, url)
    assert not WebhookEndpoint.objects.exists()


def test_manager_registers_an_endpoint_and_sees_a_disabled_one(
    client, campaign, make_user, allow_local
):
    manager = make_user("mia", roles.CAMPAIGN_MANAGER, campaign.brand)
    client.force_login(manager)
    url = reverse("campaigns:webhook_list", args=[campaign.brand.pk])
    response = client.post(
        url, {"url": "http://127.0.0.1:9/hook", "events": ["export.ready", "job.failed"]}
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert endpoint.events == ["export.ready", "job.failed"] and endpoint.secret
    endpoint.is_active = False
    endpoint.disabled_reason = "Disabled after 10 failed attempts in a row (last: HTTP 500)."
    endpoint.save()
    page = client.get(reverse("campaigns:webhook_detail", args=[endpoint.pk])).content.decode()
    assert "Disabled" in page and "HTTP 500" in page and "Enable again" in page
    client.post(reverse("campaigns:webhook_enable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.is_active


def test_private_url_is_a_form_error_not_a_500(client, campaign, make_user):
    manager = make_user("mia", roles.CAMPAIGN_MANAGER, campaign.brand)
    client.force_login(manager)
    url = reverse("campaigns:webhook_list", args=[campaign.brand.pk])
    response = client.post(url, {"url": "http://127.0.0.1/hook", "events": ["export.ready"]})
    assert response.status_code == 200
    assert "public addresses only" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_webhook_pages_are_brand_scoped_and_manager_only(client, campaign, make_user, allow_local):
    from campaigns.models import Brand

    endpoint = endpoint_for(campaign.brand, "http://127.0.0.1:9/hook")
    outsider = make_user("otto", roles.CAMPAIGN_MANAGER, Brand.objects.create(name="Other"))
    designer = make_user("dana", roles.DESIGNER, campaign.brand)
    detail = reverse("campaigns:webhook_detail", args=[endpoint.pk])
    client.force_login(outsider)
    assert client.get(detail).status_code == 404
    assert client.post(reverse("campaigns:webhook_delete", args=[endpoint.pk])).status_code == 404
    client.force_login(designer)
    assert client.get(detail).status_code == 403
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_csrf_is_enforced_on_registration(campaign, make_user):
    from django.test import Client

    manager = make_user("mia", roles.CAMPAIGN_MANAGER, campaign.brand)
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    url = reverse("campaigns:webhook_list", args=[campaign.brand.pk])
    response = client.post(url, {"url": "https://example.com/hook", "events": ["export.ready"]})
    assert response.status_code == 403
