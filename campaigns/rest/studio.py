"""Generation jobs, the review of variants, and exports through the API."""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from campaigns.forms_moderation import ExportForm
from campaigns.forms_studio import GenerateForm
from campaigns.models import Export, Variant
from campaigns.rest.auth import require
from campaigns.rest.errors import ApiError, first_form_error
from campaigns.rest.forms import valid
from campaigns.rest.schemas import (
    CopyEditIn,
    DecisionIn,
    ErrorOut,
    ExportIn,
    ExportOut,
    JobIn,
    JobOut,
    VariantOut,
)
from campaigns.selectors import exports_for_user
from campaigns.selectors_review import SORTS, ReviewFilters, variant_list_for_review
from campaigns.services import edits, exports, generation, reviews
from campaigns.views.access import campaign_for, job_for, variant_for

router = Router(tags=["studio"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.post("/campaigns/{campaign_id}/jobs", response={202: JobOut, **ERRORS})
def job_start(request, campaign_id: int, payload: JobIn):
    """Start a generation round; poll GET /jobs/{id} until status is succeeded or failed."""
    require(request, "add_generationjob")
    campaign = campaign_for(request, campaign_id)
    form = valid(GenerateForm(payload.dict(exclude_none=True), campaign=campaign))
    try:
        job = generation.job_start(campaign=campaign, user=request.user, **form.job_kwargs())
    except ValidationError as exc:  # e.g. a library background with no library photos
        field, message = first_form_error(exc.message_dict)
        raise ApiError(400, "invalid", message, field) from exc
    return Status(202, job)


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS})
def job_get(request, job_id: int):
    require(request, "view_generationjob")
    return job_for(request, job_id)


class VariantFilters(Schema):
    segment: int | None = None
    status: Variant.Status | None = None
    held: bool | None = None
    format: int | None = None
    sort: str = Field("newest", description=f"One of: {', '.join(SORTS)}.")
    best_first: bool = True


@router.get("/campaigns/{campaign_id}/variants", response=list[VariantOut])
@paginate(PageNumberPagination, page_size=48)
def variant_list(request, campaign_id: int, filters: Query[VariantFilters]):
    """The review grid's filters and sorts."""
    require(request, "view_variant")
    campaign = campaign_for(request, campaign_id)
    sort = filters.sort if filters.sort in SORTS else "newest"
    review_filters = ReviewFilters(
        segment_id=filters.segment,
        status=filters.status,
        held=filters.held,
        format_id=filters.format,
        sort=sort,
        best_first=filters.best_first,
    )
    return variant_list_for_review(campaign=campaign, filters=review_filters)


def _variant_out(request, pk: int) -> Variant:
    campaign = variant_for(request, pk).campaign
    return variant_list_for_review(campaign=campaign, filters=ReviewFilters()).get(pk=pk)


@router.get("/variants/{variant_id}", response={200: VariantOut, **ERRORS})
def variant_get(request, variant_id: int):
    require(request, "view_variant")
    return _variant_out(request, variant_id)


@router.post("/variants/{variant_id}/approve", response={200: VariantOut, **ERRORS})
def variant_approve(request, variant_id: int, payload: DecisionIn):
    require(request, "review_variant")
    reviews.variant_approve(
        variant=variant_for(request, variant_id), user=request.user, comment=payload.comment
    )
    return _variant_out(request, variant_id)


@router.post("/variants/{variant_id}/reject", response={200: VariantOut, **ERRORS})
def variant_reject(request, variant_id: int, payload: DecisionIn):
    require(request, "review_variant")
    reviews.variant_reject(
        variant=variant_for(request, variant_id), user=request.user, comment=payload.comment
    )
    return _variant_out(request, variant_id)


@router.post("/variants/{variant_id}/copy", response={200: VariantOut, **ERRORS})
def variant_copy_edit(request, variant_id: int, payload: CopyEditIn):
    """Edit the copy. `version` is the one you read; if it has moved on, 409."""
    require(request, "review_variant")
    variant = variant_for(request, variant_id)
    try:
        edits.variant_copy_edit(
            variant=variant,
            user=request.user,
            headline=payload.headline,
            body=payload.body,
            cta=payload.cta,
            expected_version=payload.version,
            comment=payload.comment,
        )
    except ValidationError as exc:
        variant.refresh_from_db(fields=["version"])
        if variant.version != payload.version:
            raise ApiError(409, "version_conflict", " ".join(exc.messages), "version") from exc
        raise
    return _variant_out(request, variant_id)


@router.post("/campaigns/{campaign_id}/exports", response={202: ExportOut, **ERRORS})
def export_start(request, campaign_id: int, payload: ExportIn):
    require(request, "export_campaign")
    campaign = campaign_for(request, campaign_id)
    form = valid(ExportForm(payload.dict(), campaign=campaign))
    return Status(
        202, exports.export_start(campaign=campaign, user=request.user, **form.cleaned_data)
    )


@router.get("/exports/{export_id}", response={200: ExportOut, **ERRORS})
def export_get(request, export_id: int):
    require(request, "export_campaign")
    return get_object_or_404(exports_for_user(request.user), pk=export_id)


@router.get(
    "/exports/{export_id}/download",
    response=ERRORS,
    url_name="export_download",
    openapi_extra={
        "responses": {"200": {"description": "The ZIP", "content": {"application/zip": {}}}}
    },
)
def export_download(request, export_id: int):
    require(request, "export_campaign")
    export = get_object_or_404(exports_for_user(request.user), pk=export_id)
    if export.status != Export.Status.SUCCEEDED or not export.file:
        raise ApiError(409, "not_ready", "This export has no file (still building, or failed).")
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])
