"""The "why this score" panel: the image, breakdown, weights, segment rank, nearest,
lineage in words."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from campaigns import explain
from campaigns.selectors_review import main_rendition
from campaigns.services.regenerate import reproduction_check
from campaigns.views.access import needs, variant_for


@login_required
@needs("view_variant")
def variant_why(request, pk):
    variant = variant_for(request, pk)
    lines, overall = explain.score_breakdown(variant)
    context = {
        "variant": variant,
        "campaign": variant.campaign,
        "lines": lines,
        "overall": overall,
        "segment_count": variant.campaign.segments.count(),
        "nearest": explain.nearest_variants(variant),
        "lineage": explain.lineage_story(variant),
        "image": main_rendition(list(variant.renditions.select_related("format"))),
        "reproduction": reproduction_check(variant=variant),
        "history": list(reversed(variant.history)),
        "reviews": variant.reviews.select_related("user")[:20],
    }
    if request.htmx:
        return render(request, "campaigns/partials/_why_panel.html", context)
    return render(request, "campaigns/variant_why.html", context)
