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
    )


def brand_colour_roles(brand: Brand) -> tuple[tuple[str, str], ...]:
    """The brand's colour roles for painters. Until brands carry roles of their own,
    they follow the palette's order: background, accent, text, then cta (the accent
    again when the palette has fewer than four colours)."""
    palette = list(brand.palette or [])
    roles = dict(zip(("background", "accent", "text", "cta"), palette, strict=False))
    if "cta" not in roles and "accent" in roles:
        roles["cta"] = roles["accent"]
    return tuple(roles.items())


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
