"""Brands (read), campaigns and segments (create, read, update, delete) through the API."""

from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from campaigns.forms import CampaignForm
from campaigns.forms_studio import SegmentRuleForm
from campaigns.models import AudienceSegment
from campaigns.rest.auth import require
from campaigns.rest.errors import ApiError
from campaigns.rest.forms import valid
from campaigns.rest.schemas import (
    BrandOut,
    CampaignIn,
    CampaignOut,
    CampaignPatch,
    ErrorOut,
    SegmentIn,
    SegmentOut,
)
from campaigns.selectors import brands_for_user, campaigns_for_user
from campaigns.services.deletion import DeletionRefused, campaign_delete, segment_delete
from campaigns.views.access import brand_for, campaign_for

router = Router(tags=["catalog"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
REFUSED = {409: ErrorOut}


class DeletedOut(Schema):
    outcome: str  # "deleted", or "archived" for a campaign that has served


@router.get("/brands", response=list[BrandOut], summary="Your brands")
@paginate(PageNumberPagination, page_size=50)
def brand_list(request):
    require(request, "view_brand")
    return brands_for_user(request.user).order_by("name")


@router.get("/brands/{brand_id}", response={200: BrandOut, **ERRORS})
def brand_get(request, brand_id: int):
    require(request, "view_brand")
    return brand_for(request, brand_id)


@router.get("/campaigns", response=list[CampaignOut], summary="Campaigns of your brands")
@paginate(PageNumberPagination, page_size=50)
def campaign_list(request, brand: int | None = None):
    require(request, "view_campaign")
    qs = campaigns_for_user(request.user).prefetch_related("formats").order_by("-created_at")
    return qs.filter(brand_id=brand) if brand else qs


@router.get("/campaigns/{campaign_id}", response={200: CampaignOut, **ERRORS})
def campaign_get(request, campaign_id: int):
    require(request, "view_campaign")
    return campaign_for(request, campaign_id)


@router.post("/campaigns", response={201: CampaignOut, **ERRORS})
def campaign_create(request, payload: CampaignIn):
    require(request, "add_campaign")
    brands = brands_for_user(request.user)
    form = valid(CampaignForm(payload.dict(), brands=brands))
    campaign = form.save(commit=False)
    campaign.created_by = request.user
    campaign.save()
    form.save_m2m()
    return Status(201, campaign)


@router.patch("/campaigns/{campaign_id}", response={200: CampaignOut, **ERRORS})
def campaign_update(request, campaign_id: int, payload: CampaignPatch):
    require(request, "change_campaign")
    campaign = campaign_for(request, campaign_id)
    data = {k: v for k, v in model_to_dict(campaign).items() if k != "product_image"}
    data["formats"] = [f.pk for f in campaign.formats.all()]
    data.update(payload.dict(exclude_unset=True))
    form = valid(CampaignForm(data, instance=campaign, brands=brands_for_user(request.user)))
    return form.save()


@router.get("/campaigns/{campaign_id}/segments", response={200: list[SegmentOut], **ERRORS})
def segment_list(request, campaign_id: int):
    require(request, "view_audiencesegment")
    return list(campaign_for(request, campaign_id).segments.order_by("name"))


@router.post("/campaigns/{campaign_id}/segments", response={201: SegmentOut, **ERRORS})
def segment_create(request, campaign_id: int, payload: SegmentIn):
    require(request, "add_audiencesegment")
    campaign = campaign_for(request, campaign_id)
    return Status(201, valid(SegmentRuleForm(payload.dict(), campaign=campaign)).save())


@router.put("/campaigns/{campaign_id}/segments/{segment_id}", response={200: SegmentOut, **ERRORS})
def segment_update(request, campaign_id: int, segment_id: int, payload: SegmentIn):
    require(request, "change_audiencesegment")
    campaign = campaign_for(request, campaign_id)
    segment = get_object_or_404(AudienceSegment, campaign=campaign, pk=segment_id)
    return valid(SegmentRuleForm(payload.dict(), instance=segment, campaign=campaign)).save()


@router.delete("/campaigns/{campaign_id}", response={200: DeletedOut, **ERRORS, **REFUSED})
def campaign_remove(request, campaign_id: int):
    """Delete a campaign, as the studio's Delete button does: one that has served
    decisions (or has a moderation trail) is archived instead; 409 while a round or an
    export for it is running."""
    require(request, "delete_campaign")
    try:
        return {"outcome": campaign_delete(campaign=campaign_for(request, campaign_id))}
    except DeletionRefused as exc:
        raise ApiError(409, "refused", str(exc)) from exc


@router.delete(
    "/campaigns/{campaign_id}/segments/{segment_id}",
    response={200: DeletedOut, **ERRORS, **REFUSED},
)
def segment_remove(request, campaign_id: int, segment_id: int):
    """Delete a segment; 409 when it has served or has moderation cases."""
    require(request, "delete_audiencesegment")
    campaign = campaign_for(request, campaign_id)
    segment = get_object_or_404(AudienceSegment, campaign=campaign, pk=segment_id)
    try:
        segment_delete(segment=segment)
    except DeletionRefused as exc:
        raise ApiError(409, "refused", str(exc)) from exc
    return {"outcome": "deleted"}
