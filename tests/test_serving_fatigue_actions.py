"""Fatigue actions: what a campaign does when a creative wears out in a segment, run by
the periodic task over daily stats, once per fatigue episode."""

import datetime

import numpy as np
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from campaigns import events as domain_events
from campaigns import tasks
from campaigns.forms import CampaignForm
from campaigns.models import (
    Campaign,
    DailyStats,
    Decision,
    FatigueEvent,
    GenerationJob,
    Variant,
    VariantSegmentStats,
)
from campaigns.services import generation
from campaigns.serving.services.decisions import DecideRequest, decision_make
from campaigns.serving.services.fatigue_actions import fatigue_actions_apply, fatigue_actions_run
from campaigns.serving.services.placements import placement_authenticate
from tests.serving_helpers import TRAIL_USER, activate, make_placement, make_variants
from tests.test_forms import campaign_data

pytestmark = pytest.mark.django_db


def daily(variant, segment, rates, impressions=1000):
    """One DailyStats row per rate, the last on today; conversions at that rate (the
    fixture campaign's objective is conversions). Running totals to match."""
    today = timezone.now().date()
    for age, rate in enumerate(reversed(rates)):
        hits = int(rate * impressions)
        DailyStats.objects.create(
            day=today - datetime.timedelta(days=age),
            variant=variant,
            segment=segment,
            impressions=impressions,
            clicks=hits,
            conversions=hits,
        )
    VariantSegmentStats.objects.update_or_create(
        variant=variant,
        segment=segment,
        defaults={
            "impressions": impressions * len(rates),
            "clicks": sum(int(r * impressions) for r in rates),
            "conversions": sum(int(r * impressions) for r in rates),
        },
    )


WORN = [0.05] * 7 + [0.01] * 3  # fell from 5 % to 1 % in the last three days
STEADY = [0.04] * 10


@pytest.fixture
def worn(campaign, segments, settings):
    settings.STUDIO_SERVING = {
        **settings.STUDIO_SERVING,
        "posterior_refresh_seconds": 0,
        "holdout_share": 0.0,
    }
    activate(campaign, segments)
    variants = make_variants(campaign, segments[0], 3)
    daily(variants[0], segments[0], WORN)
    daily(variants[1], segments[0], STEADY)
    daily(variants[2], segments[0], STEADY[:2], impressions=40)  # too little to judge
    return variants


def set_action(campaign, action):
    Campaign.objects.filter(pk=campaign.pk).update(fatigue_action=action)


def served_ids(campaign, n=60, seed=0):
    """(creatives chosen, creatives the policy chose among) over n decisions."""
    placement = placement_authenticate(raw_key=make_placement(campaign, name=f"p{seed}")[1])
    rng = np.random.default_rng(seed)
    chosen, candidates = set(), set()
    for _ in range(n):
        request = DecideRequest(features=TRAIL_USER, consent=False)
        result = decision_make(placement=placement, request=request, rng=rng)
        chosen.add(result.variant_id)
        candidates.update(Decision.objects.get(token_id=result.decision_id).candidate_ids)
    return chosen, candidates


def test_none_records_the_episode_once_and_acts_on_nothing(
    campaign, segments, worn, django_capture_on_commit_callbacks
):
    heard = []
    domain_events.subscribe(heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            events = fatigue_actions_apply(campaign_id=campaign.pk)
            fatigue_actions_apply(campaign_id=campaign.pk)
    finally:
        domain_events._subscribers.remove(heard.append)
    assert [e.type for e in heard] == ["creative.fatigued"]
    assert heard[0].data["variant_id"] == worn[0].pk and heard[0].data["action"] == "none"
    assert [(e.variant, e.segment, e.action) for e in events] == [(worn[0], segments[0], "none")]
    assert events[0].earlier_rate == pytest.approx(0.05)
    assert events[0].recent_rate == pytest.approx(0.01)
    assert not events[0].is_paused and "Shown only" in events[0].outcome
    assert fatigue_actions_apply(campaign_id=campaign.pk) == []
    assert FatigueEvent.objects.count() == 1


def test_pause_stops_serving_the_creative_in_its_segment_until_resumed(
    client, campaign, segments, worn, make_user, django_capture_on_commit_callbacks
):
    set_action(campaign, "pause")
    assert worn[0].pk in served_ids(campaign, seed=1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        (event,) = fatigue_actions_apply(campaign_id=campaign.pk)
    assert event.is_paused and event.outcome == "Paused in Trail runners."
    chosen, candidates = served_ids(campaign, n=200, seed=2)
    assert candidates == {worn[1].pk, worn[2].pk} and chosen <= candidates
    # Running again (the next beat) neither pauses twice nor lifts the pause.
    with django_capture_on_commit_callbacks(execute=True):
        assert fatigue_actions_run() == 0
    assert worn[0].pk not in served_ids(campaign, n=100, seed=3)[1]

    manager = make_user("mia", role="Campaign manager", brand=campaign.brand)
    client.force_login(manager)
    analytics = reverse("campaigns:analytics", args=[campaign.pk])
    html = client.get(analytics).content.decode()
    assert "paused" in html and "Resume" in html
    url = reverse("campaigns:fatigue_resume", args=[campaign.pk, event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == analytics
    assert f"Creative #{worn[0].pk} is back in rotation" in response.content.decode()
    event.refresh_from_db()
    assert not event.is_paused and event.resumed_by == manager
    assert worn[0].pk in served_ids(campaign, n=20, seed=4)[1]
    # Its data still says worn out, but the manager's resume holds: no new pause.
    assert fatigue_actions_apply(campaign_id=campaign.pk) == []
    # Resuming twice is refused, and changes nothing.
    response = client.post(url, follow=True)
    assert "Not resumed: This creative is not paused." in response.content.decode()
    assert FatigueEvent.objects.get().resumed_by == manager


def test_an_episode_closes_when_the_creative_recovers(campaign, segments, worn):
    (event,) = fatigue_actions_apply(campaign_id=campaign.pk)
    # Three more good days: the last three days now hold up against the days before.
    DailyStats.objects.filter(variant=worn[0]).delete()
    daily(worn[0], segments[0], WORN + [0.05] * 3)
    assert fatigue_actions_apply(campaign_id=campaign.pk) == []
    event.refresh_from_db()
    assert event.closed_on == timezone.now().date()


def test_winners_round_is_queued_once_inspired_by_winners_and_never_approved(
    campaign, segments, worn
):
    set_action(campaign, "winners")
    (event,) = fatigue_actions_apply(campaign_id=campaign.pk, enqueue=False)
    job = event.job
    assert job is not None and list(job.segments.all()) == [segments[0]]
    assert job.created_by is None and job.status == GenerationJob.Status.QUEUED
    inspiration = job.inspiration[str(segments[0].pk)]
    # The best creatives other than the worn-out one: the steady one (the third has too
    # few impressions to judge).
    assert inspiration[0] == f"{worn[1].headline}. {worn[1].body} {worn[1].cta}"
    assert worn[1].image_prompt in inspiration
    assert not any(worn[0].headline in text for text in inspiration)
    assert f"Queued generation job #{job.pk} for review, inspired by #{worn[1].pk}." == (
        event.outcome
    )
    # Later runs find the open episode: no second round.
    assert fatigue_actions_apply(campaign_id=campaign.pk, enqueue=False) == []
    assert GenerationJob.objects.exclude(pk__in={v.job_id for v in worn}).count() == 1
    job = generation.job_run_sync(job_id=job.pk)
    assert job.status == GenerationJob.Status.SUCCEEDED
    new = list(job.variants.all())
    assert len(new) == 4
    assert all(v.status != Variant.Status.APPROVED for v in new)


def test_winners_without_enough_impressions_queue_nothing_and_say_so(campaign, segments):
    activate(campaign, segments)
    (variant,) = make_variants(campaign, segments[0], 1)
    daily(variant, segments[0], WORN, impressions=90)  # 900 in all; fatigue needs 200+200
    VariantSegmentStats.objects.filter(variant=variant).update(impressions=99)
    set_action(campaign, "winners")
    (event,) = fatigue_actions_apply(campaign_id=campaign.pk, enqueue=False)
    assert event.job is None and event.outcome.startswith("Nothing queued")


def test_the_periodic_task_is_scheduled_and_covers_active_campaigns_only(campaign, segments, worn):
    schedule = settings.CELERY_BEAT_SCHEDULE["apply-fatigue-actions"]
    assert schedule["task"] == "campaigns.tasks.apply_fatigue_actions"
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.PAUSED)
    assert tasks.apply_fatigue_actions() == 0
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.ACTIVE)
    assert tasks.apply_fatigue_actions() == 1


@pytest.fixture
def paused_event(campaign, segments, worn):
    set_action(campaign, "pause")
    return fatigue_actions_apply(campaign_id=campaign.pk)[0]


def test_resume_needs_a_campaign_manager_of_the_brand(
    client, campaign, segments, paused_event, make_user
):
    url = reverse("campaigns:fatigue_resume", args=[campaign.pk, paused_event.pk])
    other = type(campaign.brand).objects.create(name="Other brand", voice="x", palette=[])
    for user, status in [
        (make_user("des", role="Designer", brand=campaign.brand), 403),
        (make_user("mod", role="Moderator", brand=campaign.brand), 403),
        (make_user("out", role="Campaign manager", brand=other), 404),
    ]:
        client.force_login(user)
        assert client.post(url).status_code == status
    client.logout()
    assert client.post(url).status_code == 302  # to the login page
    manager = make_user("cmm", role="Campaign manager", brand=campaign.brand)
    client.force_login(manager)
    assert client.get(url).status_code == 405
    assert FatigueEvent.objects.get().is_paused


def test_forged_ids_are_a_404_and_change_nothing(
    client, campaign, segments, paused_event, make_user
):
    other_campaign = Campaign.objects.create(
        brand=campaign.brand, name="Autumn", product_name="Aero", objective="traffic"
    )
    manager = make_user("cmm", role="Campaign manager", brand=campaign.brand)
    client.force_login(manager)
    for args in [(other_campaign.pk, paused_event.pk), (campaign.pk, paused_event.pk + 999)]:
        assert client.post(reverse("campaigns:fatigue_resume", args=args)).status_code == 404
    assert FatigueEvent.objects.get().is_paused


def test_campaign_form_sets_the_action_for_managers_only(client, campaign, make_user):
    data = {**campaign_data(campaign.brand), "name": campaign.name, "fatigue_action": "pause"}
    form = CampaignForm(data, instance=campaign, can_manage_serving=True)
    assert form.is_valid(), form.errors
    assert form.save().fatigue_action == "pause"
    bad = CampaignForm(
        {**data, "fatigue_action": "explode"}, instance=campaign, can_manage_serving=True
    )
    assert not bad.is_valid() and "fatigue_action" in bad.errors
    # A designer's form shows the setting but ignores a posted value.
    designer = CampaignForm({**data, "fatigue_action": "winners"}, instance=campaign)
    assert designer.is_valid(), designer.errors
    assert designer.save().fatigue_action == "pause"
    # Left out (older clients, the REST API): the setting stays.
    omitted = {k: v for k, v in data.items() if k != "fatigue_action"}
    form = CampaignForm(omitted, instance=campaign, can_manage_serving=True)
    assert form.is_valid(), form.errors
    assert form.save().fatigue_action == "pause"


def test_campaign_edit_page_posts_the_action(client, campaign, make_user):
    url = reverse("campaigns:campaign_edit", args=[campaign.pk])
    data = {**campaign_data(campaign.brand), "name": campaign.name}
    manager = make_user("cmm", role="Campaign manager", brand=campaign.brand)
    client.force_login(manager)
    response = client.post(url, {**data, "fatigue_action": "bogus"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).fatigue_action == "none"
    assert client.post(url, {**data, "fatigue_action": "winners"}).status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).fatigue_action == "winners"
    designer = make_user("des", role="Designer", brand=campaign.brand)
    client.force_login(designer)
    assert client.post(url, {**data, "fatigue_action": "pause"}).status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).fatigue_action == "winners"
