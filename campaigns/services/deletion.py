"""Deleting campaigns and segments from the studio (campaign managers).

A campaign that has served decisions (or has a moderation audit trail) is archived
instead: hidden from the default lists and never served, its analytics kept. Files go
with their rows, on commit (campaigns.services.stored_files)."""

from __future__ import annotations

from typing import Literal

from django.db import transaction

from campaigns.models import AudienceSegment, Campaign
from campaigns.selectors_deletion import campaign_deletion_impact, segment_deletion_impact


class DeletionRefused(Exception):
    """Neither deleted nor archived; the message says why, for the user."""


def campaign_delete(*, campaign: Campaign) -> Literal["deleted", "archived"]:
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        impact = campaign_deletion_impact(campaign=campaign)
        if impact.refusal:
            raise DeletionRefused(impact.refusal)
        if impact.archive_reason:
            campaign.status = Campaign.Status.ARCHIVED
            campaign.save(update_fields=["status", "updated_at"])
            return "archived"
        campaign.delete()
        return "deleted"


def segment_delete(*, segment: AudienceSegment) -> None:
    with transaction.atomic():
        segment = AudienceSegment.objects.select_for_update().get(pk=segment.pk)
        impact = segment_deletion_impact(segment=segment)
        if impact.refusal:
            raise DeletionRefused(impact.refusal)
        segment.delete()
