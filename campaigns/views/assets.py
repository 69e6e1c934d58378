"""The brand asset library: designers browse it, campaign managers upload and delete.
Another brand's library and assets answer 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from campaigns.forms import AssetForm
from campaigns.selectors_assets import assets_for_user
from campaigns.services.library import asset_create, asset_delete
from campaigns.views.access import brand_for, needs


def _page(request, brand, form, status=200):
    assets = brand.assets.select_related("uploaded_by")
    context = {"brand": brand, "assets": assets, "form": form}
    return render(request, "campaigns/asset_list.html", context, status=status)


@login_required
@needs("view_brandasset")
def asset_list(request, pk):
    brand = brand_for(request, pk)
    return _page(request, brand, AssetForm())


@login_required
@needs("add_brandasset")
@require_POST
def asset_upload(request, pk):
    brand = brand_for(request, pk)
    form = AssetForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            asset = asset_create(brand=brand, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"“{asset.title}” added to the library.")
            return redirect("campaigns:asset_list", brand.pk)
    return _page(request, brand, form, status=400)


@login_required
@needs("delete_brandasset")
@require_POST
def asset_delete_view(request, pk):
    asset = get_object_or_404(assets_for_user(request.user), pk=pk)
    brand_pk, title = asset.brand_id, asset.title
    asset_delete(asset=asset)
    messages.success(request, f"“{title}” deleted.")
    return redirect("campaigns:asset_list", brand_pk)
