"""Cache invalidation for serving: anything that changes what may be served, or to whom,
bumps the campaign's decision-state version (campaigns.serving.services.state).

Signals rather than calls in each service, so moderation, review and admin edits all
reach the serving cache without those services knowing it exists."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from campaigns.models import (
    AudienceSegment,
    Brand,
    Campaign,
    Export,
    ModerationCase,
    Placement,
    Rendition,
    Variant,
    VariantClip,
)
from campaigns.services.stored_files import files_follow_rows
from campaigns.serving.services.placements import placement_forget
from campaigns.serving.services.state import state_invalidate


@receiver([post_save, post_delete], sender=Campaign)
def _campaign_changed(sender, instance, **kwargs):
    state_invalidate(campaign_id=instance.pk)


@receiver(m2m_changed, sender=Campaign.formats.through)
def _formats_changed(sender, instance, **kwargs):
    if isinstance(instance, Campaign):
        state_invalidate(campaign_id=instance.pk)


@receiver([post_save, post_delete], sender=AudienceSegment)
@receiver([post_save, post_delete], sender=Variant)
def _campaign_part_changed(sender, instance, **kwargs):
    state_invalidate(campaign_id=instance.campaign_id)


@receiver([post_save, post_delete], sender=ModerationCase)
@receiver([post_save, post_delete], sender=Rendition)
@receiver([post_save, post_delete], sender=VariantClip)
def _variant_part_changed(sender, instance, **kwargs):
    # Renditions are saved by the dozen with their variant at hand: no query for those.
    if sender._meta.get_field("variant").is_cached(instance):
        campaign_id = instance.variant.campaign_id
    else:
        campaign_id = (
            Variant.objects.filter(pk=instance.variant_id)
            .values_list("campaign_id", flat=True)
            .first()
        )
    if campaign_id is not None:
        state_invalidate(campaign_id=campaign_id)


@receiver([post_save, post_delete], sender=Placement)
def _placement_changed(sender, instance, **kwargs):
    placement_forget(api_key_hash=instance.api_key_hash)


# Files on disk follow their rows (campaigns.services.stored_files): uploads are removed
# when replaced, cleared or deleted; generated files when their row is deleted (a
# deleted campaign takes its renditions, base images and export ZIPs with it).
files_follow_rows(Brand, "logo")
files_follow_rows(Campaign, "product_image")
files_follow_rows(Variant, "base_image", on_replace=False)
files_follow_rows(Rendition, "image", on_replace=False)
files_follow_rows(Export, "file", on_replace=False)
files_follow_rows(VariantClip, "file", "poster", "frames", on_replace=False)
