"""Reads for the learning side of serving on the analytics page: lift of the policy over
the uniform-rotation holdout, and the fatigue test per (creative, segment)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, FloatField, Q, Sum
from django.db.models.functions import Cast

from campaigns.models import Campaign, DailyStats, Decision, Event
from studio.serving.rewards import reward_for
from studio.serving.stats import mean_difference
from studio.serving.wearout import fatigue_test


@dataclass(frozen=True)
class Lift:
    reward: str
    policy_decisions: int
    holdout_decisions: int
    policy_rate: float
    holdout_rate: float
    difference: float
    low: float
    high: float
    significant: bool

    @property
    def relative(self) -> float | None:
        return self.difference / self.holdout_rate if self.holdout_rate else None


def _group(campaign: Campaign, reward: str, holdout: bool) -> tuple[int, float, float]:
    decisions = Decision.objects.filter(placement__campaign=campaign, holdout=holdout)
    n = decisions.count()
    kind = Event.Type.CLICK if reward == "clicks" else Event.Type.CONVERSION
    events = Event.objects.filter(type=kind, token_id__in=decisions.values("token_id"))
    if reward != "value":
        hits = events.count()
        return n, float(hits), float(hits)  # 0/1 rewards: the sum of squares is the sum
    value = Cast("value", FloatField())
    totals = events.aggregate(total=Sum(value), squares=Sum(value * value))
    return n, float(totals["total"] or 0), float(totals["squares"] or 0)


def holdout_lift(*, campaign: Campaign) -> Lift | None:
    """The campaign's reward per decision: served by the policy against the holdout."""
    reward = reward_for(campaign.objective)
    n1, s1, q1 = _group(campaign, reward, holdout=False)
    n0, s0, q0 = _group(campaign, reward, holdout=True)
    found = mean_difference(n1, s1, q1, n0, s0, q0)
    if found is None:
        return None
    diff, low, high, significant = found
    return Lift(reward, n1, n0, s1 / n1, s0 / n0, diff, low, high, significant)


@dataclass(frozen=True)
class FatigueRow:
    variant_id: int
    variant_label: str
    segment_name: str
    earlier_rate: float
    recent_rate: float
    p_value: float
    fatigued: bool
    segment_id: int | None = None


def fatigue_list(*, campaign: Campaign, recent_days: int = 3) -> list[FatigueRow]:
    """Every (creative, segment) with enough daily data, the fatigued ones first."""
    reward = reward_for(campaign.objective)
    success = "clicks" if reward == "clicks" else "conversions"
    days = defaultdict(list)
    labels = {}
    rows = (
        DailyStats.objects.filter(variant__campaign=campaign)
        .values_list("variant_id", "segment_id", "day", "impressions", success)
        .order_by()
    )
    for variant_id, segment_id, day, impressions, hits in rows:
        days[(variant_id, segment_id)].append((day.toordinal(), impressions, hits))
    names = dict(campaign.segments.values_list("pk", "name"))
    for pk, headline in campaign.variants.values_list("pk", "headline"):
        labels[pk] = f"#{pk} {headline[:40]}"
    result = []
    for (variant_id, segment_id), series in days.items():
        test = fatigue_test(series, recent_days=recent_days)
        if test is None:
            continue
        result.append(
            FatigueRow(
                variant_id,
                labels.get(variant_id, f"#{variant_id}"),
                names.get(segment_id, ""),
                test.earlier_rate,
                test.recent_rate,
                test.p_value,
                test.fatigued,
                segment_id,
            )
        )
    result.sort(key=lambda r: (not r.fatigued, r.p_value))
    return result


def decisions_logged(*, campaign: Campaign) -> dict[str, int]:
    return Decision.objects.filter(placement__campaign=campaign).aggregate(
        total=Count("pk"), holdout=Count("pk", filter=Q(holdout=True))
    )


@dataclass(frozen=True)
class DiversityRow:
    segment_name: str
    day: object
    decisions: int
    creatives: int
    entropy_bits: float  # of the creatives served; log2(creatives) when perfectly even


def served_diversity(*, campaign: Campaign, days: int = 7) -> list[DiversityRow]:
    """Entropy of the creatives served per segment per day, over the last `days` days."""
    import datetime
    import math

    from django.db.models.functions import TruncDate
    from django.utils import timezone

    since = timezone.now() - datetime.timedelta(days=days)
    rows = (
        Decision.objects.filter(placement__campaign=campaign, created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values_list("segment_id", "day", "variant_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    groups: dict = defaultdict(list)
    for segment_id, day, _variant, n in rows:
        groups[(segment_id, day)].append(n)
    names = dict(campaign.segments.values_list("pk", "name"))
    result = []
    for (segment_id, day), counts in groups.items():
        total = sum(counts)
        entropy = -sum(c / total * math.log2(c / total) for c in counts)
        result.append(
            DiversityRow(names.get(segment_id, ""), day, total, len(counts), abs(entropy))
        )
    result.sort(key=lambda r: (r.day, r.segment_name), reverse=True)
    return result
