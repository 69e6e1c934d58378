"""The review grid and the read-only views around it: card, previews, compare."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from campaigns.forms_studio import ReviewFilterForm, compare_ids
from campaigns.selectors import campaigns_for_user
from campaigns.selectors_review import review_page, variants_for_cards
from campaigns.views.access import campaign_for, needs, variant_for


@login_required
@needs("view_variant")
def review_grid(request, pk):
    campaign = campaign_for(request, pk)
    filter_form = ReviewFilterForm(request.GET, campaign=campaign)
    filters = filter_form.filters()
    page = review_page(campaign=campaign, filters=filters, number=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "campaign": campaign,
        "filter_form": filter_form,
        "page": page,
        "variants": page.object_list,
        "query": query.urlencode(),
    }
    if request.htmx and request.htmx.target == "grid":
        return render(request, "campaigns/partials/_review_grid.html", context)
    return render(request, "campaigns/review.html", context)


@login_required
@needs("view_variant")
def variant_card(request, pk):
    """One card, for htmx to refresh it (e.g. while its renditions are re-rendered)."""
    return render_card(request, variant_for(request, pk).pk)


def render_card(request, pk, status=200, **extra):
    variant = variants_for_cards(ids=[pk], campaigns=campaigns_for_user(request.user))[0]
    context = {"v": variant, **extra}
    return render(request, "campaigns/partials/_variant_card.html", context, status=status)


@login_required
@needs("view_variant")
def variant_preview(request, pk):
    variant = variant_for(request, pk)
    renditions = variant.renditions.select_related("format").order_by("-format__width")
    context = {"variant": variant, "campaign": variant.campaign, "renditions": renditions}
    return render(request, "campaigns/variant_preview.html", context)


@login_required
@needs("view_variant")
def variant_compare(request):
    ids, error = compare_ids(request.GET.getlist("ids"))
    variants = []
    if error is None:
        variants = variants_for_cards(ids=ids, campaigns=campaigns_for_user(request.user))
        if len(variants) != len(ids):
            error, variants = "Some of these variants do not exist or are not yours to see.", []
        elif len({v.campaign_id for v in variants}) != 1:
            error, variants = "Compare variants of one campaign at a time.", []
    campaign = variants[0].campaign if variants else None
    grid = _grid_to_return_to(request) if error else None
    if grid:
        # From the grid's "Compare selected": stay there and say what is missing.
        messages.warning(request, error)
        return redirect(grid)
    context = {"variants": variants, "error": error, "campaign": campaign}
    return render(request, "campaigns/variant_compare.html", context, status=400 if error else 200)


def _grid_to_return_to(request) -> str | None:
    """The review grid of the `campaign` the compare form was sent from, if the user may
    see it; None otherwise (then the compare page itself explains the error)."""
    pk = request.GET.get("campaign", "")
    if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
        return None
    if not campaigns_for_user(request.user).filter(pk=int(pk)).exists():
        return None
    return reverse("campaigns:review_grid", args=[int(pk)])
