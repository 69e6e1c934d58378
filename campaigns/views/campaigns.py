from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django_htmx.http import HttpResponseStopPolling

from campaigns.models import Campaign, GenerationJob


@login_required
@permission_required("campaigns.view_campaign", raise_exception=True)
def campaign_list(request):
    campaigns = Campaign.objects.select_related("brand").order_by("-created_at")
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


@login_required
@permission_required("campaigns.view_campaign", raise_exception=True)
def campaign_detail(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("brand"), pk=pk)
    variants = campaign.variants.select_related("segment").prefetch_related("renditions")
    return render(
        request,
        "campaigns/campaign_detail.html",
        {"campaign": campaign, "jobs": campaign.jobs.all()[:10], "variants": variants},
    )


@login_required
@permission_required("campaigns.view_generationjob", raise_exception=True)
def job_progress(request, pk):
    job = get_object_or_404(GenerationJob, pk=pk)
    response = render(request, "campaigns/partials/_job_progress.html", {"job": job})
    if request.htmx and job.is_finished:
        response.status_code = HttpResponseStopPolling.status_code
    return response
