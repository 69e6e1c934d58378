"""Designer decisions on variants: approve, reject, bulk, copy edit, regenerate, vary.

An htmx request gets the card back (swapped in place); a plain POST is redirected
back to where it came from with a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from campaigns.forms_studio import BulkForm, CopyEditForm, DecisionForm, RegenerateForm, VaryForm
from campaigns.selectors import campaigns_for_user
from campaigns.selectors_review import variants_for_cards
from campaigns.services import edits, regenerate, reviews, variations
from campaigns.views.access import campaign_for, needs, variant_for
from campaigns.views.review import render_card


def _back(request, variant):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(reverse("campaigns:review_grid", args=[variant.campaign_id]))


def _answer(request, variant, error=None, notice=None, level=messages.SUCCESS, **extra):
    """`level`: SUCCESS for what moves a variant forward, INFO for a neutral outcome
    (a rejection is a decision, not a success to celebrate)."""
    if request.htmx:
        notice_level = "info" if level == messages.INFO else "success"
        return render_card(
            request, variant.pk, error=error, notice=notice, notice_level=notice_level, **extra
        )
    if error:
        messages.error(request, f"Variant #{variant.pk}: {error}")
    elif notice:
        messages.add_message(request, level, f"Variant #{variant.pk}: {notice}")
    return _back(request, variant)


def _decide(request, pk, service, done_word, level=messages.SUCCESS):
    variant = variant_for(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _answer(request, variant, error=" ".join(form.errors["comment"]))
    try:
        service(variant=variant, user=request.user, comment=form.cleaned_data["comment"])
    except (ValidationError, PermissionDenied) as exc:
        return _answer(request, variant, error=" ".join(getattr(exc, "messages", [str(exc)])))
    return _answer(request, variant, notice=done_word, level=level)


@login_required
@needs("review_variant")
@require_POST
def variant_approve(request, pk):
    return _decide(request, pk, reviews.variant_approve, "approved")


@login_required
@needs("review_variant")
@require_POST
def variant_reject(request, pk):
    return _decide(request, pk, reviews.variant_reject, "rejected", level=messages.INFO)


@login_required
@needs("review_variant")
@require_POST
def variant_edit(request, pk):
    variant = variant_for(request, pk)
    form = CopyEditForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            edits.variant_copy_edit(
                variant=variant,
                user=request.user,
                headline=data["headline"],
                body=data["body"],
                cta=data["cta"],
                expected_version=data["version"],
                comment=data["comment"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return _answer(request, variant, notice="copy saved; re-rendering the formats")
    if request.htmx:
        return render_card(request, variant.pk, edit_form=form)
    context = {"variant": variant, "campaign": variant.campaign, "form": form}
    return render(request, "campaigns/variant_edit.html", context, status=400)


@login_required
@needs("review_variant", "add_generationjob")
@require_POST
def variant_regenerate(request, pk):
    variant = variant_for(request, pk)
    form = RegenerateForm(request.POST)
    if not form.is_valid():
        return _answer(request, variant, error="Choose the same seed or a new one.")
    same = form.cleaned_data["seed"] == "same"
    try:
        job = regenerate.variant_regenerate(variant=variant, user=request.user, same_seed=same)
    except ValidationError as exc:
        return _answer(request, variant, error=" ".join(exc.messages))
    notice = f"regenerating with {'the same' if same else 'a new'} seed (job #{job.pk})"
    return _answer(request, variant, notice=notice, regen_job=job)


@login_required
@needs("review_variant", "add_generationjob")
@require_POST
def variant_vary(request, pk):
    """ "More like this": a job of variations of this variant, into review."""
    variant = variant_for(request, pk)
    form = VaryForm(request.POST)
    if not form.is_valid():
        return _answer(request, variant, error=form.error_text(), vary_form=form)
    data = form.cleaned_data
    try:
        job = variations.variant_vary(
            variant=variant, user=request.user, strength=data["strength"], count=data["count"]
        )
    except ValidationError as exc:
        return _answer(request, variant, error=" ".join(exc.messages), vary_form=form)
    count = data["count"]
    notice = (
        f"sent for {count} variation{'s' if count > 1 else ''} at strength "
        f"{data['strength']:.1f} (job #{job.pk})"
    )
    return _answer(request, variant, notice=notice, regen_job=job)


@login_required
@needs("review_variant")
@require_POST
def variants_bulk(request, pk):
    campaign = campaign_for(request, pk)
    form = BulkForm(request.POST, campaign=campaign)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        if request.htmx:
            return render(request, "campaigns/partials/_bulk_result.html", {"errors": errors})
        for error in errors:
            messages.error(request, error)
        return redirect("campaigns:review_grid", campaign.pk)
    approve = form.cleaned_data["action"] == "approve"
    decided, skipped = reviews.variants_bulk_review(
        variants=form.cleaned_data["ids"],
        user=request.user,
        approve=approve,
        comment=form.cleaned_data["comment"],
    )
    word = "approved" if approve else "rejected"
    if not request.htmx:
        level = messages.SUCCESS if approve else messages.INFO
        messages.add_message(request, level, f"{len(decided)} variant(s) {word}.")
        for variant_id, reason in skipped.items():
            messages.error(request, f"Variant #{variant_id}: {reason}")
        return _back(request, decided[0] if decided else form.cleaned_data["ids"][0])
    ids = [v.pk for v in form.cleaned_data["ids"]]
    cards = variants_for_cards(ids=ids, campaigns=campaigns_for_user(request.user))
    context = {"cards": cards, "decided": len(decided), "word": word, "skipped": skipped}
    return render(request, "campaigns/partials/_bulk_result.html", context)
