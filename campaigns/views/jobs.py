"""Start a generation round and watch it: a progress partial htmx polls until done."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseStopPolling

from campaigns.forms_studio import GenerateForm
from campaigns.selectors_jobs import job_with_held_counts
from campaigns.services import generation
from campaigns.views.access import campaign_for, job_for, needs


@login_required
@needs("add_generationjob")
def generate(request, pk):
    campaign = campaign_for(request, pk)
    form = GenerateForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            job = generation.job_start(campaign=campaign, user=request.user, **form.job_kwargs())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if request.htmx:
                return render(request, "campaigns/partials/_job_progress.html", {"job": job})
            return redirect("campaigns:job_detail", job.pk)
    template = (
        "campaigns/partials/_generate_form.html" if request.htmx else "campaigns/generate.html"
    )
    return render(request, template, {"form": form, "campaign": campaign})


@login_required
@needs("view_generationjob")
def job_detail(request, pk):
    job = job_with_held_counts(job=job_for(request, pk))
    return render(request, "campaigns/job_detail.html", {"job": job, "campaign": job.campaign})


@login_required
@needs("view_generationjob")
def job_progress(request, pk):
    job = job_with_held_counts(job=job_for(request, pk))
    response = render(request, "campaigns/partials/_job_progress.html", {"job": job})
    if request.htmx and job.is_finished:
        # 286 tells htmx to stop polling; the finished bar is still swapped in.
        response.status_code = HttpResponseStopPolling.status_code
    return response
