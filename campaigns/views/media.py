"""Uploaded and generated files, served only to members of the brand they belong to."""

import mimetypes

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

from campaigns.models import Brand, BrandAsset, Campaign, Rendition, Variant, VariantClip
from campaigns.selectors import brands_for_user
from campaigns.views.access import needs


def _owner_brand_id(name: str) -> int | None:
    """The brand a stored file belongs to; only files the database knows are served."""
    lookups = (
        (Rendition.objects.filter(image=name), "variant__campaign__brand_id"),
        (Rendition.objects.filter(thumbnail=name), "variant__campaign__brand_id"),
        (Variant.objects.filter(base_image=name), "campaign__brand_id"),
        (VariantClip.objects.filter(file=name), "variant__campaign__brand_id"),
        (VariantClip.objects.filter(poster=name), "variant__campaign__brand_id"),
        (VariantClip.objects.filter(frames=name), "variant__campaign__brand_id"),
        (Campaign.objects.filter(product_image=name), "brand_id"),
        (Campaign.objects.filter(product_cutout=name), "brand_id"),
        (Brand.objects.filter(logo=name), "pk"),
        (BrandAsset.objects.filter(image=name), "brand_id"),
    )
    for queryset, field in lookups:
        brand_id = queryset.values_list(field, flat=True).first()
        if brand_id is not None:
            return brand_id
    return None


@login_required
@needs("view_campaign")
def media_file(request, path):
    brand_id = _owner_brand_id(path)
    if brand_id is None or not brands_for_user(request.user).filter(pk=brand_id).exists():
        raise Http404("No such file.")
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("File is missing from storage.") from exc
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
