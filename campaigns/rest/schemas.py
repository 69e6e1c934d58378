"""Request and response shapes of the REST API (pydantic, through django-ninja)."""

from datetime import datetime
from decimal import Decimal

from django.urls import reverse
from ninja import Field, Schema


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorDetail


class BrandOut(Schema):
    id: int
    name: str
    voice: str
    palette: list[str]
    disclaimer: str


class CampaignOut(Schema):
    id: int
    brand_id: int
    name: str
    product_name: str
    description: str
    objective: str
    landing_url: str
    status: str
    spend: Decimal | None = None
    serving_policy: str = ""
    formats: list[int]
    created_at: datetime

    @staticmethod
    def resolve_formats(obj) -> list[int]:
        return sorted(f.pk for f in obj.formats.all())


class CampaignIn(Schema):
    brand: int
    name: str
    product_name: str
    description: str = ""
    objective: str
    landing_url: str = ""
    formats: list[int]
    status: str = "draft"
    spend: Decimal = Decimal(0)
    serving_policy: str = ""  # "" (studio default) | thompson | contextual


class CampaignPatch(Schema):
    name: str | None = None
    product_name: str | None = None
    description: str | None = None
    objective: str | None = None
    landing_url: str | None = None
    formats: list[int] | None = None
    status: str | None = None
    spend: Decimal | None = None
    serving_policy: str | None = None


class SegmentOut(Schema):
    id: int
    campaign_id: int
    name: str
    persona: str
    rules: dict
    estimated_size: int | None = None


class SegmentIn(Schema):
    """Targeting rules as the segment form takes them: lists as comma-separated text."""

    name: str
    persona: str
    estimated_size: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    interests: str = ""
    locales: str = ""
    countries: str = ""
    devices: list[str] = []


class JobIn(Schema):
    segments: list[int]
    variants_per_segment: int = 4
    preset: str = "configured"
    seed: int | None = None
    background: str | None = None  # backdrop | library | model; default as the page


class JobOut(Schema):
    id: int
    campaign_id: int
    status: str
    percent: int
    progress: dict
    timings: dict
    error: str
    created_at: datetime
    finished_at: datetime | None = None


class RenditionOut(Schema):
    format: str
    width: int
    height: int
    url: str

    @staticmethod
    def resolve_format(obj) -> str:
        return obj.format.slug

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.image.url if obj.image else ""


class VariantOut(Schema):
    id: int
    campaign_id: int
    segment_id: int
    job_id: int
    status: str
    held: bool = Field(False, description="An open or blocking moderation case holds it.")
    headline: str
    body: str
    cta: str
    version: int
    text_fit: float | None = None
    alignment: float | None = None
    segment_fit: float | None = None
    novelty: float | None = None
    safety_risk: float | None = None
    renditions: list[RenditionOut]

    @staticmethod
    def resolve_held(obj) -> bool:
        return bool(getattr(obj, "blocked", False))

    @staticmethod
    def resolve_novelty(obj) -> float | None:
        return getattr(obj, "novelty", None)

    @staticmethod
    def resolve_renditions(obj) -> list:
        return list(obj.renditions.all())


class DecisionIn(Schema):
    comment: str = Field("", max_length=2000)


class CopyEditIn(Schema):
    headline: str = Field(..., max_length=120)
    body: str = Field(..., max_length=500)
    cta: str = Field(..., max_length=40)
    version: int = Field(..., ge=1, description="The version you edited; a newer one is a 409.")
    comment: str = Field("", max_length=2000)


class ExportIn(Schema):
    segments: list[int] = Field([], description="Empty: every segment.")
    formats: list[int] = Field([], description="Empty: every format.")


class ExportOut(Schema):
    id: int
    campaign_id: int
    status: str
    percent: int
    counts: dict
    error: str
    sha256: str
    created_at: datetime
    finished_at: datetime | None = None
    download_url: str | None = None

    @staticmethod
    def resolve_download_url(obj) -> str | None:
        if obj.status != "succeeded":
            return None
        return reverse("rest:export_download", args=[obj.pk])
