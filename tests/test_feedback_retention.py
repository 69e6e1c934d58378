"""The feedback loop ("generate more like the winners") and event retention."""

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaigns import tasks
from campaigns.models import Decision, Event, GenerationJob, Placement, VariantSegmentStats
from campaigns.services import generation, reviews
from campaigns.serving.services import feedback
from campaigns.serving.services.decisions import DecideRequest, decision_make
from campaigns.serving.services.placements import placement_authenticate
from campaigns.serving.services.tokens import TrackingToken, token_sign
from campaigns.serving.services.tracking import event_record
from tests.helpers import run_round
from tests.serving_helpers import TRAIL_USER, activate, make_placement, make_variants

pytestmark = pytest.mark.django_db


def traffic(info, variant, segment, impressions, clicks):
    for i in range(impressions):
        token = token_sign(TrackingToken(uuid.uuid4(), info.id, variant.pk, segment.pk))
        event_record(placement=info, token=token, type="impression")
        if i < clicks:
            event_record(placement=info, token=token, type="click")


@pytest.fixture
def generated(campaign, segments, user):
    """A real generation round (offline engine), approved, with traffic on it."""
    activate(campaign, segments)
    job = run_round(campaign, segments[:1], n=3, seed=5)
    variants = list(job.variants.order_by("index"))
    for v in variants:
        reviews.variant_approve(variant=v, user=user)
    _, key = make_placement(campaign)
    info = placement_authenticate(raw_key=key)
    traffic(info, variants[0], segments[0], 120, 2)
    traffic(info, variants[1], segments[0], 150, 18)  # the winner
    traffic(info, variants[2], segments[0], 40, 10)  # too few impressions to judge
    return variants


def test_winners_are_ranked_by_posterior_mean_among_judged_variants(campaign, generated):
    winners = feedback.winners_by_segment(campaign=campaign, min_impressions=100)
    (segment,) = winners
    assert [v.pk for v in winners[segment]] == [generated[1].pk, generated[0].pk]


def test_more_like_the_winners_starts_an_inspired_job(campaign, segments, generated):
    job = feedback.winners_generate(
        campaign=campaign, variants_per_segment=2, min_impressions=100, enqueue=False
    )
    best = generated[1]
    inspiration = job.inspiration[str(segments[0].pk)]
    assert inspiration[0] == f"{best.headline}. {best.body} {best.cta}"
    assert best.image_prompt in inspiration
    assert list(job.segments.all()) == [segments[0]]
    job = generation.job_run_sync(job_id=job.pk)
    assert job.status == GenerationJob.Status.SUCCEEDED
    new = list(job.variants.all())
    assert len(new) == 2 and all(v.lineage["copy"].get("inspired") for v in new)


def test_no_winners_is_a_clear_error(campaign, segments):
    activate(campaign, segments)
    with pytest.raises(ValidationError, match="no winners"):
        feedback.winners_generate(campaign=campaign, enqueue=False)


def test_winners_button_needs_its_permission(client, user, campaign, generated):
    campaign.brand.members.add(user)
    user.user_permissions.add(Permission.objects.get(codename="view_analytics"))
    client.force_login(user)
    url = reverse("campaigns:analytics_winners", args=[campaign.pk])
    form = {"variants_per_segment": 2, "min_impressions": 100}
    assert client.post(url, form).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="add_generationjob"))
    client.force_login(user)
    jobs_before = GenerationJob.objects.count()
    response = client.post(url, {**form, "min_impressions": 10_000}, follow=True)
    assert "no winners" in response.content.decode()
    assert client.post(url, {"variants_per_segment": 999}, follow=True).status_code == 200
    assert GenerationJob.objects.count() == jobs_before
    response = client.post(url, form)
    assert response.status_code == 302
    job = GenerationJob.objects.latest("pk")
    assert job.inspiration and job.created_by == user


def test_purge_removes_old_events_and_decisions_but_keeps_totals(campaign, segments):
    activate(campaign, segments)
    make_variants(campaign, segments[0], 2)
    _, key = make_placement(campaign)
    info = placement_authenticate(raw_key=key)
    for _ in range(3):
        result = decision_make(
            placement=info, request=DecideRequest(TRAIL_USER, consent=True, user_id="u")
        )
        event_record(placement=info, token=result.tracking_token, type="impression")
    old = timezone.now() - dt.timedelta(days=settings.STUDIO_EVENT_RETENTION_DAYS + 1)
    Event.objects.filter(pk__in=Event.objects.all()[:2].values("pk")).update(created_at=old)
    Decision.objects.filter(pk=Decision.objects.first().pk).update(created_at=old)
    call_command("purge_events")
    assert Event.objects.count() == 1 and Decision.objects.count() == 2
    assert sum(VariantSegmentStats.objects.values_list("impressions", flat=True)) == 3
    assert tasks.purge_events() == 0  # the beat task runs the same purge
    call_command("purge_events", "--days", "0")
    assert Event.objects.count() == 0 and Decision.objects.count() == 0


def test_retention_is_scheduled_with_celery_beat():
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-old-events"]
    assert schedule["task"] == "campaigns.tasks.purge_events"
    assert schedule["task"] in tasks.purge_events.app.tasks


def test_create_placement_prints_the_key_once(campaign, capsys):
    call_command("create_placement", str(campaign.pk), "app-feed", "--format", "square-1080")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    info = placement_authenticate(raw_key=key)
    assert info is not None and info.name == "app-feed"
    assert key not in str(list(Placement.objects.values()))
