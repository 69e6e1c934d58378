from campaigns.models.brand import AdFormat, Brand
from campaigns.models.campaign import AudienceSegment, Campaign
from campaigns.models.generation import GenerationJob, Rendition, Review, Variant

__all__ = [
    "AdFormat",
    "AudienceSegment",
    "Brand",
    "Campaign",
    "GenerationJob",
    "Rendition",
    "Review",
    "Variant",
]
