"""Regenerate one variant: a one-slot job on the same engine path, same or new seed.

The new variant is a child (parent = the source) in a job of its own, so the unique
(job, segment, index) slot never collides and the source stays as it was.
"""

from __future__ import annotations

import random

from django.core.exceptions import ValidationError
from django.db import transaction

from campaigns.models import GenerationJob, Review, Variant
from campaigns.services import generation


@transaction.atomic
def variant_regenerate(
    *, variant: Variant, user, same_seed: bool, engine_config: dict | None = None
) -> GenerationJob:
    """Start the regeneration job (enqueued after commit) and note it in the audit trail.

    With `same_seed`, the round's seed and engine settings are the source's own, so the
    engine gets the very same requests: a reproduction of the source.
    """
    variant = Variant.objects.select_related("job", "segment", "campaign").get(pk=variant.pk)
    if variant.status == Variant.Status.DRAFT:
        raise ValidationError("This variant is still being generated.")
    source_job = variant.job
    seed = source_job.seed if same_seed else new_seed(source_job.seed)
    job = generation.job_start(
        campaign=variant.campaign,
        segments=[variant.segment],
        variants_per_segment=source_job.variants_per_segment,
        user=user,
        engine_config=engine_config or source_job.engine_config,
        seed=seed,
        inspiration=source_job.inspiration,
        source_variant=variant,
        background_source=source_job.background_source,
    )
    Review.objects.create(
        variant=variant,
        user=user,
        action=Review.Action.REGENERATE,
        comment=f"{'Same' if same_seed else 'New'} seed: job #{job.pk}.",
    )
    return job


def new_seed(old: int) -> int:
    rng = random.SystemRandom()
    while (seed := rng.randrange(2**31)) == old:
        pass
    return seed


def reproduction_check(*, variant: Variant) -> dict | None:
    """For a same-seed child: does each format's rendition match its parent's bytes?"""
    parent = variant.parent
    if parent is None or variant.job.seed != parent.job.seed:
        return None
    ours = dict(variant.renditions.values_list("format__slug", "sha256"))
    theirs = dict(parent.renditions.values_list("format__slug", "sha256"))
    same_copy = (variant.headline, variant.body, variant.cta) == (
        parent.headline,
        parent.body,
        parent.cta,
    )
    formats = sorted(set(ours) & set(theirs))
    identical = [f for f in formats if ours[f] == theirs[f]]
    return {
        "parent": parent,
        "same_copy": same_copy,
        "formats": formats,
        "identical": identical,
        "all_identical": bool(formats) and len(identical) == len(formats) and same_copy,
    }
