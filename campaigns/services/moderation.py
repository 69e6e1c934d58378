"""Brand safety: screen variants as they are generated, and the moderator's decisions.

A flag opens a ModerationCase; every action on a case appends a ModerationEvent with
the content hash before and after. A blocked case is final: it can never be cleared,
so its variant can never be approved, exported or served.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign, ModerationCase, ModerationEvent, Variant
from campaigns.selectors import campaigns_for_user
from campaigns.services.briefs import global_banned_terms
from studio.engine import safety

COPY_FIELDS = ("headline", "body", "cta")


def variant_content_hash(variant: Variant) -> str:
    """sha256 over the copy fields and the base image's own sha256: what a moderator
    looked at, so the audit log shows whether a decision changed the content."""
    image_sha = ""
    if variant.base_image:
        digest = hashlib.sha256()
        with variant.base_image.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
        image_sha = digest.hexdigest()
    payload = {name: getattr(variant, name) for name in COPY_FIELDS}
    payload["base_image_sha256"] = image_sha
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def safety_policy(campaign: Campaign) -> safety.SafetyPolicy:
    host = urlsplit(campaign.landing_url or "").hostname or ""
    return safety.SafetyPolicy(
        brand_terms=tuple(campaign.brand.banned_terms_list),
        global_terms=tuple(global_banned_terms()),
        landing_domain=host.removeprefix("www."),
        unsafe_threshold=settings.STUDIO_UNSAFE_THRESHOLD,
        min_alignment=settings.STUDIO_MIN_ALIGNMENT,
    )


def variant_flags(*, variant: Variant, policy: safety.SafetyPolicy | None = None):
    policy = policy or safety_policy(variant.campaign)
    return safety.check(
        {name: getattr(variant, name) for name in COPY_FIELDS},
        policy,
        safety=variant.safety,
        alignment=variant.alignment,
        nsfw_detected=variant.nsfw_detected,
    )


def variant_screen(
    *, variant: Variant, policy: safety.SafetyPolicy | None = None
) -> ModerationCase | None:
    """Open a case when the variant raises any flag; None when it is clean.

    Idempotent: a re-delivered generation task finds the case it opened for this very
    content (same hash) and opens no second one.
    """
    flags = variant_flags(variant=variant, policy=policy)
    if not flags:
        return None  # no transaction: on SQLite even an empty one takes the write lock
    content_hash = variant_content_hash(variant)
    with transaction.atomic():
        earlier = variant.moderation_cases.filter(
            events__action="opened", events__hash_after=content_hash
        ).first()
        if earlier is not None:
            return earlier
        case = ModerationCase.objects.create(variant=variant, reasons=[f.as_dict() for f in flags])
        _event(case, None, "opened", content_hash, content_hash, note=_summary(flags))
    return case


def variants_screen(*, variants: Iterable[Variant]) -> list[ModerationCase]:
    """Screen a batch (one generation segment); the policy is built once per campaign."""
    policies: dict[int, safety.SafetyPolicy] = {}
    cases = []
    for variant in variants:
        if variant.campaign_id not in policies:
            policies[variant.campaign_id] = safety_policy(variant.campaign)
        case = variant_screen(variant=variant, policy=policies[variant.campaign_id])
        if case is not None:
            cases.append(case)
    return cases


def case_clear(*, case: ModerationCase, user, note: str = "") -> ModerationCase:
    """The flags were false alarms: the variant may be approved again."""
    with transaction.atomic():
        case = _locked_for(case, user)
        if case.status == ModerationCase.Status.CLEARED:
            return case
        _refuse_if_blocked(case)
        content_hash = variant_content_hash(case.variant)
        _decide(case, user, ModerationCase.Status.CLEARED)
        _event(case, user, "cleared", content_hash, content_hash, note=note)
    return case


def case_block(*, case: ModerationCase, user, note: str = "") -> ModerationCase:
    """Final: the variant can never be approved, exported or served."""
    with transaction.atomic():
        case = _locked_for(case, user)
        if case.status == ModerationCase.Status.BLOCKED:
            return case
        content_hash = variant_content_hash(case.variant)
        _decide(case, user, ModerationCase.Status.BLOCKED)
        _event(case, user, "blocked", content_hash, content_hash, note=note)
    return case


def case_fix_and_clear(
    *, case: ModerationCase, user, headline: str, body: str, cta: str, note: str = ""
) -> ModerationCase:
    """Edit the copy, check the new copy as strictly as generated copy, then clear, and
    re-render the variant's formats once the transaction commits."""
    fields = {"headline": headline.strip(), "body": body.strip(), "cta": cta.strip()}
    with transaction.atomic():
        case = _locked_for(case, user)
        _refuse_if_blocked(case)
        if case.status != ModerationCase.Status.OPEN:
            raise ValidationError("Only an open case can be fixed and cleared.")
        variant = Variant.objects.select_for_update().get(pk=case.variant_id)
        if variant.status == Variant.Status.DRAFT:
            raise ValidationError("This variant is still being generated; try again shortly.")
        _validate_fix(variant, fields)
        hash_before = variant_content_hash(variant)
        _apply_fix(variant, fields, user, case)
        hash_after = variant_content_hash(variant)
        _decide(case, user, ModerationCase.Status.CLEARED)
        _event(case, user, "fixed_and_cleared", hash_before, hash_after, note=note)
        from campaigns import tasks  # tasks import services; import here breaks the cycle

        variant_id, version = variant.pk, variant.version
        # The same task as a designer's edit: re-score the new words, then redraw.
        transaction.on_commit(lambda: tasks.refresh_edited_variant.delay(variant_id, version))
    return case


def _validate_fix(variant: Variant, fields: dict[str, str]) -> None:
    if all(fields[name] == getattr(variant, name) for name in COPY_FIELDS):
        raise ValidationError("The copy is unchanged: use Clear, or edit the copy.")
    from campaigns.services.copy_checks import copy_problems  # it uses safety_policy

    errors = copy_problems(fields=fields, campaign=variant.campaign)
    if errors:
        raise ValidationError(errors)


def _apply_fix(variant: Variant, fields: dict[str, str], user, case: ModerationCase) -> None:
    variant.history = [
        *variant.history,
        {
            "version": variant.version,
            **{name: getattr(variant, name) for name in COPY_FIELDS},
            "replaced_at": timezone.now().isoformat(),
            "replaced_by": getattr(user, "pk", None),
            "reason": f"moderation case #{case.pk}",
        },
    ]
    for name, value in fields.items():
        setattr(variant, name, value)
    variant.version += 1
    variant.save(update_fields=[*COPY_FIELDS, "history", "version", "updated_at"])


def _locked_for(case: ModerationCase, user) -> ModerationCase:
    """The case, row-locked, after checking the user may moderate this brand's work."""
    if not user.has_perm("campaigns.moderate_variant"):
        raise PermissionDenied("You may not moderate variants.")
    locked = ModerationCase.objects.select_for_update().select_related("variant").get(pk=case.pk)
    if not campaigns_for_user(user).filter(pk=locked.variant.campaign_id).exists():
        raise PermissionDenied("This variant belongs to a brand you are not a member of.")
    return locked


def _refuse_if_blocked(case: ModerationCase) -> None:
    if case.status == ModerationCase.Status.BLOCKED:
        raise PermissionDenied("This case is blocked; a block is final.")


def _decide(case: ModerationCase, user, status: str) -> None:
    case.status = status
    case.decided_by = user
    case.decided_at = timezone.now()
    case.save(update_fields=["status", "decided_by", "decided_at"])


def _event(case, user, action: str, before: str, after: str, note: str = "") -> ModerationEvent:
    return ModerationEvent.objects.create(
        case=case, user=user, action=action, note=note, hash_before=before, hash_after=after
    )


def _summary(flags) -> str:
    return "; ".join(flag.detail for flag in flags)[:2000]
