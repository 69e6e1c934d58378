"""Copy edits: validate, keep the earlier copy in history, re-render in a task."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from campaigns.models import Review, Variant
from campaigns.services import briefs, clips, rendering, scoring
from campaigns.services.copy_checks import copy_problems
from studio.engine.registry import EngineConfig

COPY_FIELDS = ("headline", "body", "cta")


@transaction.atomic
def variant_copy_edit(
    *,
    variant: Variant,
    user,
    headline: str,
    body: str,
    cta: str,
    expected_version: int | None = None,
    comment: str = "",
) -> Variant:
    """Replace the copy; the old copy goes to history and the version goes up by one.

    `expected_version` is the version the editor saw: when someone else saved in
    between, the edit is refused rather than silently overwriting theirs.
    """
    variant = (
        Variant.objects.select_for_update().select_related("campaign__brand").get(pk=variant.pk)
    )
    if variant.status == Variant.Status.DRAFT:
        raise ValidationError("This variant is still being generated.")
    if expected_version is not None and expected_version != variant.version:
        raise ValidationError(
            f"Someone else changed this variant meanwhile (now version {variant.version}); "
            "reload it and edit again."
        )
    fields = {"headline": headline.strip(), "body": body.strip(), "cta": cta.strip()}
    errors = copy_problems(fields=fields, campaign=variant.campaign)
    if errors:
        raise ValidationError(errors)
    if all(getattr(variant, k) == v for k, v in fields.items()):
        return variant  # nothing changed: no new version, no re-render
    variant.history = [*variant.history, _snapshot(variant)]
    for name, value in fields.items():
        setattr(variant, name, value)
    variant.version += 1
    # Approval was given to the old words; the new ones need a fresh look.
    if variant.status == Variant.Status.APPROVED:
        variant.status = Variant.Status.PENDING
    variant.save(update_fields=[*COPY_FIELDS, "history", "version", "status", "updated_at"])
    Review.objects.create(variant=variant, user=user, action=Review.Action.EDIT, comment=comment)
    from campaigns import tasks  # tasks import services; import here breaks the cycle

    version = variant.version
    transaction.on_commit(lambda: tasks.refresh_edited_variant.delay(variant.pk, version))
    return variant


def _snapshot(variant: Variant) -> dict:
    return {
        "version": variant.version,
        **{name: getattr(variant, name) for name in COPY_FIELDS},
        "replaced_at": timezone.now().isoformat(),
    }


def variant_rerender(*, variant_id: int, version: int) -> bool:
    """Re-score the copy, re-render every format and re-queue the variant's clips (on
    commit), if `version` is still current.

    A later edit enqueues its own task, so an outdated one does nothing.
    """
    variant = Variant.objects.select_related("campaign__brand", "segment__campaign", "job").get(
        pk=variant_id
    )
    if variant.version != version:
        return False
    config = EngineConfig.from_dict(variant.job.engine_config)
    history = scoring.history_for(campaign_id=variant.campaign_id, exclude=Q(pk=variant.pk))
    scoring.variants_score(
        variants=[variant], segment=variant.segment, config=config, history=history
    )
    formats = list(variant.campaign.formats.filter(is_active=True))
    brand = briefs.brand_brief(variant.campaign.brand)
    rendering.variant_render(variant=variant, formats=formats, brand=brand)
    clips.clips_refresh(variant_id=variant.pk)
    return True
