"""What a campaign does when a creative wears out in a segment (Campaign.fatigue_action).

Run daily by Celery beat (tasks.apply_fatigue_actions) over the daily stats: for each
(creative, segment) whose fatigue test fires (campaigns.serving.selectors.learning.fatigue_list)
and has no open episode, open a FatigueEvent and act once:

- none: record it; the analytics page shows it.
- pause: the creative is no longer served in that segment (only there: fatigue is
  measured per segment, and it may still do well elsewhere) until a campaign manager
  resumes it from the analytics page.
- winners: one "more like the winners" generation round per run for the segments where
  creatives wore out, inspired by their best creatives other than the worn-out ones
  (those only when nothing else has enough impressions). Its variants are drafts that
  wait for review like every other round's: nothing is ever approved automatically.

Every episode is also announced as the domain event `creative.fatigued` (webhooks).

An episode closes when the test, with enough data on both sides, no longer fires. A
resumed creative's episode stays open while its data still says fatigued, so the next
run does not pause it again behind the manager's back. Runs are idempotent: the open
episode is unique per pair, and each campaign is handled under a row lock.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns import events
from campaigns.models import AudienceSegment, Campaign, FatigueEvent
from campaigns.services import generation
from campaigns.serving.selectors.learning import FatigueRow, fatigue_list
from campaigns.serving.services.feedback import inspiration_texts, winners_by_segment
from campaigns.serving.services.state import state_invalidate

ROUND_VARIANTS_PER_SEGMENT = 4
Action = FatigueEvent.Action


def fatigue_actions_run(*, today: datetime.date | None = None, enqueue: bool = True) -> int:
    """Every active campaign; returns how many episodes were opened."""
    opened = 0
    for pk in Campaign.objects.filter(status=Campaign.Status.ACTIVE).values_list("pk", flat=True):
        opened += len(fatigue_actions_apply(campaign_id=pk, today=today, enqueue=enqueue))
    return opened


def fatigue_actions_apply(
    *, campaign_id: int, today: datetime.date | None = None, enqueue: bool = True
) -> list[FatigueEvent]:
    """Open an episode, and act, for each newly fatigued pair; close the recovered ones."""
    today = today or timezone.now().date()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        open_events = {
            (e.variant_id, e.segment_id): e
            for e in FatigueEvent.objects.filter(campaign=campaign, closed_on__isnull=True)
        }
        fresh: list[FatigueRow] = []
        for row in fatigue_list(campaign=campaign):
            key = (row.variant_id, row.segment_id)
            if row.fatigued and key not in open_events:
                fresh.append(row)
            elif not row.fatigued and key in open_events:
                FatigueEvent.objects.filter(pk=open_events[key].pk).update(closed_on=today)
        created = [_open(campaign, row, today) for row in fresh]
        if created and campaign.fatigue_action == Action.WINNERS:
            _queue_round(campaign, created, enqueue=enqueue)
        if created and campaign.fatigue_action == Action.PAUSE:
            transaction.on_commit(lambda: state_invalidate(campaign_id=campaign.pk))
        for event in created:  # webhooks hear of it after commit (creative.fatigued)
            events.creative_fatigued(event)
    return created


def _open(campaign: Campaign, row: FatigueRow, today) -> FatigueEvent:
    action = campaign.fatigue_action
    outcomes = {
        Action.NONE: "Shown only: the campaign's fatigue action is “nothing”.",
        Action.PAUSE: f"Paused in {row.segment_name}.",
        Action.WINNERS: "A round was asked for.",  # replaced by _queue_round
    }
    return FatigueEvent.objects.create(
        campaign=campaign,
        variant_id=row.variant_id,
        segment_id=row.segment_id,
        detected_on=today,
        earlier_rate=row.earlier_rate,
        recent_rate=row.recent_rate,
        p_value=row.p_value,
        action=action,
        outcome=outcomes[action],
    )


def _queue_round(campaign: Campaign, events: list[FatigueEvent], *, enqueue: bool) -> None:
    worn = {e.variant_id for e in events}
    wanted = {e.segment_id for e in events}
    chosen: dict[AudienceSegment, list] = {}
    for segment, winners in winners_by_segment(campaign=campaign).items():
        if segment.pk in wanted:
            chosen[segment] = [v for v in winners if v.pk not in worn] or winners
    job, outcome = None, ""
    if not chosen:
        outcome = (
            "Nothing queued: no creative of these segments has enough impressions to learn from."
        )
    else:
        try:
            job = generation.job_start(
                campaign=campaign,
                segments=sorted(chosen, key=lambda s: s.pk),
                variants_per_segment=ROUND_VARIANTS_PER_SEGMENT,
                inspiration={
                    str(s.pk): [t for v in vs for t in inspiration_texts(v)]
                    for s, vs in chosen.items()
                },
                enqueue=enqueue,
            )
        except ValidationError as exc:
            outcome = "Nothing queued: " + " ".join(exc.messages)
    for event in events:
        if job is not None:
            names = ", ".join(f"#{v.pk}" for v in chosen.get(event.segment, []))
            outcome = f"Queued generation job #{job.pk} for review" + (
                f", inspired by {names}." if names else "; no winners in this segment."
            )
        event.job, event.outcome = job, outcome[:300]
        event.save(update_fields=["job", "outcome"])


def pause_resume(*, event: FatigueEvent, user) -> FatigueEvent:
    """A manager puts a paused creative back into its segment's rotation."""
    with transaction.atomic():
        event = FatigueEvent.objects.select_for_update().get(pk=event.pk)
        if not event.is_paused:
            raise ValidationError("This creative is not paused.")
        event.resumed_at, event.resumed_by = timezone.now(), user
        event.save(update_fields=["resumed_at", "resumed_by"])
        campaign_id = event.campaign_id
        transaction.on_commit(lambda: state_invalidate(campaign_id=campaign_id))
    return event
