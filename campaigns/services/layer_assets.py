"""What every variant of a campaign is composed with besides its backgrounds: the brand,
the product cut-out and the logo, loaded once per segment (not per format)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from campaigns.models import Campaign, Variant
from campaigns.services import briefs, cutouts
from studio.engine.types import BrandBrief

if TYPE_CHECKING:
    from PIL import Image


@dataclass
class RenderAssets:
    """What every variant of a campaign shares: loaded once per segment, not per format."""

    brand: BrandBrief
    product: Image.Image | None
    logo: Image.Image | None
    product_name: str
    # The cut-out's file, for painters that paint around it (None without a product).
    product_path: str | None = None


def campaign_assets(*, campaign: Campaign, brand: BrandBrief | None = None) -> RenderAssets:
    from PIL import Image

    brand = brand or briefs.brand_brief(campaign.brand)
    logo = None
    if brand.logo_path:
        try:
            with Image.open(brand.logo_path) as opened:
                logo = opened.convert("RGBA")
        except (OSError, ValueError):
            logo = None  # a broken logo must not sink the round; the check reports it
    product = cutouts.product_layer(campaign)
    return RenderAssets(
        brand=brand,
        product=product,
        logo=logo,
        product_name=campaign.product_name,
        product_path=campaign.product_cutout.path if product is not None else None,
    )


def render_assets(*, variant: Variant, brand: BrandBrief | None = None) -> RenderAssets:
    return campaign_assets(campaign=variant.campaign, brand=brand)
