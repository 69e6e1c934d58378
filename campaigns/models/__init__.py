from campaigns.models.brand import AdFormat, Brand
from campaigns.models.campaign import AudienceSegment, Campaign
from campaigns.models.export import Export
from campaigns.models.generation import GenerationJob, Rendition, Review, Variant
from campaigns.models.moderation import ModerationCase, ModerationEvent

__all__ = [
    "AdFormat",
    "AudienceSegment",
    "Brand",
    "Campaign",
    "Export",
    "GenerationJob",
    "ModerationCase",
    "ModerationEvent",
    "Rendition",
    "Review",
    "Variant",
]
