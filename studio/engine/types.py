"""Plain data passed between the studio and the generation engine.

The engine never sees Django objects: services turn rows into these briefs, and
turn the engine's results back into rows. Everything here is picklable and cheap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PIL import Image


class EngineError(Exception):
    """A backend failed in a way the user should read (bad model path, malformed output...)."""


class TransientEngineError(EngineError):
    """A failure worth retrying (out of memory on a shared GPU, a busy file)."""


@dataclass(frozen=True)
class BrandBrief:
    name: str
    voice: str = ""
    palette: tuple[str, ...] = ("#1F2937", "#F59E0B", "#FFFFFF")
    banned_terms: tuple[str, ...] = ()
    disclaimer: str = ""
    logo_path: str | None = None
    # Brand kit: uploaded fonts (None = the bundled DejaVu), colour roles
    # (("background", "#..."), ("accent", ...), ("text", ...), ("cta", ...)), CTA shape.
    headline_font_path: str | None = None
    body_font_path: str | None = None
    colours: tuple[tuple[str, str], ...] = ()
    cta_shape: str = "rounded"  # pill | rounded | square


@dataclass(frozen=True)
class SegmentBrief:
    key: str  # a stable id (the segment's primary key as text)
    name: str
    persona: str
    # Per-segment overrides of the creative brief, written in the segment's language.
    audience: str = ""  # the audience noun, plural: "trail runners"
    focus_benefit: str = ""  # the benefit (text of one of the brief's) it cares most about
    locale: str = ""  # language of the copy, e.g. "de-DE"; empty = the brief's language


BENEFIT_KINDS = ("does", "gets")  # "what it does": grips on wet rock; "what you get": dry feet


@dataclass(frozen=True)
class Benefit:
    text: str
    kind: str  # one of BENEFIT_KINDS


@dataclass(frozen=True)
class Offer:
    """A typed offer: each part optional. The frames and the badge word it per language."""

    discount_percent: int | None = None  # 20 -> "20% off", badge "-20 %"
    price: str = ""  # as the brand writes it, currency included: "89 €", "$129"
    ends: dt.date | None = None

    def __bool__(self) -> bool:
        return bool(self.discount_percent or self.price)


@dataclass(frozen=True)
class BriefText:
    """The language-dependent fields of a brief, for one extra language."""

    product_name: str = ""  # empty keeps the main product name
    description: str = ""
    benefits: tuple[Benefit, ...] = ()
    proof_points: tuple[str, ...] = ()
    required_claims: tuple[str, ...] = ()
    disclaimer: str = ""


@dataclass(frozen=True)
class CampaignBrief:
    """The creative brief: what the copywriters may say, as typed fields."""

    brand: BrandBrief
    product_name: str
    description: str = ""
    objective: str = "awareness"
    landing_url: str = ""
    product_image_path: str | None = None
    benefits: tuple[Benefit, ...] = ()
    proof_points: tuple[str, ...] = ()  # statements that back the benefits
    offer: Offer = field(default_factory=Offer)
    required_claims: tuple[str, ...] = ()  # small print that must run with the ad
    disclaimer: str = ""  # the campaign's own; the brand's is the fallback
    words_to_use: tuple[str, ...] = ()
    words_to_avoid: tuple[str, ...] = ()
    language: str = "en"  # the language the fields above are written in
    translations: tuple[tuple[str, BriefText], ...] = ()  # (language, fields) pairs

    @property
    def small_print(self) -> str:
        """Disclaimer (the campaign's, else the brand's) followed by the required claims."""
        parts = [self.disclaimer.strip() or self.brand.disclaimer.strip()]
        parts += [c.strip() for c in self.required_claims]
        return " ".join(p if p[-1:] in ".!?" else p + "." for p in parts if p)

    @property
    def banned_terms(self) -> tuple[str, ...]:
        """The brand's banned terms plus this campaign's words to avoid."""
        return tuple(self.brand.banned_terms) + tuple(self.words_to_avoid)

    @property
    def languages(self) -> tuple[str, ...]:
        return (self.language, *(lang for lang, _ in self.translations))

    def in_language(self, language: str) -> CampaignBrief | None:
        """The brief with its fields in `language`, or None when it has no such version."""
        if language == self.language:
            return self
        text = dict(self.translations).get(language)
        if text is None:
            return None
        return replace(
            self,
            product_name=text.product_name or self.product_name,
            description=text.description,
            benefits=text.benefits,
            proof_points=text.proof_points,
            required_claims=text.required_claims,
            disclaimer=text.disclaimer,
            language=language,
            translations=(),
        )


@dataclass(frozen=True)
class CopyRequest:
    campaign: CampaignBrief
    segment: SegmentBrief
    n: int
    seed: int
    # Copy of past winners for this segment ("generate more like the winners").
    inspiration: tuple[str, ...] = ()


@dataclass
class AdCopy:
    headline: str
    body: str
    cta: str
    image_prompt: str
    # Short offer text for the optional badge layer ("-20 %", "New"); empty for none.
    badge: str = ""
    # Language of the copy (ISO 639-1), so layout hyphenates and shapes it correctly.
    language: str = "en"
    # Per-candidate facts for the lineage (sampling seed, attempt count, rank score...).
    lineage: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"{self.headline}. {self.body} {self.cta}".strip()


@dataclass(frozen=True)
class ImageRequest:
    prompt: str
    seed: int
    width: int = 512
    height: int = 512
    negative_prompt: str = ""
    palette: tuple[str, ...] = ("#1F2937", "#F59E0B", "#FFFFFF")
    product_image_path: str | None = None
    # Brand colour roles and a library photo, as in BackgroundRequest (backdrop painter).
    colours: tuple[tuple[str, str], ...] = ()
    asset_path: str | None = None
    asset_floor: float | None = None


@dataclass(frozen=True)
class BackgroundRequest:
    """One background to paint at a format's own size: painters paint backgrounds only.

    The product is never painted in: it is its own layer, placed per format by layout.
    Painters that work around the product (inpainting) read `product_path` (an RGBA
    cut-out) and `product_box` (where layout will put it, in this canvas's pixels)."""

    concept: str  # the image concept / prompt
    seed: int
    width: int
    height: int
    negative_prompt: str = ""
    # Brand colour roles, e.g. {"background": "#F5F1EA", "accent": "#0F766E", ...}.
    colours: tuple[tuple[str, str], ...] = ()
    palette: tuple[str, ...] = ("#1F2937", "#F59E0B", "#FFFFFF")
    style: str | None = None  # force a style; None lets the painter choose by seed/concept
    product_path: str | None = None
    product_box: tuple[int, int, int, int] | None = None
    # A brand library photo to build on (asset library), when the source is "library".
    asset_path: str | None = None
    # The library photo's floor line (fraction of its height); None: the lower third.
    asset_floor: float | None = None
    # Variations ("more like this"): the stored background layer (RGB, this size) to
    # start from, and how far to move from it: 0 keeps it, 1 repaints it.
    init_path: str | None = None
    strength: float = 0.5


@dataclass
class PaintedBackground:
    image: Image.Image  # RGB, exactly width x height
    # Fraction of the height where the floor meets the product's base (contact shadow
    # goes here); None where the scene has no floor (flat colour, sky).
    floor_y: float | None = None
    # Key light direction: -1 from the left, 0 from the front/top, 1 from the right.
    light_x: float = 0.0
    lineage: dict[str, Any] = field(default_factory=dict)
    nsfw_detected: bool | None = None


@dataclass
class PaintedImage:
    image: Image.Image
    lineage: dict[str, Any] = field(default_factory=dict)
    # The pipeline's own safety checker verdict; None where the backend has none.
    nsfw_detected: bool | None = None


@dataclass(frozen=True)
class ScoreItem:
    """One variant to score: its copy text, its base image, and the segment it targets."""

    text: str
    segment_key: str
    image: Any = None  # PIL image, or None for copy-only scoring


@dataclass
class Scores:
    """Scores for one variant. None means no model computed it: show "n/a", never invent."""

    text_fit: float | None = None  # copy vs segment persona, cosine mapped to 0..100
    alignment: float | None = None  # CLIPScore(image, copy) = 100 * max(cos, 0)
    segment_fit: float | None = None  # image vs own segment persona, softmax prob 0..1
    segment_rank: int | None = None  # 1 = best fitting segment among the campaign's
    copy_novelty: float | None = None  # 1 - max cosine of copy to the campaign's other copy
    image_novelty: float | None = None  # 1 - max cosine of image to the campaign's other images
    safety: dict[str, float] | None = None  # unsafe concept -> probability
    text_embedding: list[float] | None = None
    image_embedding: list[float] | None = None
    lineage: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FormatSpec:
    slug: str
    width: int
    height: int


class Copywriter(Protocol):
    name: str

    def describe(self) -> dict[str, Any]:
        """Backend name, model id and parameters, for the lineage."""

    def write(self, request: CopyRequest) -> list[AdCopy]:
        """Return request.n candidates, best first."""


class Painter(Protocol):
    name: str
    # True where the painter keeps the real product itself (an inpainting model): the
    # studio then calls paint_around; False: backgrounds only, layout places the product.
    paints_around: bool

    def describe(self) -> dict[str, Any]: ...

    def paint(self, requests: list[ImageRequest]) -> list[PaintedImage]:
        """One image per request, in order; each reproducible from its own seed."""

    def paint_backgrounds(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        """One background per request at its own size, in order; reproducible by seed."""

    def paint_around(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        """A scene painted around the product: every request has `product_path` (RGBA
        cut-out) and `product_box` (where it stands on this canvas). The result holds the
        product composited exactly (`painter.product.product_composite`), with
        lineage["product_baked"] = True and lineage["product_box"] = list(box)."""

    def paint_variations(self, requests: list[BackgroundRequest]) -> list[PaintedBackground]:
        """A background like `init_path`, moved from it by `strength` (0 returns it);
        the product composited back exactly where `product_box` is set."""


class Scorer(Protocol):
    name: str

    def describe(self) -> dict[str, Any]: ...

    def score(
        self,
        items: list[ScoreItem],
        segments: list[SegmentBrief],
        history: dict[str, list[list[float]]] | None = None,
    ) -> list[Scores]:
        """Score items; fill only the fields this backend really computes.

        `history` holds embeddings of the campaign's earlier variants, under "text"
        and "image", so novelty also covers earlier rounds. Items in one call count
        as each other's neighbours too."""
