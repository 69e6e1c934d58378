"""Campaigns: list with status filter and search, detail, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from campaigns.forms import CampaignForm
from campaigns.models import Campaign
from campaigns.selectors import brands_for_user, campaigns_for_user
from campaigns.selectors_jobs import campaign_held_count, jobs_with_held_counts
from campaigns.views.access import campaign_for, needs

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
    form = CampaignForm(request.POST or None, request.FILES or None, brands=brands)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.created_by = request.user
        campaign.save()
        form.save_m2m()
        messages.success(request, f"Campaign “{campaign}” created. Add audience segments next.")
        return redirect("campaigns:campaign_detail", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form})


@login_required
@needs("change_campaign")
def campaign_edit(request, pk):
    campaign = campaign_for(request, pk)
    brands = brands_for_user(request.user)
    form = CampaignForm(
        request.POST or None, request.FILES or None, instance=campaign, brands=brands
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Campaign “{campaign}” saved.")
        return redirect("campaigns:campaign_detail", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})
