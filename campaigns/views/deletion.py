"""Delete (or archive) a campaign or a segment, after a confirmation page that says what
goes with it. Campaign managers only; another brand's objects are a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from campaigns.models import AudienceSegment
from campaigns.selectors_deletion import campaign_deletion_impact, segment_deletion_impact
from campaigns.services.deletion import DeletionRefused, campaign_delete, segment_delete
from campaigns.views.access import campaign_for, needs


def _confirm(request, *, kind, obj, impact, cancel_url):
    context = {"kind": kind, "obj": obj, "impact": impact, "cancel_url": cancel_url}
    return render(request, "campaigns/confirm_delete.html", context)


@login_required
@needs("delete_campaign")
def campaign_delete_view(request, pk):
    campaign = campaign_for(request, pk)
    if request.method != "POST":
        impact = campaign_deletion_impact(campaign=campaign)
        return _confirm(
            request,
            kind="campaign",
            obj=campaign,
            impact=impact,
            cancel_url=reverse("campaigns:campaign_detail", args=[campaign.pk]),
        )
    try:
        outcome = campaign_delete(campaign=campaign)
    except DeletionRefused as exc:
        messages.error(request, f"Campaign “{campaign}” was not deleted: {exc}")
        return redirect("campaigns:campaign_detail", campaign.pk)
    if outcome == "archived":
        messages.success(request, f"Campaign “{campaign}” archived (it has served ads).")
    else:
        messages.success(request, f"Campaign “{campaign}” deleted.")
    return redirect("campaigns:campaign_list")


@login_required
@needs("delete_audiencesegment")
def segment_delete_view(request, campaign_pk, pk):
    campaign = campaign_for(request, campaign_pk)
    segment = get_object_or_404(AudienceSegment, campaign=campaign, pk=pk)
    if request.method != "POST":
        impact = segment_deletion_impact(segment=segment)
        return _confirm(
            request,
            kind="segment",
            obj=segment,
            impact=impact,
            cancel_url=reverse("campaigns:campaign_detail", args=[campaign.pk]),
        )
    try:
        segment_delete(segment=segment)
    except DeletionRefused as exc:
        messages.error(request, f"Segment “{segment}” was not deleted: {exc}")
    else:
        messages.success(request, f"Segment “{segment}” deleted.")
    return redirect("campaigns:campaign_detail", campaign.pk)
