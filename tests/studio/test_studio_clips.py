"""Animate and the clips panel through the views: roles, brand scope, bad requests
refused with a clear error (nothing stored), polling that stops with 286, the card's
hover clip and the protected media view."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from campaigns.models import GenerationJob, VariantClip
from tests.helpers import png_bytes

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def animate_url(variant):
    return reverse("campaigns:variant_animate", args=[variant.pk])


def clips_url(variant):
    return reverse("campaigns:variant_clips", args=[variant.pk])


GOOD = {"clip_formats": ["square-1080", "mrec-300x250"], "clip_lengths": ["6"]}


def ready_clip(variant, slug="square-1080", seconds=6, kind="mp4", **fields):
    """A ready clip row with real files (a PNG stands in for the video: views only
    serve it, they never decode it)."""
    clip = VariantClip(
        variant=variant,
        format_id=variant.campaign.formats.get(slug=slug).pk,
        seconds=seconds,
        kind=kind,
        status=VariantClip.Status.READY,
        variant_version=variant.version,
        width=1080,
        height=1080,
        sha256="ab" * 32,
        bytes=10,
        **fields,
    )
    clip.file.save(f"v{variant.pk}-{seconds}.{kind}", ContentFile(b"\x00" * 10), save=False)
    clip.poster.save(f"v{variant.pk}-poster.png", ContentFile(png_bytes((8, 8))), save=False)
    clip.save()
    return clip


@pytest.mark.parametrize(
    ("who", "status"), [("designer", 200), ("manager", 200), ("moderator", 403)]
)
def test_animate_by_role(client, variants, who, status, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(animate_url(variants[0]), GOOD, headers=HTMX)
    assert response.status_code == status
    made = VariantClip.objects.filter(variant=variants[0])
    if status == 200:
        assert "Variant animated: 2 clips queued for rendering." in response.text
        assert sorted(made.values_list("kind", "status")) == [
            ("gif", "queued"),
            ("mp4", "queued"),
        ]
        assert 'hx-trigger="every 2s"' in response.text  # the panel polls while queued
    else:
        assert not made.exists()


def test_other_brands_and_anonymous_cannot_animate_or_see_clips(client, variants, outsider):
    clip = ready_clip(variants[0])
    for method, url in (
        ("post", animate_url(variants[0])),
        ("get", animate_url(variants[0])),
        ("get", clips_url(variants[0])),
        ("get", clip.file.url),
        ("get", clip.poster.url),
    ):
        assert getattr(client, method)(url).status_code == 302  # to the login page
    client.force_login(outsider)
    for method, url in (
        ("post", animate_url(variants[0])),
        ("get", animate_url(variants[0])),
        ("get", clips_url(variants[0])),
        ("get", clip.file.url),
        ("get", clip.poster.url),
    ):
        assert getattr(client, method)(url, GOOD if method == "post" else None).status_code == 404
    assert VariantClip.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"clip_formats": ["square-1080"], "clip_lengths": ["7"]},
            "clip_lengths",
            "7 is not a clip length; choose 6 s or 15 s.",
        ),
        (
            {"clip_formats": ["no-such-format"], "clip_lengths": ["6"]},
            "clip_formats",
            "no-such-format is not a format clips can be made in.",
        ),
        ({"clip_formats": ["square-1080"]}, "clip_lengths", "Choose at least one clip length."),
        ({"clip_lengths": ["6"]}, "clip_formats", "Choose at least one format to animate."),
    ],
)
def test_bad_requests_are_refused_clearly_and_store_nothing(
    client, designer, variants, data, field, message
):
    client.force_login(designer)
    plain = client.post(animate_url(variants[0]), data)
    assert plain.status_code == 400
    assert message in plain.text
    htmx = client.post(animate_url(variants[0]), data, headers=HTMX)
    assert htmx.status_code == 200 and message in htmx.text
    assert htmx["HX-Retarget"] == f"#animate-form-{variants[0].pk}"
    assert not VariantClip.objects.exists()


def test_a_format_that_cannot_move_is_refused_by_the_service(client, designer, variants):
    # An active format of a size no clip is made in is not offered, nor accepted.
    client.force_login(designer)
    data = {"clip_formats": ["landscape-1200x628"], "clip_lengths": ["6"]}
    response = client.post(animate_url(variants[0]), data)
    assert response.status_code == 400
    assert "landscape-1200x628 is not a format clips can be made in." in response.text
    assert not VariantClip.objects.exists()


def test_clips_panel_polls_until_every_clip_is_finished(client, designer, variants):
    client.force_login(designer)
    clip = ready_clip(variants[0])
    VariantClip.objects.filter(pk=clip.pk).update(status="rendering", progress=40)
    pending = client.get(clips_url(variants[0]), headers=HTMX)
    assert pending.status_code == 200
    assert 'value="40"' in pending.text and "40 %" in pending.text
    assert 'hx-trigger="every 2s"' in pending.text
    VariantClip.objects.filter(pk=clip.pk).update(status="ready", progress=100)
    done = client.get(clips_url(variants[0]), headers=HTMX)
    assert done.status_code == 286  # htmx stops polling and swaps this last answer in
    assert "Ready" in done.text and "every 2s" not in done.text
    assert client.get(clips_url(variants[0])).status_code == 200  # plain GET: a page


def test_card_plays_the_clip_on_hover_and_marks_stale_clips(client, designer, variants):
    client.force_login(designer)
    variant = variants[0]
    clip = ready_clip(variant)
    card = client.get(reverse("campaigns:variant_card", args=[variant.pk])).text
    assert "<video" in card and "data-hover-play" in card and 'preload="none"' in card
    assert f'poster="{clip.poster.url}"' in card and clip.file.url in card
    assert 'data-action="animate"' in card
    assert "<script" not in card and "style=" not in card  # strict CSP: no inline code
    served = client.get(clip.file.url)
    assert served.status_code == 200 and served["Content-Type"] == "video/mp4"
    type(variant).objects.filter(pk=variant.pk).update(version=2)
    stale = client.get(reverse("campaigns:variant_card", args=[variant.pk])).text
    assert "<video" not in stale and "Stale (v1)" in stale


def test_generate_form_takes_clip_choices(client, designer, campaign, segments):
    client.force_login(designer)
    url = reverse("campaigns:generate", args=[campaign.pk])
    base = {"segments": [segments[0].pk], "variants_per_segment": 1, "preset": "offline"}
    bad = client.post(url, {**base, "clip_formats": ["story-1080x1920"], "clip_lengths": ["9"]})
    assert bad.status_code in (200, 400) and "9 is not a clip length" in bad.text
    assert not GenerationJob.objects.exists()
    client.post(url, {**base, "clip_formats": ["story-1080x1920"], "clip_lengths": ["15"]})
    job = GenerationJob.objects.get()
    assert job.animate == {"formats": ["story-1080x1920"], "lengths": [15], "banner_kind": "gif"}


def test_moderation_case_shows_the_clips_sampled_frames(client, moderator, variants):
    from campaigns.models import ModerationCase

    variant = variants[0]
    clip = ready_clip(variant)
    clip.frames.save("strip.png", ContentFile(png_bytes((32, 8))), save=True)
    case = ModerationCase.objects.create(variant=variant, reasons=[{"code": "manual"}])
    client.force_login(moderator)
    page = client.get(reverse("campaigns:moderation_case", args=[case.pk])).text
    assert f'src="{clip.frames.url}"' in page and "square-1080 · 6 s · MP4" in page
    assert client.get(clip.frames.url).status_code == 200  # served to the moderator
