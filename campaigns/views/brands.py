"""Brands: palette, logo, voice, banned terms. Members see only their own brands."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from campaigns.forms import BrandForm
from campaigns.selectors import brands_for_user
from campaigns.views.access import brand_for, needs


@login_required
@needs("view_brand")
def brand_list(request):
    brands = brands_for_user(request.user).prefetch_related("campaigns")
    return render(request, "campaigns/brand_list.html", {"brands": brands})


@login_required
@needs("add_brand")
def brand_create(request):
    form = BrandForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        brand = form.save()
        brand.members.add(request.user)  # the creator can see what they made
        messages.success(request, f"Brand “{brand}” created.")
        return redirect("campaigns:brand_list")
    return render(request, "campaigns/brand_form.html", {"form": form})


@login_required
@needs("change_brand")
def brand_edit(request, pk):
    brand = brand_for(request, pk)
    form = BrandForm(request.POST or None, request.FILES or None, instance=brand)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Brand “{brand}” saved.")
        return redirect("campaigns:brand_list")
    return render(request, "campaigns/brand_form.html", {"form": form, "brand": brand})
