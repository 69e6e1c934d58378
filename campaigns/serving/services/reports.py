"""A user's report of a served creative opens a moderation case.

The case carries the report's reason and, as evidence, the explanation of the decision
that served it (segment, why, candidates, propensity), so the moderator sees what the
user saw and why. While a case is open the creative is not served (the usual rule). A
further report while a case is open adds its reason to that case instead of opening more.
"""

from __future__ import annotations

import uuid

from django.db import transaction

from campaigns.models import Decision, ModerationCase, ModerationEvent, Variant
from campaigns.services.moderation import variant_content_hash

REPORT_CODE = "user_report"


def report_case_open(*, variant_id: int, token_id: uuid.UUID, reason: str) -> ModerationCase:
    decision = Decision.objects.filter(token_id=token_id).values("explanation", "created_at")
    decision = decision.first()
    reason_entry = {
        "code": REPORT_CODE,
        "detail": f"Reported by a user as {reason}.",
        "evidence": {
            "reason": reason,
            "decision_id": str(token_id),
            "served_at": decision["created_at"].isoformat() if decision else None,
            "explanation": decision["explanation"] if decision else None,
        },
    }
    with transaction.atomic():
        variant = Variant.objects.select_for_update().get(pk=variant_id)
        case = variant.moderation_cases.filter(status=ModerationCase.Status.OPEN).first()
        content_hash = variant_content_hash(variant)
        if case is not None:
            case.reasons = [*case.reasons, reason_entry]
            case.save(update_fields=["reasons"])
            action = "reported"
        else:
            case = ModerationCase.objects.create(variant=variant, reasons=[reason_entry])
            action = "opened"
        ModerationEvent.objects.create(
            case=case,
            action=action,
            note=reason_entry["detail"],
            hash_before=content_hash,
            hash_after=content_hash,
        )
    return case
