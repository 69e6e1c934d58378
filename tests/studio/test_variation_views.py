""" "More like this" through the review studio: who may ask for it, on which variants,
and what a bad strength or count answers (a form error on the card, never a 500)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from campaigns.models import GenerationJob, Review, Variant

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def variant(variants):
    v = variants[0]
    v.layers = {"square-1080": {"file": "variants/layers/x.jpg", "size": [1080, 1080]}}
    v.save(update_fields=["layers"])
    return v


def vary(client, v, data, htmx=True):
    url = reverse("campaigns:variant_vary", args=[v.pk])
    return client.post(url, data, headers=HX if htmx else {})


def test_the_card_offers_more_like_this_to_makers(client, designer, variant):
    client.force_login(designer)
    card = client.get(reverse("campaigns:variant_card", args=[variant.pk])).text
    assert 'data-action="vary"' in card and 'name="strength"' in card
    assert 'type="range"' in card and 'min="0.1"' in card and 'max="0.9"' in card
    assert 'value="0.5"' in card and 'name="count"' in card and 'max="4"' in card


def test_no_more_like_this_on_a_rejected_variant_or_for_a_moderator(
    client, designer, moderator, variant
):
    client.force_login(moderator)
    assert (
        'data-action="vary"'
        not in client.get(reverse("campaigns:variant_card", args=[variant.pk])).text
    )
    Variant.objects.filter(pk=variant.pk).update(status=Variant.Status.REJECTED)
    client.force_login(designer)
    card = client.get(reverse("campaigns:variant_card", args=[variant.pk])).text
    assert 'data-action="vary"' not in card


def test_htmx_starts_a_variation_job_and_swaps_the_card(
    client, designer, variant, django_capture_on_commit_callbacks
):
    client.force_login(designer)
    with django_capture_on_commit_callbacks() as callbacks:
        response = vary(client, variant, {"strength": "0.3", "count": "3"})
    assert response.status_code == 200 and response.text.startswith("<article")
    job = GenerationJob.objects.get(source_variant=variant)
    assert job.variation == {"strength": 0.3} and job.variants_per_segment == 3
    assert job.created_by == designer and len(callbacks) == 1  # the job, enqueued on commit
    assert f"sent for 3 variations at strength 0.3 (job #{job.pk})" in response.text
    assert "more like variant #" in response.text  # the job's progress, on the card
    assert Review.objects.get(variant=variant).action == Review.Action.VARY


def test_plain_post_redirects_back_with_a_message(client, manager, campaign, variant):
    client.force_login(manager)
    back = reverse("campaigns:review_grid", args=[campaign.pk]) + "?status=approved"
    response = vary(client, variant, {"strength": "0.5", "count": "1", "next": back}, htmx=False)
    assert response.status_code == 302 and response["Location"] == back
    texts = [m.message for m in get_messages(response.wsgi_request)]
    assert any("sent for 1 variation at strength 0.5" in t for t in texts)
    assert GenerationJob.objects.filter(source_variant=variant).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"strength": "0.95", "count": "2"}, "Strength must be between 0.1 and 0.9."),
        ({"strength": "0", "count": "2"}, "Strength must be between 0.1 and 0.9."),
        ({"strength": "nan", "count": "2"}, "Strength must be a number."),
        ({"strength": "inf", "count": "2"}, "Strength must be a number."),
        ({"strength": "strong", "count": "2"}, "Strength must be a number."),
        ({"count": "2"}, "Choose a strength."),
        ({"strength": "0.5", "count": "5"}, "Make between 1 and 4 variations."),
        ({"strength": "0.5", "count": "0"}, "Make between 1 and 4 variations."),
        ({"strength": "0.5", "count": "2.5"}, "whole number"),
        ({"strength": "0.5", "count": "9" * 30}, "Make between 1 and 4 variations."),
    ],
)
def test_bad_strength_or_count_is_a_form_error_on_the_card(
    client, designer, variant, data, message
):
    client.force_login(designer)
    response = vary(client, variant, data)
    assert response.status_code == 200 and 'role="alert"' in response.text
    assert message in response.text
    assert '<details class="vary" open>' in response.text  # the form stays open
    assert not GenerationJob.objects.filter(source_variant=variant).exists()


def test_bad_input_without_javascript_is_a_message(client, designer, campaign, variant):
    client.force_login(designer)
    response = vary(client, variant, {"strength": "2", "count": "1"}, htmx=False)
    assert response.status_code == 302
    texts = [m.message for m in get_messages(response.wsgi_request)]
    assert texts == [f"Variant #{variant.pk}: Strength must be between 0.1 and 0.9."]


def test_a_rejected_variant_answers_why(client, designer, variant):
    Variant.objects.filter(pk=variant.pk).update(status=Variant.Status.REJECTED)
    client.force_login(designer)
    response = vary(client, variant, {"strength": "0.5", "count": "1"})
    assert "Only an approved variant or one in review can be varied" in response.text
    assert not GenerationJob.objects.filter(source_variant=variant).exists()


def test_moderators_may_not_and_other_brands_see_nothing(client, moderator, outsider, variant):
    client.force_login(moderator)
    assert vary(client, variant, {"strength": "0.5", "count": "1"}).status_code == 403
    client.force_login(outsider)
    assert vary(client, variant, {"strength": "0.5", "count": "1"}).status_code == 404
    assert client.get(reverse("campaigns:variant_vary", args=[variant.pk])).status_code == 405
    assert not GenerationJob.objects.filter(source_variant=variant).exists()


def test_typed_values_come_back_escaped(client, designer, variant):
    client.force_login(designer)
    response = vary(client, variant, {"strength": '"><script>x</script>', "count": "1"})
    assert "<script>x</script>" not in response.text
    assert "&quot;&gt;&lt;script&gt;" in response.text
