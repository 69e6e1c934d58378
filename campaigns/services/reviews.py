"""Designer decisions on variants. Each writes a Review row (the audit trail)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from campaigns import events
from campaigns.models import Review, Variant
from campaigns.selectors import variant_has_blocking_case


def _locked(variant: Variant) -> Variant:
    # Row lock: two designers acting at once serialise here and end in one state.
    return Variant.objects.select_for_update().get(pk=variant.pk)


@transaction.atomic
def variant_approve(*, variant: Variant, user, comment: str = "") -> Variant:
    """Approve; approving an approved variant changes nothing and records nothing."""
    variant = _locked(variant)
    if variant.status == Variant.Status.APPROVED:
        return variant
    if variant.status == Variant.Status.DRAFT:
        raise ValidationError("This variant is still being generated.")
    if variant_has_blocking_case(variant=variant):
        raise PermissionDenied("This variant has an open or blocking moderation case.")
    variant.status = Variant.Status.APPROVED
    variant.save(update_fields=["status", "updated_at"])
    Review.objects.create(variant=variant, user=user, action=Review.Action.APPROVE, comment=comment)
    events.variant_reviewed(variant, user=user, comment=comment)
    return variant


@transaction.atomic
def variant_reject(*, variant: Variant, user, comment: str = "") -> Variant:
    variant = _locked(variant)
    if variant.status == Variant.Status.REJECTED:
        return variant
    if variant.status == Variant.Status.DRAFT:
        raise ValidationError("This variant is still being generated.")
    variant.status = Variant.Status.REJECTED
    variant.save(update_fields=["status", "updated_at"])
    Review.objects.create(variant=variant, user=user, action=Review.Action.REJECT, comment=comment)
    events.variant_reviewed(variant, user=user, comment=comment)
    return variant


def variants_bulk_review(
    *, variants, user, approve: bool, comment: str = ""
) -> tuple[list[Variant], dict[int, str]]:
    """Approve or reject each variant in its own transaction; one that cannot be
    decided (still generating, held by moderation) is reported and skipped, the rest go on.

    Returns the decided variants and {variant id: reason} for the skipped ones.
    """
    action = variant_approve if approve else variant_reject
    decided, skipped = [], {}
    for variant in variants:
        try:
            decided.append(action(variant=variant, user=user, comment=comment))
        except (ValidationError, PermissionDenied) as exc:
            skipped[variant.pk] = " ".join(getattr(exc, "messages", None) or [str(exc)])
    return decided, skipped
