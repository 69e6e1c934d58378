"""Reads for the analytics page and its CSV: totals by segment, by variant and by pair,
with 95 % Wilson intervals, ROAS, daily CTR and the bandit's posteriors.

CTR = clicks / impressions; CVR = conversions / clicks (post-click; conversions
reported without a click are capped at the clicks). Spend is entered per campaign;
a row's ROAS uses the spend allocated to it in proportion to its impressions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from campaigns.models import Campaign, DailyStats, VariantSegmentStats
from studio.serving.priors import PriorConfig, prior_from_scores
from studio.serving.stats import wilson_interval


@dataclass
class Row:
    label: str
    impressions: int = 0
    clicks: int = 0
    conversions: int = 0
    revenue: Decimal = Decimal(0)
    spend: Decimal | None = None
    variant_id: int | None = None
    segment_id: int | None = None
    posterior: tuple[float, float] | None = None  # Beta(alpha, beta) of CTR

    def add(self, stats) -> None:
        self.impressions += stats.impressions
        self.clicks += stats.clicks
        self.conversions += stats.conversions
        self.revenue += stats.revenue

    @property
    def ctr(self) -> float | None:
        return self.clicks / self.impressions if self.impressions else None

    @property
    def ctr_ci(self):
        return wilson_interval(min(self.clicks, self.impressions), self.impressions)

    @property
    def cvr(self) -> float | None:
        return min(self.conversions, self.clicks) / self.clicks if self.clicks else None

    @property
    def cvr_ci(self):
        return wilson_interval(min(self.conversions, self.clicks), self.clicks)

    @property
    def roas(self) -> float | None:
        return float(self.revenue / self.spend) if self.spend else None

    @property
    def posterior_mean(self) -> float | None:
        return self.posterior[0] / sum(self.posterior) if self.posterior else None


@dataclass
class Report:
    campaign: Campaign
    total: Row
    by_segment: list[Row] = field(default_factory=list)
    by_variant: list[Row] = field(default_factory=list)
    pairs: list[Row] = field(default_factory=list)


def _prior(variant) -> tuple[float, float]:
    config = PriorConfig(
        base_ctr=settings.STUDIO_SERVING["prior_ctr"],
        strength=settings.STUDIO_SERVING["prior_strength"],
    )
    scores = {k: getattr(variant, k) for k in ("text_fit", "alignment", "segment_fit")}
    return prior_from_scores(scores, config)


def campaign_report(*, campaign: Campaign) -> Report:
    stats = (
        VariantSegmentStats.objects.filter(variant__campaign=campaign)
        .select_related("variant", "segment")
        .order_by("segment__name", "variant_id")
    )
    total = Row("All segments")
    segments: dict[int, Row] = {}
    variants: dict[int, Row] = {}
    pairs = []
    for s in stats:
        total.add(s)
        segments.setdefault(s.segment_id, Row(s.segment.name, segment_id=s.segment_id)).add(s)
        label = f"#{s.variant_id} {s.variant.headline}"
        variants.setdefault(s.variant_id, Row(label, variant_id=s.variant_id)).add(s)
        pair = Row(label, variant_id=s.variant_id, segment_id=s.segment_id)
        pair.add(s)
        alpha, beta = _prior(s.variant)
        pair.posterior = (alpha + s.clicks, beta + max(s.impressions - s.clicks, 0))
        pairs.append(pair)
    rows = [total, *segments.values(), *variants.values(), *pairs]
    _allocate_spend(rows, campaign.spend, total.impressions)
    by_impressions = lambda r: -r.impressions  # noqa: E731
    return Report(
        campaign,
        total,
        sorted(segments.values(), key=by_impressions),
        sorted(variants.values(), key=by_impressions),
        pairs,
    )


def _allocate_spend(rows: list[Row], spend: Decimal, impressions: int) -> None:
    if not spend or not impressions:
        return
    for row in rows:
        row.spend = spend * row.impressions / impressions


def segment_names(report: Report) -> dict[int, str]:
    return {row.segment_id: row.label for row in report.by_segment}


def daily_ctr(*, campaign: Campaign, segment_ids: list[int]) -> dict[int, list[tuple]]:
    """Per segment, [(day, impressions, clicks)] in day order."""
    rows = (
        DailyStats.objects.filter(variant__campaign=campaign, segment_id__in=segment_ids)
        .values("segment_id", "day")
        .annotate(impressions=Sum("impressions"), clicks=Sum("clicks"))
        .order_by("day")
    )
    series: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        series[row["segment_id"]].append((row["day"], row["impressions"], row["clicks"]))
    return dict(series)
