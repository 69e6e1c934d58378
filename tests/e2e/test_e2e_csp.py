"""The pages work within the Content-Security-Policy: htmx loads, the rule builder's
live preview swaps in (no inline style or script needed), the keyboard script runs, and
Chromium reports no CSP violation on any page visited."""

from __future__ import annotations

import os
import re

import pytest

from campaigns import roles
from campaigns.models import AudienceSegment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("STUDIO_E2E_SHOTS", "")  # a folder: save a screenshot of each page


def test_pages_work_under_the_csp(page, live_server, make_user, brand, campaign, segments):
    make_user("mia", roles.CAMPAIGN_MANAGER, brand)
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "mia")
    page.fill("#id_password", "pw-mia")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    assert page.evaluate("typeof htmx") == "object"

    page.goto(f"{base}/campaigns/{campaign.pk}/segments/new/")
    page.fill("#id_name", "Londoners")
    page.fill("#id_persona", "People in London who run.")
    page.fill("#id_countries", "Untied Kingdom")
    page.wait_for_selector("#rules-preview:has-text('Did you mean United Kingdom (GB)')")
    page.fill("#id_interests", "running, health conditions")
    page.wait_for_selector("#rules-preview:has-text('cannot be targeted: health conditions')")
    page.fill("#id_interests", "running")
    page.fill("#id_countries", "United Kingdom")
    page.wait_for_selector("#rules-preview:has-text('countries: United Kingdom')")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/segment-form.png", full_page=True)
    page.click("button:has-text('Save segment')")
    page.wait_for_selector("text=Londoners")
    assert AudienceSegment.objects.get(name="Londoners").rules["countries"] == ["GB"]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/campaign-detail.png", full_page=True)

    for path, name in [
        ("/brands/", "brands"),
        (f"/campaigns/{campaign.pk}/review/", "review"),
        (f"/campaigns/{campaign.pk}/analytics/", "analytics"),
        (f"/campaigns/{campaign.pk}/delete/", "delete"),
        ("/admin/", "admin"),
    ]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    assert re.search(r"Delete campaign", page.content()) is None  # admin page last
    assert violations == []


def test_the_admin_works_under_the_csp(page, live_server, make_user, brand, campaign):
    make_user("root", superuser=True)
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    base = live_server.url
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw-root")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    for path in [
        f"/admin/campaigns/brand/{brand.pk}/change/",  # filter_horizontal widget (JS)
        f"/admin/campaigns/campaign/{campaign.pk}/change/",  # inlines
        "/admin/campaigns/variant/",
    ]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    page.goto(f"{base}/admin/campaigns/brand/{brand.pk}/change/")
    page.wait_for_selector("#id_members_from")  # SelectFilter2 built the two boxes
    assert violations == []
