"""Exports for campaign managers: request one, watch it build, download it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django_htmx.http import HttpResponseStopPolling

from campaigns.forms_moderation import ExportForm
from campaigns.models import Export
from campaigns.selectors import campaigns_for_user, exports_for_user, variant_list_cleared
from campaigns.services import exports


@login_required
@permission_required("campaigns.export_campaign", raise_exception=True)
def export_index(request):
    campaigns = campaigns_for_user(request.user).select_related("brand").order_by("name")
    rows = [(c, variant_list_cleared(campaign=c).count()) for c in campaigns]
    recent = exports_for_user(request.user)[:10]
    return render(request, "exports/index.html", {"rows": rows, "recent": recent})


@login_required
@permission_required("campaigns.export_campaign", raise_exception=True)
def export_campaign(request, pk):
    campaign = get_object_or_404(campaigns_for_user(request.user).select_related("brand"), pk=pk)
    form = ExportForm(request.POST if request.method == "POST" else None, campaign=campaign)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                exports.export_start(campaign=campaign, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Export started; it builds in the background.")
                return redirect("campaigns:export_campaign", pk=campaign.pk)
        status = 400
    history = Paginator(
        campaign.exports.select_related("requested_by").prefetch_related("segments", "formats"),
        20,
    ).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "form": form,
        "history": history,
        "eligible": variant_list_cleared(campaign=campaign).count(),
    }
    return render(request, "exports/campaign.html", context, status=status)


@login_required
@permission_required("campaigns.export_campaign", raise_exception=True)
def export_progress(request, pk):
    export = get_object_or_404(exports_for_user(request.user), pk=pk)
    response = render(request, "exports/partials/_export_row.html", {"export": export})
    if request.htmx and export.is_finished:
        response.status_code = HttpResponseStopPolling.status_code
    return response


@login_required
@permission_required("campaigns.export_campaign", raise_exception=True)
def export_download(request, pk):
    export = get_object_or_404(exports_for_user(request.user), pk=pk)
    if export.status != Export.Status.SUCCEEDED or not export.file:
        raise Http404("This export has no file (still building, or it failed).")
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The export file is missing from the server.") from exc
    return FileResponse(handle, as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])
