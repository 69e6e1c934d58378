""" "More like this" in a real browser, without a worker: the form opens on the card, the
strength shown follows the slider (static JS, no CSP violation), and the first click
starts a variation job whose progress shows on the card. A screenshot of the open control lands
in test-results/."""

from __future__ import annotations

import pytest

from campaigns import roles
from campaigns.models import GenerationJob
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_e2e_review_studio import log_in
from tests.studio.conftest import make_variants

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def designer(make_user, brand):
    return make_user("dee", roles.DESIGNER, brand)


def test_more_like_this_starts_variations_from_the_card(
    page, live_server, designer, campaign, segments
):
    variant = make_variants(campaign, segments[:1], n=1)[0]
    variant.layers = {"square-1080": {"file": "variants/layers/x.jpg", "size": [1080, 1080]}}
    variant.save(update_fields=["layers"])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_server.url, "dee")
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/review/")
    card = page.locator(f"#variant-{variant.pk}")
    card.locator("summary[data-action=vary]").click()
    card.locator("input[name=strength]").fill("0.3")
    assert card.locator("[data-strength-value]").inner_text() == "0.3"
    card.locator("input[name=count]").fill("3")
    card.locator("button[data-action=vary-submit]").click()
    page.wait_for_selector(f"#variant-{variant.pk} .notice:has-text('variations at strength 0.3')")
    text = page.locator(f"#variant-{variant.pk}").inner_text()
    job = GenerationJob.objects.get(source_variant=variant)
    assert f"sent for 3 variations at strength 0.3 (job #{job.pk})" in text, text
    assert job.variation == {"strength": 0.3} and job.variants_per_segment == 3
    assert not [e for e in errors if "Content Security Policy" in e], errors
    # Last: Playwright's element screenshot leaves inline styles that a later htmx
    # settle would copy (and the CSP refuse).
    card.locator("summary[data-action=vary]").click()
    SCREENSHOTS.mkdir(exist_ok=True)
    card.screenshot(path=str(SCREENSHOTS / "review-card-more-like-this.png"))
