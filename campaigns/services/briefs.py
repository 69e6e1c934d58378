"""Rows -> the engine's plain briefs (the engine never sees Django objects)."""

from __future__ import annotations

from django.conf import settings

from campaigns.models import AdFormat, AudienceSegment, Brand, Campaign
from studio.engine.registry import EngineConfig
from studio.engine.types import BrandBrief, CampaignBrief, FormatSpec, SegmentBrief


def brand_brief(brand: Brand) -> BrandBrief:
    return BrandBrief(
        name=brand.name,
        voice=brand.voice,
        palette=tuple(brand.palette),
        banned_terms=tuple(brand.banned_terms_list) + tuple(global_banned_terms()),
        disclaimer=brand.disclaimer,
        logo_path=brand.logo.path if brand.logo else None,
        headline_font_path=brand.headline_font.path if brand.headline_font else None,
        body_font_path=brand.body_font.path if brand.body_font else None,
        colours=tuple(sorted((brand.colours or {}).items())),
        cta_shape=brand.cta_shape,
    )


def campaign_brief(campaign: Campaign) -> CampaignBrief:
    return CampaignBrief(
        brand=brand_brief(campaign.brand),
        product_name=campaign.product_name,
        description=campaign.description,
        objective=campaign.objective,
        landing_url=campaign.landing_url,
        product_image_path=campaign.product_image.path if campaign.product_image else None,
    )


def segment_brief(segment: AudienceSegment) -> SegmentBrief:
    return SegmentBrief(key=str(segment.pk), name=segment.name, persona=segment.persona)


def format_spec(fmt: AdFormat) -> FormatSpec:
    return FormatSpec(slug=fmt.slug, width=fmt.width, height=fmt.height)


def global_banned_terms() -> list[str]:
    return list(getattr(settings, "STUDIO_GLOBAL_BANNED_TERMS", []))


def default_engine_config() -> EngineConfig:
    return EngineConfig.from_dict(settings.STUDIO_ENGINE)
