"""Clips on the review card in a real browser: Animate loads its form into the card and
queues clips, the panel shows each clip's status, the card plays its MP4 on hover (poster
otherwise), all under the strict CSP. A screenshot of the card lands in test-results/."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from campaigns import demo_art, roles
from campaigns.models import AdFormat, VariantClip
from campaigns.services import clips, cutouts
from campaigns.services.clip_render import clip_render
from tests.e2e.conftest import SCREENSHOTS
from tests.helpers import run_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_review_card_animates_and_plays_its_clip(
    page, live_server, make_user, brand, campaign, segments
):
    make_user("dee", roles.DESIGNER, brand)
    campaign.product_image.save(
        "shoe.png", ContentFile(demo_art.png_bytes(demo_art.draw_shoe())), save=True
    )
    cutouts.campaign_cutout_make(campaign=campaign)
    variant = run_round(campaign, segments[:1], n=1, seed=5).variants.get()
    square, mrec = (AdFormat.objects.get(slug=s) for s in ("square-1080", "mrec-300x250"))
    for clip in clips.clip_request(
        variant=variant, user=None, formats=[square, mrec], lengths=[6], enqueue=False
    ):
        clip_render(clip_id=clip.pk)
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.set_viewport_size({"width": 1400, "height": 1300})  # the whole card, unscrolled
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "dee")
    page.fill("#id_password", "pw-dee")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/campaigns/{campaign.pk}/review/")
    card = page.locator(f"#variant-{variant.pk}")

    # Animate: the form comes into the card; a 15 s story clip is queued.
    card.locator("summary[data-action=animate]").click()
    form = card.locator(".animate-form")
    form.locator("input[value='story-1080x1920']").check()
    form.locator("input[name=clip_lengths][value='15']").check()
    SCREENSHOTS.mkdir(exist_ok=True)
    card.screenshot(path=str(SCREENSHOTS / "review-card-animate.png"), caret="initial")
    form.locator("button[data-action=animate-submit]").click()
    page.wait_for_selector(f"#variant-{variant.pk} .notice:has-text('1 clip queued')")
    queued = VariantClip.objects.get(variant=variant, seconds=15)
    assert (queued.format.slug, queued.status) == ("story-1080x1920", "queued")
    VariantClip.objects.filter(pk=queued.pk).update(status="rendering", progress=35)
    page.wait_for_selector(f"#clips-{variant.pk} progress[value='35']")  # the panel polls

    video = card.locator("video[data-hover-play]")
    assert video.evaluate("v => v.paused")  # poster until the pointer comes
    card.locator(".thumb").hover()
    page.wait_for_function(
        "id => !document.querySelector(`#variant-${id} video`).paused", arg=variant.pk
    )
    page.wait_for_function(
        "id => document.querySelector(`#variant-${id} video`).currentTime > 0.3",
        arg=variant.pk,
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")  # the sticky bulk bar off the card
    card.screenshot(path=str(SCREENSHOTS / "review-card-clip.png"), caret="initial")
    page.mouse.move(5, 5)
    page.wait_for_function(
        "id => document.querySelector(`#variant-${id} video`).paused", arg=variant.pk
    )
    assert violations == [], violations
