from campaigns.models.asset import BrandAsset
from campaigns.models.brand import AdFormat, Brand
from campaigns.models.campaign import AudienceSegment, Campaign
from campaigns.models.export import Export
from campaigns.models.generation import GenerationJob, Rendition, Review, Variant
from campaigns.models.integrations import ApiToken, WebhookDelivery, WebhookEndpoint
from campaigns.models.moderation import ModerationCase, ModerationEvent
from campaigns.models.motion import VariantClip
from campaigns.models.serving import (
    DailyStats,
    Decision,
    Event,
    Placement,
    VariantSegmentStats,
)
from campaigns.models.worker import WorkerHeartbeat

__all__ = [
    "ApiToken",
    "WebhookDelivery",
    "WebhookEndpoint",
    "AdFormat",
    "AudienceSegment",
    "Brand",
    "BrandAsset",
    "Campaign",
    "Export",
    "DailyStats",
    "Decision",
    "Event",
    "GenerationJob",
    "ModerationCase",
    "ModerationEvent",
    "Placement",
    "Rendition",
    "Review",
    "Variant",
    "VariantClip",
    "VariantSegmentStats",
    "WorkerHeartbeat",
]
