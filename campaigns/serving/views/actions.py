"""Serving actions a campaign manager takes from the analytics page: resume a creative
that a fatigue action paused."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from campaigns.models import FatigueEvent
from campaigns.serving.services.fatigue_actions import pause_resume
from campaigns.views.access import campaign_for, needs


@login_required
@require_POST
# change_campaign and view_analytics together: campaign managers (designers lack the
# second, moderators the first).
@needs("change_campaign", "view_analytics")
def fatigue_resume(request, pk, event_pk):
    campaign = campaign_for(request, pk)
    event = get_object_or_404(FatigueEvent, campaign=campaign, pk=event_pk)
    try:
        pause_resume(event=event, user=request.user)
    except ValidationError as exc:
        messages.error(request, "Not resumed: " + " ".join(exc.messages))
    else:
        messages.success(
            request, f"Creative #{event.variant_id} is back in rotation in {event.segment}."
        )
    return redirect("campaigns:analytics", pk=campaign.pk)
