"""{% job_worker_notice job %}: says "no worker is taking jobs" under a job that waits
with no live worker. Worker health is read once per page, however many jobs it shows."""

from django import template

from campaigns.selectors_workers import job_worker_notice, worker_health

register = template.Library()


@register.inclusion_tag("campaigns/partials/_job_worker_notice.html", takes_context=True)
def job_worker_health(context, job):
    if job.is_finished:
        return {"notice": ""}
    # Kept on the request: each included fragment renders in a context of its own.
    request = context.get("request")
    health = getattr(request, "_studio_worker_health", None)
    if health is None:
        health = worker_health()
        if request is not None:
            request._studio_worker_health = health
    return {"notice": job_worker_notice(job=job, health=health)}
