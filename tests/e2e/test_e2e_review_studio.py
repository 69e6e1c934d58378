"""The review studio in a real browser, without a worker (variants are real rows and
PNGs made directly): regenerate on the first click, keyboard review that keeps its
place, block with a confirmation, the header on a 375 px phone. Screenshots of the grid
(desktop and phone) and of the "why this score" panel land in test-results/."""

from __future__ import annotations

import pytest

from campaigns import roles
from campaigns.models import GenerationJob, ModerationCase, Review, Variant
from campaigns.services import moderation
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import make_job, make_variant
from tests.helpers import run_round
from tests.studio.conftest import make_variants

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def grid_ids(page) -> list[str]:
    page.wait_for_selector("article.variant")
    return page.locator("article.variant").evaluate_all("els => els.map(e => e.dataset.variant)")


@pytest.fixture
def designer(make_user, brand):
    return make_user("dee", roles.DESIGNER, brand)


def test_regenerate_works_on_the_first_click(page, live_server, designer, campaign, segments):
    variant = make_variants(campaign, segments[:1], n=1)[0]
    log_in(page, live_server.url, "dee")
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/review/")
    card = page.locator(f"#variant-{variant.pk}")
    card.locator("button:has-text('new seed')").click()  # the card's first click
    card.locator(".notice").wait_for()
    text = page.locator(f"#variant-{variant.pk}").inner_text()
    assert "regenerating with a new seed" in text, text
    assert "Choose the same seed" not in text
    job = GenerationJob.objects.get(source_variant=variant)
    assert job.only_index == variant.index

    # The other button on a card that already has the focus sends its own value.
    page.locator(f"#variant-{variant.pk} button:has-text('same seed')").click()
    page.wait_for_selector(f"#variant-{variant.pk} .notice:has-text('the same seed')")
    assert GenerationJob.objects.filter(source_variant=variant).count() == 2


def _focused(page) -> str | None:
    return page.evaluate(
        "() => { const c = document.querySelector('article.variant.focused');"
        " return c ? c.dataset.variant : null; }"
    )


def _header_clear_of_bar(page) -> bool:
    """The focused card's header is on screen and not under the sticky bulk bar."""
    return page.evaluate(
        """() => {
          const card = document.querySelector('article.variant.focused');
          const bar = document.querySelector('.toolbar').getBoundingClientRect();
          const head = card.querySelector('.cardhead').getBoundingClientRect();
          return head.top >= bar.bottom - 1 && head.bottom <= window.innerHeight;
        }"""
    )


def _rects(page) -> dict:
    return page.evaluate(
        """() => {
          const card = document.querySelector('article.variant.focused');
          return {bar: document.querySelector('.toolbar').getBoundingClientRect().toJSON(),
                  head: card.querySelector('.cardhead').getBoundingClientRect().toJSON(),
                  card: card.getBoundingClientRect().toJSON(), id: card.dataset.variant,
                  scroll: window.scrollY, inner: window.innerHeight};
        }"""
    )


def test_keyboard_review_keeps_its_place(page, live_server, designer, campaign, segments):
    make_variants(campaign, segments, n=6)  # 12 cards: three rows on a desktop
    log_in(page, live_server.url, "dee")
    page.set_viewport_size({"width": 1400, "height": 760})
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/review/")
    ids = grid_ids(page)
    first, second, third = ids[:3]

    page.keyboard.press("j")
    assert _focused(page) == first
    page.keyboard.press("a")
    page.wait_for_selector(f'#variant-{first}[data-status="approved"]')
    assert _focused(page) == first, "the swapped card keeps the focus"
    page.keyboard.press("j")
    assert _focused(page) == second, "j goes on from the decided card, not back to the top"
    page.keyboard.press("a")
    page.wait_for_selector(f'#variant-{second}[data-status="approved"]')
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.wait_for_selector(f'#variant-{third}[data-status="rejected"]')
    assert _focused(page) == third

    decided = list(
        Review.objects.order_by("created_at").values_list("variant_id", "action", flat=False)
    )
    assert decided == [(int(first), "approve"), (int(second), "approve"), (int(third), "reject")]
    assert Variant.objects.filter(status=Variant.Status.PENDING).count() == len(ids) - 3

    # Down to the last row and back up: the focused card's header is never under the bar.
    for step, key in enumerate(["j"] * 7 + ["k"] * 5):
        page.keyboard.press(key)
        page.wait_for_timeout(400)  # the smooth scroll
        assert _header_clear_of_bar(page), (step, key, _rects(page))
    assert _focused(page) == ids[4]


def test_block_asks_for_confirmation_in_the_browser(
    page, live_server, make_user, brand, campaign, segments
):
    make_user("mo", roles.MODERATOR, brand)
    variant = make_variant(
        make_job(campaign, segments), segments[0], body="Mail sales@rival.com to order today."
    )
    case = moderation.variant_screen(variant=variant)
    log_in(page, live_server.url, "mo")
    page.goto(f"{live_server.url}/moderation/cases/{case.pk}/")
    asked = []

    def answer(accept):
        def handler(dialog):
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handler

    page.once("dialog", answer(False))
    page.click("button.danger:has-text('Block')")
    page.wait_for_timeout(300)
    assert asked and "cannot be undone" in asked[0]
    case.refresh_from_db()
    assert case.status == ModerationCase.Status.OPEN, "dismissed: nothing happens"
    assert page.url.endswith(f"/moderation/cases/{case.pk}/")

    page.once("dialog", answer(True))
    page.fill("#block_note", "Rival's address")
    page.click("button.danger:has-text('Block')")
    page.wait_for_selector(f"text=Case #{case.pk} blocked.")
    case.refresh_from_db()
    assert case.status == ModerationCase.Status.BLOCKED
    assert case.events.last().note == "Rival's address"


def test_phone_header_keeps_log_out_on_screen(page, live_server, make_user, campaign):
    make_user("adminette", superuser=True)  # the most links in the header
    log_in(page, live_server.url, "adminette")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/review/")
    box = page.locator("button:has-text('Log out')").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "header-375.png"))


def test_screenshots_of_grid_and_why_panel(page, live_server, designer, campaign, segments):
    """Not a check of pixels: pictures of the pages for a person to look at."""
    job = run_round(campaign, segments, n=2, seed=5)
    variants = list(job.variants.order_by("pk"))
    ModerationCase.objects.create(variant=variants[0], reasons=[{"code": "pii"}])
    log_in(page, live_server.url, "dee")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/review/")
    grid_ids(page)
    page.screenshot(path=str(SCREENSHOTS / "grid-desktop.png"), full_page=True)
    page.locator(f"#variant-{variants[1].pk} a[data-action=why]").click()
    page.wait_for_selector("#side-panel .why .why-image img")
    page.screenshot(path=str(SCREENSHOTS / "why-panel.png"))
    page.goto(f"{live_server.url}/variants/{variants[1].pk}/why/")
    page.screenshot(path=str(SCREENSHOTS / "why-page.png"), full_page=True)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    page.screenshot(path=str(SCREENSHOTS / "job-held.png"))
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/review/")
    grid_ids(page)
    page.screenshot(path=str(SCREENSHOTS / "grid-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
