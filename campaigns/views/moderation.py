"""The moderation queue and case page (Moderator role, or a superuser)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from campaigns.forms_moderation import (
    BlockForm,
    DecisionForm,
    FixAndClearForm,
    QueueFilterForm,
)
from campaigns.selectors import moderation_queue as queue_selector
from campaigns.selectors_clips import clips_for_variant
from campaigns.services import moderation
from studio.engine.safety import REASONS

ACTIONS = {
    "clear": (moderation.case_clear, DecisionForm, "Case #{pk} cleared."),
    "block": (moderation.case_block, BlockForm, "Case #{pk} blocked."),
    "fix": (moderation.case_fix_and_clear, FixAndClearForm, "Case #{pk} fixed and cleared."),
}


@login_required
@permission_required("campaigns.moderate_variant", raise_exception=True)
def moderation_queue(request):
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(queue_selector(user=request.user, **filters), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "moderation/queue.html",
        {"form": form, "page": page, "filters": filters, "reasons": REASONS},
    )


@login_required
@permission_required("campaigns.moderate_variant", raise_exception=True)
def moderation_case(request, pk):
    case = _case_for(request.user, pk)
    return _case_page(request, case)


@require_POST
@login_required
@permission_required("campaigns.moderate_variant", raise_exception=True)
def moderation_decide(request, pk, action):
    case = _case_for(request.user, pk)
    decide, form_class, done = ACTIONS[action]
    form = form_class(request.POST, auto_id=f"{action}_%s")
    if not form.is_valid():
        return _case_page(request, case, **{f"{action}_form": form}, status=400)
    data = dict(form.cleaned_data)
    if action == "block" and not data.pop("confirm"):
        # Final: ask first. This page is the no-JavaScript path (and a safety net).
        context = {"case": case, "variant": case.variant, "form": form}
        return render(request, "moderation/block_confirm.html", context)
    try:
        decide(case=case, user=request.user, **data)
    except ValidationError as exc:
        _attach(form, exc)
        return _case_page(request, case, **{f"{action}_form": form}, status=400)
    except PermissionDenied as exc:
        return _case_page(request, case, refusal=str(exc), status=403)
    messages.success(request, done.format(pk=case.pk))
    return redirect("campaigns:moderation_queue")


def _case_for(user, pk):
    # Cases of other brands are "not found", not "forbidden": their ids reveal nothing.
    return get_object_or_404(queue_selector(user=user, status=""), pk=pk)


def _case_page(request, case, *, status=200, **forms):
    variant = case.variant
    context = {
        "case": case,
        "variant": variant,
        "reasons": [_reason_view(r) for r in case.reasons],
        "events": case.events.select_related("user"),
        "renditions": variant.renditions.select_related("format"),
        "clips": [c for c in clips_for_variant(variant=variant) if c.status == "ready"],
        # Three forms on one page: distinct auto_ids keep the HTML ids unique.
        "clear_form": forms.get("clear_form") or DecisionForm(auto_id="clear_%s"),
        "block_form": forms.get("block_form") or BlockForm(auto_id="block_%s"),
        "fix_form": forms.get("fix_form")
        or FixAndClearForm(
            initial={f: getattr(variant, f) for f in ("headline", "body", "cta")},
            auto_id="fix_%s",
        ),
        "refusal": forms.get("refusal", ""),
    }
    return render(request, "moderation/case.html", context, status=status)


def _reason_view(reason: dict) -> dict:
    """Label, detail and evidence rows (the span and full text are for machines)."""
    evidence = reason.get("evidence") or {}
    code = reason.get("code", "")
    return {
        "code": code,
        "label": REASONS.get(code, code),
        "detail": reason.get("detail", ""),
        "evidence": sorted((k, v) for k, v in evidence.items() if k not in ("span", "text")),
    }


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
