"""A designer's day in a real browser against a live server and a real Celery worker:
log in, create a campaign and a segment, generate, watch the progress to the end,
approve two variants, edit one's copy, reject one."""

from __future__ import annotations

import re

import pytest

from campaigns import roles
from campaigns.models import Campaign, GenerationJob, Review, Variant

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def designer_login(make_user, brand):
    make_user("dee", roles.DESIGNER, brand)
    return "dee", "pw-dee"


def log_in(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def create_campaign(page, base, brand):
    page.click("text=New campaign")
    page.select_option("#id_brand", str(brand.pk))
    page.fill("#id_name", "Browser launch")
    page.fill("#id_product_name", "Aero")
    page.fill("#id_description", "A light running shoe with springy foam.")
    page.select_option("#id_objective", "conversion")
    page.check("input[name=formats] >> nth=0")
    page.check("text=Medium rectangle")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h1:has-text('Browser launch')")
    return Campaign.objects.get(name="Browser launch")


def create_segment(page):
    page.click("text=Add segment")
    page.fill("#id_name", "Trail fans")
    page.fill("#id_persona", "Outdoorsy runners who love muddy mountain trails.")
    page.fill("#id_age_min", "40")
    page.fill("#id_age_max", "30")
    page.fill("#id_interests", "trail running")
    page.wait_for_selector("#rules-preview .error")  # the builder validates as you type
    page.fill("#id_age_max", "45")
    page.wait_for_selector("#rules-preview:has-text('Targets: age 40–45')")
    page.click("button:has-text('Save segment')")
    page.wait_for_selector("text=Trail fans")


def generate_and_watch(page):
    page.click("a:has-text('Generate')")
    page.check("input[name=segments] >> nth=0")
    page.fill("#id_variants_per_segment", "3")
    page.select_option("#id_preset", "offline")
    page.click("#generate-form button[type=submit]")
    bar = page.locator(".job-progress")
    bar.wait_for()
    seen = set()
    for _ in range(600):  # up to ~3 minutes
        status = bar.get_attribute("data-status")
        seen.add(bar.locator(".percent").inner_text())
        if status in ("succeeded", "failed"):
            break
        page.wait_for_timeout(300)
    return status, seen, bar


def card(page, variant_id):
    return page.locator(f"#variant-{variant_id}")


def test_designer_generates_and_reviews(page, live_server, worker, brand, designer_login):
    base = live_server.url
    log_in(page, base, *designer_login)
    campaign = create_campaign(page, base, brand)
    create_segment(page)
    status, seen, bar = generate_and_watch(page)
    job = GenerationJob.objects.get(campaign=campaign)
    assert status == "succeeded", job.error + worker.log_path.read_text()[-3000:]
    assert "100%" in seen and len(seen) >= 2, f"the bar should move: {seen}"
    assert "layout" in bar.inner_text() and "3/3" in bar.inner_text()

    bar.locator("text=Review the variants").click()
    page.wait_for_selector("article.variant")
    ids = page.locator("article.variant").evaluate_all("els => els.map(e => e.dataset.variant)")
    assert len(ids) == 3
    first, second, third = ids

    # Approve the first with the keyboard (j focuses it, a approves), the second by click.
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_selector(f'#variant-{first}[data-status="approved"]')
    card(page, second).locator("form.decide input[name=comment]").fill("Strong hook")
    card(page, second).locator("button.approve").click()
    page.wait_for_selector(f'#variant-{second}[data-status="approved"]')

    # Edit the third's copy: the card shows the new words, re-renders, then settles.
    third_card = card(page, third)
    third_card.locator("summary:has-text('Edit copy')").click()
    third_card.locator("input[name=headline]").fill("Grip that loves mud")
    third_card.locator("button:has-text('Save copy')").click()
    page.wait_for_selector(f"#variant-{third} h3:has-text('Grip that loves mud')")
    page.wait_for_selector(f"#variant-{third} .rendering", state="detached", timeout=120_000)
    src = card(page, third).locator("img").get_attribute("src")
    assert re.search(r"\?r=2$", src), src  # the re-rendered image, not the cached first one

    card(page, third).locator("form.decide input[name=comment]").fill("Too close to the second")
    card(page, third).locator("button.reject").click()
    page.wait_for_selector(f'#variant-{third}[data-status="rejected"]')

    states = dict(Variant.objects.filter(job=job).values_list("pk", "status"))
    assert states == {int(first): "approved", int(second): "approved", int(third): "rejected"}
    edited = Variant.objects.get(pk=third)
    assert edited.version == 2 and edited.history[0]["version"] == 1
    assert set(edited.renditions.values_list("version", flat=True)) == {2}
    assert Review.objects.get(variant_id=second, action="approve").comment == "Strong hook"
    assert Review.objects.get(variant_id=third, action="reject").comment == (
        "Too close to the second"
    )
