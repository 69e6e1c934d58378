"""Campaigns: list with status filter and search, detail, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from campaigns.forms import CampaignForm
from campaigns.models import Campaign
from campaigns.selectors import brands_for_user, campaigns_for_user
from campaigns.selectors_jobs import campaign_held_count, jobs_with_held_counts
from campaigns.services import cutouts
from campaigns.views.access import campaign_for, needs
from studio.engine.types import EngineError

SEARCH_MAX = 100


@login_required
@needs("view_campaign")
def campaign_list(request):
    campaigns = campaigns_for_user(request.user).select_related("brand")
    status = request.GET.get("status", "")
    if status in Campaign.Status.values:
        campaigns = campaigns.filter(status=status)
    elif status != "all":  # archived campaigns show only when asked for
        status = ""
        campaigns = campaigns.exclude(status=Campaign.Status.ARCHIVED)
    query = request.GET.get("q", "").strip()[:SEARCH_MAX]
    if query:
        campaigns = campaigns.filter(
            Q(name__icontains=query)
            | Q(product_name__icontains=query)
            | Q(brand__name__icontains=query)
        )
    campaigns = campaigns.annotate(variant_count=Count("variants")).order_by("-created_at")
    context = {
        "campaigns": campaigns,
        "statuses": Campaign.Status.choices,
        "status": status,
        "q": query,
    }
    return render(request, "campaigns/campaign_list.html", context)


@login_required
@needs("view_campaign")
def campaign_detail(request, pk):
    campaign = campaign_for(request, pk)
    counts = dict(
        campaign.variants.values_list("status").annotate(n=Count("pk")).order_by("status")
    )
    jobs = campaign.jobs.select_related("created_by", "source_variant")
    context = {
        "campaign": campaign,
        "segments": campaign.segments.all(),
        "formats": campaign.formats.all(),
        "jobs": jobs_with_held_counts(jobs)[:10],
        "counts": counts,
        "held": campaign_held_count(campaign=campaign),
        "total": sum(counts.values()),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
@needs("add_campaign")
def campaign_create(request):
    brands = brands_for_user(request.user)
    form = CampaignForm(
        request.POST or None,
        request.FILES or None,
        brands=brands,
        can_manage_serving=_manages_serving(request.user),
    )
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.created_by = request.user
        campaign.save()
        form.save_m2m()
        _cutout_refresh(request, campaign)
        messages.success(request, f"Campaign “{campaign}” created. Add audience segments next.")
        return redirect("campaigns:campaign_detail", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form})


@login_required
@needs("change_campaign")
def campaign_edit(request, pk):
    campaign = campaign_for(request, pk)
    brands = brands_for_user(request.user)
    form = CampaignForm(
        request.POST or None,
        request.FILES or None,
        instance=campaign,
        brands=brands,
        can_manage_serving=_manages_serving(request.user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        if "product_image" in form.changed_data:
            _cutout_refresh(request, campaign)
        messages.success(request, f"Campaign “{campaign}” saved.")
        return redirect("campaigns:campaign_detail", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


def _manages_serving(user) -> bool:
    """Campaign managers: change_campaign and view_analytics (designers lack the second)."""
    return user.has_perms(["campaigns.change_campaign", "campaigns.view_analytics"])


def _cutout_refresh(request, campaign: Campaign) -> None:
    try:
        cutouts.campaign_cutout_make(campaign=campaign)
    except EngineError as exc:
        messages.error(request, f"The product could not be cut out: {exc}")


@login_required
@needs("change_campaign")
@require_POST
def campaign_cutout(request, pk):
    """Replace the product cut-out with the designer's own PNG (transparent background)."""
    campaign = campaign_for(request, pk)
    upload = request.FILES.get("cutout")
    if upload is None:
        messages.error(request, "Choose a PNG file with a transparent background.")
    else:
        try:
            cutouts.campaign_cutout_replace(campaign=campaign, upload=upload)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Cut-out replaced: the next renders use it.")
    return redirect("campaigns:campaign_detail", campaign.pk)
