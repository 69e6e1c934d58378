from campaigns.models.asset import BrandAsset
from campaigns.models.brand import AdFormat, Brand
from campaigns.models.campaign import AudienceSegment, Campaign
from campaigns.models.export import Export
from campaigns.models.generation import GenerationJob, Rendition, Review, Variant
from campaigns.models.integrations import ApiToken, WebhookDelivery, WebhookEndpoint
from campaigns.models.moderation import ModerationCase, ModerationEvent
from campaigns.models.motion import VariantClip
from campaigns.models.worker import WorkerHeartbeat
from campaigns.serving.models import (
    DailyStats,
    Decision,
    Event,
    Placement,
    PolicyState,
    VariantSegmentStats,
)
from campaigns.serving.models_delivery import FatigueEvent, NoFillDaily

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
    "FatigueEvent",
    "GenerationJob",
    "ModerationCase",
    "ModerationEvent",
    "NoFillDaily",
    "Placement",
    "PolicyState",
    "Rendition",
    "Review",
    "Variant",
    "VariantClip",
    "VariantSegmentStats",
    "WorkerHeartbeat",
]
