"""Audience segments with a rule builder; the preview reads the rules back in words."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from campaigns.forms_studio import SegmentRuleForm
from campaigns.models import AudienceSegment
from campaigns.rules import parse_rules
from campaigns.views.access import campaign_for, needs


def _segment_form(request, campaign, segment=None):
    form = SegmentRuleForm(request.POST or None, instance=segment, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(
            request, f"Segment “{saved}” saved: {parse_rules(saved.rules).describe()}."
        )
        return redirect("campaigns:campaign_detail", campaign.pk)
    context = {"form": form, "campaign": campaign, "segment": segment}
    return render(request, "campaigns/segment_form.html", context)


@login_required
@needs("add_audiencesegment")
def segment_create(request, campaign_pk):
    return _segment_form(request, campaign_for(request, campaign_pk))


@login_required
@needs("change_audiencesegment")
def segment_edit(request, campaign_pk, pk):
    campaign = campaign_for(request, campaign_pk)
    segment = get_object_or_404(AudienceSegment, campaign=campaign, pk=pk)
    return _segment_form(request, campaign, segment)


@login_required
@needs("view_audiencesegment")
@require_POST
def rules_preview(request, campaign_pk):
    """htmx: validate the builder's rules as the user types, and say who they target."""
    campaign = campaign_for(request, campaign_pk)
    form = SegmentRuleForm(request.POST, campaign=campaign)
    form.is_valid()
    rule_fields = ("age_min", "age_max", "interests", "locales", "countries", "devices")
    errors = [e for f in (*rule_fields, "__all__") for e in form.errors.get(f, [])]
    described = None if errors else parse_rules(getattr(form, "rules", {})).describe()
    return render(
        request,
        "campaigns/partials/_rules_preview.html",
        {"errors": errors, "described": described},
    )
