"""Campaign spend, entered by hand, for ROAS."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from campaigns.models import Campaign


def campaign_spend_set(*, campaign: Campaign, spend: Decimal) -> Campaign:
    if spend < 0:
        raise ValidationError({"spend": "Spend cannot be negative."})
    Campaign.objects.filter(pk=campaign.pk).update(spend=spend)
    campaign.spend = spend
    return campaign
