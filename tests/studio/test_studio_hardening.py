"""Review-studio hardening (issue 10, items 3, 6, 8, 9, 10) through the Django test
client: block confirmation without JavaScript, compare with one card, the "why this
score" panel in words and without server paths, held counts, and the small ones."""

from __future__ import annotations

import io
import logging
import sys

import pytest
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from PIL import Image

from campaigns.forms_studio import GenerateForm
from campaigns.models import ModerationCase, Variant
from campaigns.services import moderation, reviews
from tests.factories import make_job, make_variant
from tests.helpers import run_round
from tests.studio.conftest import make_variants

pytestmark = pytest.mark.django_db


# --- 3. Block asks for confirmation, also without JavaScript --------------------------
@pytest.fixture
def case(campaign, segments):
    variant = make_variant(
        make_job(campaign, segments), segments[0], body="Mail sales@rival.com to order today."
    )
    return moderation.variant_screen(variant=variant)


def test_block_without_javascript_shows_a_confirmation_page_first(client, moderator, case):
    client.force_login(moderator)
    url = reverse("campaigns:moderation_decide", args=[case.pk, "block"])

    first = client.post(url, {"note": "Rival's address <b>twice</b>"})
    assert first.status_code == 200
    html = first.content.decode()
    assert "Block case" in html and "final" in html and "Yes, block for good" in html
    assert 'name="confirm" value="True"' in html
    # The note is carried to the second step, escaped.
    assert 'name="note" value="Rival&#x27;s address &lt;b&gt;twice&lt;/b&gt;"' in html
    case.refresh_from_db()
    assert case.status == ModerationCase.Status.OPEN, "nothing is blocked before confirming"

    second = client.post(url, {"note": "Rival's address", "confirm": "True"})
    assert second.status_code == 302
    case.refresh_from_db()
    assert case.status == ModerationCase.Status.BLOCKED
    assert case.events.last().note == "Rival's address"


def test_case_page_block_forms_ask_in_the_browser_too(client, moderator, case):
    client.force_login(moderator)
    html = client.get(reverse("campaigns:moderation_case", args=[case.pk])).content.decode()
    block_form = html[html.index("/block/") - 200 : html.index("/block/") + 300]
    assert "data-confirm=" in block_form and "cannot be undone" in block_form


# --- 6. Compare with one card stays on the grid -----------------------------------------
def test_compare_with_one_card_returns_to_the_grid_with_a_message(
    client, designer, campaign, variants
):
    client.force_login(designer)
    url = reverse("campaigns:variant_compare")
    response = client.get(url, {"ids": [variants[0].pk], "campaign": campaign.pk}, follow=True)
    grid = reverse("campaigns:review_grid", args=[campaign.pk])
    assert response.redirect_chain == [(grid, 302)]
    assert response.status_code == 200
    shown = [(m.level, str(m)) for m in response.context["messages"]]
    assert shown == [(messages.WARNING, "Choose 2 to 4 variants to compare (got 1).")]
    assert "Choose 2 to 4 variants to compare (got 1)." in response.content.decode()


def test_compare_error_without_a_visible_campaign_keeps_the_explaining_page(
    client, designer, outsider, campaign, variants
):
    client.force_login(outsider)  # not allowed to see this campaign: no redirect to it
    response = client.get(
        reverse("campaigns:variant_compare"), {"ids": [variants[0].pk], "campaign": campaign.pk}
    )
    assert response.status_code == 400
    client.force_login(designer)
    response = client.get(
        reverse("campaigns:variant_compare"), {"ids": [variants[0].pk], "campaign": "1e9"}
    )
    assert response.status_code == 400


def test_the_grid_compare_form_says_which_campaign(client, designer, campaign, variants):
    client.force_login(designer)
    html = client.get(reverse("campaigns:review_grid", args=[campaign.pk])).content.decode()
    form = html[html.index('id="compare-form"') :][:400]
    assert f'name="campaign" value="{campaign.pk}"' in form


# --- 8. Why this score: the image, the lineage in words, no server path -------------------
def _server_paths(settings) -> list[str]:
    return [str(settings.MEDIA_ROOT), str(settings.BASE_DIR), "/.venv/", sys.prefix]


def test_why_panel_shows_image_and_lineage_in_words_without_paths(
    client, designer, campaign, segments, settings
):
    variant = run_round(campaign, segments[:1], n=1, seed=3).variants.get()
    client.force_login(designer)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(reverse("campaigns:variant_why", args=[variant.pk]), headers=headers)
        html = response.content.decode()
        assert response.status_code == 200
        for path in _server_paths(settings):
            assert path not in html, f"server path {path!r} in the why panel"
        assert 'class="why-image"' in html and "<img" in html
        main = variant.renditions.get(format__slug="square-1080")
        assert main.image.url in html
        # The lineage in words: models, frames, prompts and seeds, no JSON dump.
        copy = variant.lineage["copy"]
        assert "Template copywriter" in html and "all-MiniLM-L6-v2" in html
        assert copy["frames"]["headline"] in html and copy["frames"]["body"] in html
        image = variant.lineage["image"]
        assert f"{image['backend'].capitalize()} painter" in html and image["style"] in html
        assert f"Round seed {variant.lineage['job_seed']}" in html
        assert f"variant seed {variant.seed}" in html
        assert "no image model" in html
        lineage = html[html.index('<dl class="lineage">') : html.index("</dl>")]
        assert "<pre" not in lineage and "{&quot;" not in lineage, "raw JSON in the lineage"
        assert "Reproduce (same seed" in html


def test_why_panel_names_configured_models_not_their_directories(
    client, designer, campaign, segments
):
    lineage = {
        "seed": 11,
        "job_seed": 5,
        "segment_seed": 9,
        "image_prompt": "a shoe on a trail",
        "negative_prompt": "text, watermark",
        "engine_config": {
            "copywriter": "transformers",
            "text_model": "/srv/models/qwen2.5-0.5b-instruct",
            "painter": "diffusers",
            "image_model": "/srv/models/sd-turbo",
            "image_preset": "sd-turbo",
            "scorer": "clip",
            "clip_model": "ViT-B-32",
            "clip_pretrained": "/srv/models/clip/open_clip_model.safetensors",
        },
        "copy": {
            "backend": "transformers",
            "model": "/srv/models/qwen2.5-0.5b-instruct",
            "seed": 4,
            "attempt": 1,
            "decoding": "json-skeleton",
            "raw_excerpt": "{secret prompt}",
        },
        "image": {
            "backend": "diffusers",
            "model": "/srv/models/sd-turbo",
            "preset": "sd-turbo",
            "steps": 2,
            "guidance": 0.0,
            "scheduler": "EulerAncestralDiscreteScheduler",
            "seed": 11,
            "size": [512, 512],
            "dtype": "float16",
            "device": "cuda",
        },
        "scorer": {
            "backend": "composite",
            "text": {"embedder": {"model_dir": "/srv/models/minilm/model"}},
            "image": {"model": "ViT-B-32", "pretrained": "/srv/models/clip/open_clip.bin"},
        },
    }
    variant = make_variant(make_job(campaign, segments), segments[0], lineage=lineage)
    client.force_login(designer)
    html = client.get(reverse("campaigns:variant_why", args=[variant.pk])).content.decode()
    assert "/srv/" not in html and "secret prompt" not in html
    assert "Language model qwen2.5-0.5b-instruct" in html
    assert "Diffusers sd-turbo (sd-turbo preset)" in html and "2 steps" in html
    assert "CLIP ViT-B-32" in html and "MiniLM text fit (minilm)" in html
    assert "Round seed 5 → segment seed 9 → variant seed 11" in html


# --- 9. Held counts on the job and the campaign, a grid filter ----------------------------
def test_held_variants_are_counted_on_the_job_and_filtered_in_the_grid(
    client, designer, campaign, segments
):
    variants = make_variants(campaign, segments[:1], n=4)
    held = variants[:3]
    for v in held[:2]:
        ModerationCase.objects.create(variant=v, reasons=[{"code": "pii"}])
    ModerationCase.objects.create(variant=held[2], status=ModerationCase.Status.BLOCKED)
    ModerationCase.objects.create(variant=variants[3], status=ModerationCase.Status.CLEARED)
    job = variants[0].job
    client.force_login(designer)

    for url in (
        reverse("campaigns:job_detail", args=[job.pk]),
        reverse("campaigns:job_progress", args=[job.pk]),
        reverse("campaigns:campaign_detail", args=[campaign.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Succeeded" in html
        assert "3 of 4 variants held by moderation" in html, url
        assert "?moderation=held" in html

    grid = reverse("campaigns:review_grid", args=[campaign.pk])
    shown = client.get(grid, {"moderation": "held"}).context["variants"]
    assert sorted(v.pk for v in shown) == sorted(v.pk for v in held)
    shown = client.get(grid, {"moderation": "clear"}).context["variants"]
    assert [v.pk for v in shown] == [variants[3].pk]
    assert len(client.get(grid, {"moderation": "bogus"}).context["variants"]) == 4


def test_a_job_with_nothing_held_says_nothing_about_holds(client, designer, variants):
    client.force_login(designer)
    html = client.get(reverse("campaigns:job_detail", args=[variants[0].job_id])).content
    assert b"held by moderation" not in html


# --- 10. Small ones ----------------------------------------------------------------------
def test_backend_presets_say_what_each_really_uses(campaign, settings):
    labels = dict(GenerateForm(campaign=campaign).fields["preset"].choices)
    assert labels["configured"] != labels["offline"]
    assert "same as offline" in labels["configured"]
    assert "template copywriter" in labels["offline"] and "backdrop painter" in labels["offline"]

    settings.STUDIO_ENGINE = {
        **settings.STUDIO_ENGINE,
        "painter": "diffusers",
        "image_model": "/srv/models/sd-turbo",
        "image_preset": "sd-turbo",
        "scorer": "clip",
        "clip_model": "ViT-B-32",
        "clip_pretrained": "laion2b_s34b_b79k",
    }
    labels = dict(GenerateForm(campaign=campaign).fields["preset"].choices)
    assert "diffusers sd-turbo (sd-turbo preset)" in labels["configured"]
    assert "CLIP ViT-B-32 (laion2b_s34b_b79k)" in labels["configured"]
    assert "/srv" not in labels["configured"]
    assert "diffusers" not in labels["offline"] and "CLIP" not in labels["offline"]


def _approve_button(html: str) -> str:
    start = html.index('data-action="approve"')
    return html[html.rindex("<button", 0, start) : html.index(">", start) + 1]


def test_approve_is_disabled_where_it_cannot_apply(client, designer, variants):
    pending, approved, held = variants[0], variants[1], variants[2]
    reviews.variant_approve(variant=approved, user=designer)
    ModerationCase.objects.create(variant=held, reasons=[{"code": "pii"}])
    client.force_login(designer)

    def button(v):
        return _approve_button(client.get(reverse("campaigns:variant_card", args=[v.pk])).text)

    assert "disabled" not in button(pending) and "hx-post" in button(pending)
    assert "disabled" in button(approved) and "hx-post" not in button(approved)
    assert "disabled" in button(held) and "Held by moderation" in button(held)
    # The service refuses too, whatever the page shows.
    with pytest.raises(PermissionDenied):
        reviews.variant_approve(variant=held, user=designer)
    response = client.post(
        reverse("campaigns:variant_approve", args=[held.pk]), headers={"HX-Request": "true"}
    )
    assert "open or blocking moderation case" in response.text
    held.refresh_from_db()
    assert held.status == Variant.Status.PENDING


def test_rejection_is_an_info_message_not_a_success(client, designer, campaign, variants):
    client.force_login(designer)
    response = client.post(
        reverse("campaigns:variant_reject", args=[variants[0].pk]), {"comment": "x"}, follow=True
    )
    shown = [(m.level, str(m)) for m in response.context["messages"]]
    assert shown == [(messages.INFO, f"Variant #{variants[0].pk}: rejected")]
    assert '<li class="info">' in response.content.decode()
    card = client.post(
        reverse("campaigns:variant_reject", args=[variants[1].pk]), headers={"HX-Request": "true"}
    )
    assert 'class="notice info"' in card.text
    approved = client.post(reverse("campaigns:variant_approve", args=[variants[2].pk]), follow=True)
    assert [m.level for m in approved.context["messages"]] == [messages.SUCCESS]


def test_favicon_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.ico")
    assert "max-age" in response["Cache-Control"]
    found = finders.find("favicon.ico")
    assert found, "static/favicon.ico is missing"
    with Image.open(found) as icon:
        assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    login = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in login


def test_a_403_logs_one_line_not_a_traceback(client, designer, settings):
    """What the console shows for an ordinary refusal, through the configured handlers
    (in DEBUG, where Django's own console handler also prints)."""
    settings.DEBUG = True
    out = io.StringIO()
    swapped = []
    logger = logging.getLogger("django.request")
    while logger:
        for handler in logger.handlers:
            if type(handler) is logging.StreamHandler:
                swapped.append((handler, handler.setStream(out)))
        logger = logger.parent if logger.propagate else None
    assert swapped, "no console handler found"
    try:
        client.force_login(designer)
        assert client.get(reverse("campaigns:moderation_queue")).status_code == 403
    finally:
        for handler, stream in swapped:
            handler.setStream(stream)
    lines = out.getvalue().splitlines()
    assert lines == ["Forbidden (Permission denied): /moderation/"], lines
