"""Campaign analytics: the page, its CSV, the spend form and "more like the winners"."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from campaigns.forms import SpendForm, WinnersForm
from campaigns.selectors import campaigns_for_user
from campaigns.serving.selectors import analytics
from campaigns.serving.selectors import delivery as selectors_delivery
from campaigns.serving.selectors import learning as selectors_learning
from campaigns.serving.services import feedback
from campaigns.serving.services.evaluation import policy_evaluate
from campaigns.serving.services.spend import campaign_spend_set
from campaigns.serving.views import charts
from studio.engine import csv_safe

TOP_SEGMENTS = 6
TOP_VARIANTS = 5


def _campaign(request, pk):
    return get_object_or_404(campaigns_for_user(request.user).select_related("brand"), pk=pk)


@login_required
@permission_required("campaigns.view_analytics", raise_exception=True)
def campaign_analytics(request, pk):
    campaign = _campaign(request, pk)
    report = analytics.campaign_report(campaign=campaign)
    context = {
        "campaign": campaign,
        "report": report,
        "ctr_chart": _ctr_chart(campaign, report),
        "posterior_charts": _posterior_charts(report),
        "spend_form": SpendForm(instance=campaign),
        "winners_form": WinnersForm(),
        "lift": selectors_learning.holdout_lift(campaign=campaign),
        "fatigue": selectors_learning.fatigue_list(campaign=campaign)[:20],
        "logged": selectors_learning.decisions_logged(campaign=campaign),
        "diversity": selectors_learning.served_diversity(campaign=campaign)[:30],
        "half_life": settings.STUDIO_SERVING["half_life_days"],
        "delivery": selectors_delivery.delivery_report(campaign=campaign),
        "fatigue_events": selectors_delivery.fatigue_events(campaign=campaign),
    }
    return render(request, "analytics/campaign_analytics.html", context)


EVALUATION_DECISIONS = 20_000  # newest decisions the page evaluates (the command: any)


@login_required
@permission_required("campaigns.view_analytics", raise_exception=True)
def policy_evaluation(request, pk):
    campaign = _campaign(request, pk)
    result = policy_evaluate(campaign=campaign, limit=EVALUATION_DECISIONS)
    by_metric: dict[str, list] = {}
    for row in result.rows:
        by_metric.setdefault(row.metric, []).append(row)
    context = {"campaign": campaign, "result": result, "by_metric": by_metric}
    return render(request, "analytics/policy_evaluation.html", context)


def _ctr_chart(campaign, report):
    top = report.by_segment[:TOP_SEGMENTS]
    daily = analytics.daily_ctr(campaign=campaign, segment_ids=[r.segment_id for r in top])
    names = analytics.segment_names(report)
    return charts.ctr_over_time(
        "CTR over time, by segment", {names[sid]: rows for sid, rows in daily.items()}
    )


def _posterior_charts(report):
    result = []
    for segment in report.by_segment[:TOP_SEGMENTS]:
        pairs = [p for p in report.pairs if p.segment_id == segment.segment_id]
        pairs.sort(key=lambda p: -p.impressions)
        posteriors = {p.label[:40]: p.posterior for p in pairs[:TOP_VARIANTS]}
        chart = charts.posterior_densities(f"Posterior CTR: {segment.label}", posteriors)
        if chart:
            result.append(chart)
    return result


CSV_COLUMNS = [
    "segment",
    "variant",
    "impressions",
    "clicks",
    "conversions",
    "revenue",
    "ctr",
    "ctr_low",
    "ctr_high",
    "cvr",
    "cvr_low",
    "cvr_high",
    "allocated_spend",
    "roas",
    "posterior_mean",
]


@login_required
@permission_required("campaigns.view_analytics", raise_exception=True)
def analytics_csv(request, pk):
    campaign = _campaign(request, pk)
    report = analytics.campaign_report(campaign=campaign)
    names = analytics.segment_names(report)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-analytics.csv"'
    writer = csv_safe.Writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in report.pairs:
        writer.writerow(_csv_row(row, names.get(row.segment_id, "")))
    return response


def _csv_row(row, segment_name: str) -> list:
    def num(value, digits=6):
        return "" if value is None else round(value, digits)

    ctr_ci, cvr_ci = row.ctr_ci or (None, None), row.cvr_ci or (None, None)
    return [
        segment_name,
        row.label,
        row.impressions,
        row.clicks,
        row.conversions,
        row.revenue,
        num(row.ctr),
        num(ctr_ci[0]),
        num(ctr_ci[1]),
        num(row.cvr),
        num(cvr_ci[0]),
        num(cvr_ci[1]),
        "" if row.spend is None else round(row.spend, 2),
        num(row.roas, 4),
        num(row.posterior_mean),
    ]


@login_required
@require_POST
@permission_required("campaigns.change_campaign", raise_exception=True)
def spend_update(request, pk):
    campaign = _campaign(request, pk)
    form = SpendForm(request.POST, instance=campaign)
    if form.is_valid():
        campaign_spend_set(campaign=campaign, spend=form.cleaned_data["spend"])
        messages.success(request, "Spend saved.")
    else:
        messages.error(request, "Spend not saved: " + " ".join(form.errors.get("spend", [])))
    return redirect("campaigns:analytics", pk=campaign.pk)


@login_required
@require_POST
@permission_required("campaigns.add_generationjob", raise_exception=True)
def winners_generate(request, pk):
    campaign = _campaign(request, pk)
    form = WinnersForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, f"Not started: {errors}")
        return redirect("campaigns:analytics", pk=campaign.pk)
    try:
        job = feedback.winners_generate(campaign=campaign, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "Not started: " + " ".join(exc.messages))
        return redirect("campaigns:analytics", pk=campaign.pk)
    messages.success(request, f"Generation job #{job.pk} started from the winners.")
    return redirect("campaigns:campaign_detail", pk=campaign.pk)
