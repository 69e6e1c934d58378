"""Managers register a brand's webhook endpoints and read each one's delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from campaigns.forms_integrations import WebhookEndpointForm
from campaigns.models import WebhookEndpoint
from campaigns.selectors import brands_for_user
from campaigns.services import webhooks
from campaigns.views.access import brand_for, needs

DELIVERIES_SHOWN = 50


def _endpoint_for(request, pk) -> WebhookEndpoint:
    endpoints = WebhookEndpoint.objects.filter(brand__in=brands_for_user(request.user))
    return get_object_or_404(endpoints.select_related("brand"), pk=pk)


@login_required
@needs("change_brand")
def webhook_list(request, pk):
    brand = brand_for(request, pk)
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhooks.webhook_endpoint_create(
                brand=brand, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Webhook endpoint added. Copy its secret from its page.")
            return redirect("campaigns:webhook_detail", endpoint.pk)
    endpoints = brand.webhooks.all()
    context = {"brand": brand, "form": form, "endpoints": endpoints}
    return render(request, "integrations/webhook_list.html", context)


@login_required
@needs("change_brand")
def webhook_detail(request, pk):
    endpoint = _endpoint_for(request, pk)
    deliveries = endpoint.deliveries.all()[:DELIVERIES_SHOWN]
    context = {"endpoint": endpoint, "brand": endpoint.brand, "deliveries": deliveries}
    return render(request, "integrations/webhook_detail.html", context)


@require_POST
@login_required
@needs("change_brand")
def webhook_enable(request, pk):
    endpoint = _endpoint_for(request, pk)
    try:
        webhooks.webhook_endpoint_enable(endpoint=endpoint)
        messages.success(request, "Endpoint enabled again.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("campaigns:webhook_detail", endpoint.pk)


@require_POST
@login_required
@needs("change_brand")
def webhook_delete(request, pk):
    endpoint = _endpoint_for(request, pk)
    brand_pk = endpoint.brand_id
    webhooks.webhook_endpoint_delete(endpoint=endpoint)
    messages.success(request, "Endpoint deleted.")
    return redirect("campaigns:webhook_list", brand_pk)
