"""Animate a variant: the choice of formats x lengths, and the clips' progress.

The Animate form is a page of its own (works without JavaScript) that htmx loads into
the card; the clips panel polls while a clip is queued or rendering and stops (286)
once every clip is ready or failed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from campaigns.forms_clips import AnimateForm
from campaigns.models import VariantClip
from campaigns.selectors_clips import clips_for_variant
from campaigns.services import clips
from campaigns.views.access import needs, variant_for
from campaigns.views.review import render_card

# htmx stops polling on this status (and still swaps the answer in).
STOP_POLLING = 286


@login_required
@needs("review_variant", "add_generationjob")
def variant_animate(request, pk):
    variant = variant_for(request, pk)
    form = AnimateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            asked = clips.clip_request(variant=variant, user=request.user, **form.clip_request())
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            queued = sum(c.status == VariantClip.Status.QUEUED for c in asked)
            notice = f"animated: {_clips_in_words(queued)} queued for rendering"
            if queued < len(asked):
                notice += f", {len(asked) - queued} already up to date"
            if request.htmx:
                return render_card(request, variant.pk, notice=notice, notice_level="info")
            messages.info(request, f"Variant #{variant.pk}: {notice}.")
            return redirect("campaigns:review_grid", variant.campaign_id)
    status = 400 if request.method == "POST" else 200
    context = {"variant": variant, "campaign": variant.campaign, "form": form}
    template = "campaigns/partials/_animate_form.html" if request.htmx else "campaigns/animate.html"
    if not request.htmx:
        return render(request, template, context, status=status)
    # htmx swaps only 2xx answers: a refused choice comes back as 200 with its errors,
    # into the form itself rather than over the card the form posts to.
    response = render(request, template, context)
    if request.method == "POST":
        response["HX-Retarget"] = f"#animate-form-{variant.pk}"
        response["HX-Reswap"] = "outerHTML"
    return response


def _clips_in_words(count: int) -> str:
    return f"{count} clip" if count == 1 else f"{count} clips"


def _errors_into(form, exc: ValidationError) -> None:
    fields = {"formats": "clip_formats", "lengths": "clip_lengths", "banner_kind": "banner_kind"}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(fields.get(field), errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@needs("view_variant")
@require_safe
def variant_clips(request, pk):
    """The card's clips panel: status and progress of each clip."""
    variant = variant_for(request, pk)
    rows = clips_for_variant(variant=variant)
    pending = any(c.pending for c in rows)
    context = {"v": variant, "clips": rows, "pending": pending}
    response = render(request, "campaigns/partials/_clips.html", context)
    if request.htmx and not pending:
        response.status_code = STOP_POLLING
    return response
