"""Delete in the studio: campaign managers delete campaigns and segments after a
confirmation that says what goes with it; a campaign that has served is archived
instead (hidden from the default list); designers and moderators cannot; another brand's
objects are a 404."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from campaigns.models import (
    AudienceSegment,
    Campaign,
    Decision,
    Export,
    GenerationJob,
    ModerationCase,
    Rendition,
    Variant,
)
from campaigns.services.deletion import DeletionRefused, campaign_delete, segment_delete
from tests.serving_helpers import make_placement

pytestmark = pytest.mark.django_db


def campaign_delete_url(campaign):
    return reverse("campaigns:campaign_delete", args=[campaign.pk])


def segment_delete_url(segment):
    return reverse("campaigns:segment_delete", args=[segment.campaign_id, segment.pk])


def serve_one(campaign, variant):
    placement, _ = make_placement(campaign)
    Decision.objects.create(
        token_id=uuid.uuid4(), placement=placement, variant=variant,
        segment=variant.segment, user_hash="0" * 64,
    )  # fmt: skip


def test_confirmation_says_what_goes_and_delete_removes_rows_and_files(
    client, manager, campaign, segments, variants, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    Export.objects.create(campaign=campaign, status=Export.Status.SUCCEEDED)
    files = [Path(r.image.path) for r in Rendition.objects.filter(variant__campaign=campaign)]
    assert files and all(f.exists() for f in files)
    page = client.get(campaign_delete_url(campaign))
    assert page.status_code == 200
    text = page.text
    assert f"Delete campaign “{campaign.name}”?" in text
    assert "<strong>2</strong> audience segments" in text
    assert "<strong>4</strong> variants" in text
    assert f"<strong>{len(files)}</strong> renditions (image files)" in text
    assert "<strong>1</strong> generation rounds" in text
    assert "<strong>1</strong> exports (ZIP files)" in text
    assert Campaign.objects.filter(pk=campaign.pk).exists()  # a GET deletes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(campaign_delete_url(campaign))
    assert response.status_code == 302 and response["Location"] == reverse(
        "campaigns:campaign_list"
    )
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert not Variant.objects.exists() and not GenerationJob.objects.exists()
    assert not any(f.exists() for f in files)
    assert "deleted" in client.get(reverse("campaigns:campaign_list")).text


def test_a_campaign_that_has_served_is_archived_and_hidden_from_the_list(
    client, manager, campaign, segments, variants
):
    client.force_login(manager)
    serve_one(campaign, variants[0])
    page = client.get(campaign_delete_url(campaign))
    assert f"Archive campaign “{campaign.name}”?" in page.text
    assert "It has served 1 decision: it is archived instead" in page.text
    client.post(campaign_delete_url(campaign))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.ARCHIVED
    assert Variant.objects.filter(campaign=campaign).count() == 4  # nothing lost
    listing = reverse("campaigns:campaign_list")

    def listed(**query):
        return campaign in client.get(listing, query).context["campaigns"]

    assert not listed() and not listed(status="active")
    assert listed(status="archived") and listed(status="all")


def test_moderation_history_is_kept_by_archiving(campaign, segments, variants):
    ModerationCase.objects.create(variant=variants[0], reasons=[{"code": "banned_term"}])
    assert campaign_delete(campaign=campaign) == "archived"


def test_a_running_round_blocks_deletion(client, manager, campaign, segments, variants):
    GenerationJob.objects.filter(campaign=campaign).update(status=GenerationJob.Status.RUNNING)
    with pytest.raises(DeletionRefused, match="still running"):
        campaign_delete(campaign=campaign)
    client.force_login(manager)
    page = client.get(campaign_delete_url(campaign))
    assert "cannot be deleted" in page.text and 'class="danger"' not in page.text


def test_segment_delete_confirms_and_deletes_its_variants(
    client, manager, campaign, segments, variants
):
    client.force_login(manager)
    segment = segments[0]
    page = client.get(segment_delete_url(segment))
    assert f"Delete segment “{segment.name}”?" in page.text
    assert "<strong>2</strong> variants" in page.text
    response = client.post(segment_delete_url(segment))
    assert response["Location"] == reverse("campaigns:campaign_detail", args=[campaign.pk])
    assert not AudienceSegment.objects.filter(pk=segment.pk).exists()
    assert Variant.objects.filter(campaign=campaign).count() == 2  # the other segment's


def test_a_segment_that_has_served_is_not_deleted(client, manager, campaign, segments, variants):
    serve_one(campaign, variants[0])
    with pytest.raises(DeletionRefused, match="served 1 decision"):
        segment_delete(segment=variants[0].segment)
    client.force_login(manager)
    client.post(segment_delete_url(variants[0].segment))
    assert AudienceSegment.objects.filter(pk=variants[0].segment_id).exists()


@pytest.mark.parametrize("role", ["designer", "moderator"])
def test_designers_and_moderators_cannot_delete(request, client, campaign, segments, role):
    client.force_login(request.getfixturevalue(role))
    for url in (campaign_delete_url(campaign), segment_delete_url(segments[0])):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert Campaign.objects.filter(pk=campaign.pk).exists()
    assert AudienceSegment.objects.filter(pk=segments[0].pk).exists()
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])).text
    assert campaign_delete_url(campaign) not in page


def test_another_brands_manager_gets_404(client, outsider, campaign, segments):
    client.force_login(outsider)
    for url in (campaign_delete_url(campaign), segment_delete_url(segments[0])):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert Campaign.objects.filter(pk=campaign.pk).exists()


def test_managers_see_the_delete_links(client, manager, campaign, segments):
    client.force_login(manager)
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])).text
    assert campaign_delete_url(campaign) in page
    assert segment_delete_url(segments[0]) in page


def test_anonymous_is_sent_to_login(client, campaign):
    response = client.post(campaign_delete_url(campaign))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert Campaign.objects.filter(pk=campaign.pk).exists()
