"""Rows -> the engine's plain briefs (the engine never sees Django objects)."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings

from campaigns.models import AdFormat, AudienceSegment, Brand, Campaign
from studio.engine.registry import EngineConfig
from studio.engine.types import (
    AdCopy,
    Benefit,
    BrandBrief,
    BriefText,
    CampaignBrief,
    FormatSpec,
    Offer,
    SegmentBrief,
)

# The language-dependent fields a campaign can give per language (brief_translations).
TRANSLATED_LINES = ("benefits_does", "benefits_gets", "proof_points", "required_claims")
TRANSLATED_TEXT = ("product_name", "description", "disclaimer")
# The language the campaign's own brief fields are written in.
BRIEF_LANGUAGE = "en"


def brief_lines(text: str | list[str] | None) -> list[str]:
    """One entry per non-empty line (or list item), whitespace-normalised, de-duplicated."""
    items = text if isinstance(text, list) else (text or "").splitlines()
    return list(dict.fromkeys(" ".join(str(i).split()) for i in items if str(i).strip()))


def brief_words(text: str | None) -> list[str]:
    """Comma-separated words or phrases, trimmed, de-duplicated."""
    return list(dict.fromkeys(w.strip() for w in (text or "").split(",") if w.strip()))


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


def _benefits(does, gets) -> tuple[Benefit, ...]:
    return tuple(Benefit(t, "does") for t in brief_lines(does)) + tuple(
        Benefit(t, "gets") for t in brief_lines(gets)
    )


def _translation(fields: dict) -> BriefText:
    return BriefText(
        product_name=str(fields.get("product_name") or "").strip(),
        description=str(fields.get("description") or "").strip(),
        benefits=_benefits(fields.get("benefits_does"), fields.get("benefits_gets")),
        proof_points=tuple(brief_lines(fields.get("proof_points"))),
        required_claims=tuple(brief_lines(fields.get("required_claims"))),
        disclaimer=str(fields.get("disclaimer") or "").strip(),
    )


def campaign_brief(campaign: Campaign) -> CampaignBrief:
    translations = campaign.brief_translations or {}
    return CampaignBrief(
        brand=brand_brief(campaign.brand),
        product_name=campaign.product_name,
        description=campaign.description,
        objective=campaign.objective,
        landing_url=campaign.landing_url,
        product_image_path=campaign.product_image.path if campaign.product_image else None,
        benefits=_benefits(campaign.benefits_does, campaign.benefits_gets),
        proof_points=tuple(brief_lines(campaign.proof_points)),
        offer=Offer(
            discount_percent=campaign.offer_discount or None,
            price=campaign.offer_price.strip(),
            ends=campaign.offer_ends,
        ),
        required_claims=tuple(brief_lines(campaign.required_claims)),
        disclaimer=campaign.disclaimer.strip(),
        words_to_use=tuple(brief_words(campaign.words_to_use)),
        words_to_avoid=tuple(brief_words(campaign.words_to_avoid)),
        language=BRIEF_LANGUAGE,
        translations=tuple(
            (lang, _translation(fields))
            for lang, fields in sorted(translations.items())
            if isinstance(fields, dict) and any(fields.values())
        ),
    )


def segment_brief(segment: AudienceSegment) -> SegmentBrief:
    return SegmentBrief(
        key=str(segment.pk),
        name=segment.name,
        persona=segment.persona,
        audience=segment.audience_noun.strip(),
        focus_benefit=segment.focus_benefit.strip(),
        locale=segment.locale.strip(),
    )


def format_spec(fmt: AdFormat) -> FormatSpec:
    return FormatSpec(slug=fmt.slug, width=fmt.width, height=fmt.height)


def global_banned_terms() -> list[str]:
    return list(getattr(settings, "STUDIO_GLOBAL_BANNED_TERMS", []))


def default_engine_config() -> EngineConfig:
    return EngineConfig.from_dict(settings.STUDIO_ENGINE)


def layout_brand(brand: BrandBrief, *, campaign: Campaign, language: str) -> BrandBrief:
    """The brand brief layout draws with: its disclaimer line becomes the campaign's small
    print (the campaign's disclaimer, else the brand's, then the required claims) in the
    copy's language."""
    brief = replace(campaign_brief(campaign), brand=brand)
    localized = brief.in_language(language) or brief
    return replace(brand, disclaimer=localized.small_print)


def variant_copy(variant) -> AdCopy:
    """A variant's current copy as the engine's AdCopy, with its badge and language."""
    facts = (variant.lineage or {}).get("copy") or {}
    return AdCopy(
        variant.headline,
        variant.body,
        variant.cta,
        variant.image_prompt,
        badge=str(facts.get("badge") or ""),
        language=str(facts.get("language") or BRIEF_LANGUAGE),
    )
