"""Browser: a manager registers a webhook and reads its log; a user makes an API token."""

import os

import pytest

from campaigns import roles
from campaigns.models import WebhookDelivery, WebhookEndpoint

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SHOTS = os.environ.get("STUDIO_SCREENSHOT_DIR", "")


def log_in(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_webhook_registration_log_and_api_token(page, live_server, make_user, brand, settings):
    settings.STUDIO_WEBHOOKS_ALLOW_PRIVATE = True
    make_user("mia", roles.CAMPAIGN_MANAGER, brand)
    log_in(page, live_server.url, "mia", "pw-mia")
    page.goto(f"{live_server.url}/brands/")
    page.click("text=Webhooks")
    page.fill("input[name=url]", "http://127.0.0.1:9/hooks/studio")
    page.check("input[value='export.ready']")
    page.check("input[value='moderation_case.opened']")
    page.click("text=Add endpoint")
    page.wait_for_selector("text=Signing secret")
    endpoint = WebhookEndpoint.objects.get()
    for code, status in ((200, "succeeded"), (500, "failed")):
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id=f"e{code}",
            event_type="export.ready",
            payload={},
            status=status,
            attempts=1 if code == 200 else 6,
            response_code=code,
            error="" if code == 200 else "HTTP 500",
        )
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False,
        disabled_reason="Disabled after 10 failed attempts in a row (last: HTTP 500).",
    )
    page.reload()
    assert page.is_visible("text=Enable again")
    assert page.is_visible("td:has-text('HTTP 500')")
    shot(page, "webhook_detail.png")

    page.click("text=API tokens")
    page.fill("input[name=name]", "DAM sync")
    page.click("text=Create token")
    token = page.inner_text("code.token")
    assert token.startswith("stu_")
    shot(page, "profile_tokens.png")


def test_api_docs_render_from_local_static_files(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector("text=Creative Studio API")
    page.wait_for_selector("#operations-serving-serving_decide")
    assert all(url.startswith(live_server.url) for url in requested), requested
    shot(page, "api_docs.png")
