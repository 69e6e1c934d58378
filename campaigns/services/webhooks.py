"""Webhooks: brands' endpoints hear domain events as signed JSON POSTs.

Signature: header `X-Studio-Signature: t=<unix seconds>,v1=<hex>` where
`<hex> = HMAC-SHA256(secret, "<t>.<raw body>")`. The receiver recomputes it and
rejects old timestamps (replays). Failed attempts retry with exponential backoff;
after STUDIO_WEBHOOK_DISABLE_AFTER failed attempts in a row the endpoint is disabled
and its page says why.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.events import EVENT_TYPES, DomainEvent, subscribe
from campaigns.models import Brand, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Studio-Signature"
BACKOFF_BASE_SECONDS = 10
BACKOFF_MAX_SECONDS = 3600


def webhook_sign(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def backoff_seconds(attempts: int) -> int:
    """10 s, 20 s, 40 s, ... after the 1st, 2nd, 3rd failed attempt; at most an hour."""
    return min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)


def webhook_url_check(*, url: str) -> None:
    """Refuse what is not http(s), and hosts resolving to private, loopback, link-local
    or otherwise internal addresses (unless STUDIO_WEBHOOKS_ALLOW_PRIVATE): a webhook
    must not let a brand user make the studio call into its own network."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("Use an http:// or https:// URL with a host name.")
    if parts.username or parts.password:
        raise ValidationError("Put no user name or password in the URL; the secret signs it.")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ValidationError(f"The host {parts.hostname!r} does not resolve.") from exc
    if settings.STUDIO_WEBHOOKS_ALLOW_PRIVATE:
        return
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            raise ValidationError(
                f"The host {parts.hostname!r} resolves to a private, loopback or "
                "link-local address; webhooks go to public addresses only."
            )


def _clean_events(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown:
        raise ValidationError(f"Unknown event type(s): {', '.join(unknown)}.")
    if not events:
        raise ValidationError("Choose at least one event.")
    return sorted(set(events))


def webhook_endpoint_create(
    *, brand: Brand, user, url: str, events: list[str], secret: str = ""
) -> WebhookEndpoint:
    webhook_url_check(url=url)
    secret = secret.strip() or f"whsec_{secrets.token_urlsafe(32)}"
    if len(secret) < 16:
        raise ValidationError("A secret needs at least 16 characters (or leave it empty).")
    return WebhookEndpoint.objects.create(
        brand=brand, url=url, events=_clean_events(events), secret=secret, created_by=user
    )


def webhook_endpoint_enable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    webhook_url_check(url=endpoint.url)
    endpoint.is_active = True
    endpoint.consecutive_failures = 0
    endpoint.disabled_reason = ""
    endpoint.disabled_at = None
    endpoint.save(
        update_fields=["is_active", "consecutive_failures", "disabled_reason", "disabled_at"]
    )
    return endpoint


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


@subscribe
def webhooks_on_event(event: DomainEvent) -> None:
    """Subscriber: one delivery per active endpoint of the brand that wants this event."""
    from campaigns import tasks  # tasks import services; import here breaks the cycle

    endpoints = WebhookEndpoint.objects.filter(brand_id=event.brand_id, is_active=True)
    for endpoint in endpoints:
        if event.type not in endpoint.events:
            continue
        with transaction.atomic():
            delivery, created = WebhookDelivery.objects.get_or_create(
                endpoint=endpoint,
                event_id=event.id,
                defaults={"event_type": event.type, "payload": event.as_json()},
            )
            if created:
                delivery_id = delivery.pk
                transaction.on_commit(lambda d=delivery_id: tasks.deliver_webhook.delay(d))


def webhook_attempt(*, delivery_id: int) -> int | None:
    """POST the delivery once. Returns the seconds to wait before the next attempt, or
    None when there is nothing more to do (delivered, given up, endpoint disabled)."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (
        WebhookDelivery.Status.SUCCEEDED,
        WebhookDelivery.Status.FAILED,
    ):
        return None
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        _finish(delivery, endpoint, ok=False, code=None, error="The endpoint is disabled.")
        return None
    code, error = _post(endpoint, delivery)
    ok = code is not None and 200 <= code < 300
    return _finish(delivery, endpoint, ok=ok, code=code, error=error)


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> tuple[int | None, str]:
    import requests  # only the worker sends webhooks

    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "creative-studio-webhooks/1",
        "X-Studio-Event": delivery.event_type,
        "X-Studio-Delivery": delivery.event_id,
        SIGNATURE_HEADER: webhook_sign(secret=endpoint.secret, timestamp=timestamp, body=body),
    }
    try:
        # Checked again at send time: DNS may have changed since the endpoint was saved.
        webhook_url_check(url=endpoint.url)
        response = requests.post(
            endpoint.url,
            data=body,
            headers=headers,
            timeout=settings.STUDIO_WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,  # a redirect could point anywhere, private included
        )
    except ValidationError as exc:
        return None, exc.messages[0][:500]
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}"


def _finish(delivery, endpoint, *, ok: bool, code: int | None, error: str) -> int | None:
    now = timezone.now()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        delivery.attempts += 1
        delivery.response_code = code
        delivery.error = error
        delivery.last_attempt_at = now
        retry_in = None
        if ok:
            delivery.status = WebhookDelivery.Status.SUCCEEDED
            delivery.delivered_at = now
            endpoint.consecutive_failures = 0
        else:
            if endpoint.is_active:
                endpoint.consecutive_failures += 1
                _disable_if_failing(endpoint, error, now)
            if endpoint.is_active and delivery.attempts < settings.STUDIO_WEBHOOK_MAX_ATTEMPTS:
                delivery.status = WebhookDelivery.Status.RETRYING
                retry_in = backoff_seconds(delivery.attempts)
            else:
                delivery.status = WebhookDelivery.Status.FAILED
        delivery.save()
        endpoint.save()
    return retry_in


def _disable_if_failing(endpoint: WebhookEndpoint, error: str, now) -> None:
    if endpoint.consecutive_failures < settings.STUDIO_WEBHOOK_DISABLE_AFTER:
        return
    endpoint.is_active = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = (
        f"Disabled after {endpoint.consecutive_failures} failed attempts in a row "
        f"(last: {error or 'no response'})."
    )[:300]
    logger.warning("webhook endpoint %s disabled: %s", endpoint.pk, endpoint.disabled_reason)
