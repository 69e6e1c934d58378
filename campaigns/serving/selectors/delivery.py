"""The delivery report: who asked for creatives against who got impressions.

Requests are the served decisions (one Decision row each, holdout included) plus the
no-fill counters (NoFillDaily); impressions are the decisions an impression event came
back for. Per dimension (segment, age band, device, country) each bucket's share of
requests is set against its share of impressions; both sum to 1 over a dimension.

Skew is tested per creative and segment, per context dimension, against the requests of
that segment (a segment is itself a selection by rules, so comparing a creative with all
requests would flag every one): studio.serving.delivery.skew_test. Across segments a
creative is not compared: each creative is made for one segment.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Sum
from django.db.models.fields.json import KT
from django.utils import timezone

from campaigns.models import Campaign, Decision, Event, FatigueEvent, NoFillDaily
from studio.serving.context import CONTEXT_KEYS
from studio.serving.delivery import Skew, shares, skew_test

DIMENSIONS = {
    "segment": "Segment",
    "age_band": "Age band",
    "device": "Device",
    "country": "Country",
}
UNKNOWN = "unknown"
UNMATCHED = "No segment matched"


@dataclass(frozen=True)
class ShareRow:
    label: str
    requests: int
    request_share: float
    impressions: int
    impression_share: float

    @property
    def index(self) -> float | None:
        """Impression share over request share: 1 = in proportion."""
        return self.impression_share / self.request_share if self.request_share else None


@dataclass(frozen=True)
class SkewRow:
    variant_id: int
    variant_label: str
    segment_name: str
    dimension: str
    skew: Skew


@dataclass
class DeliveryReport:
    days: int
    requests: int = 0
    served: int = 0
    holdout: int = 0
    impressions: int = 0
    no_fill: dict[str, int] = field(default_factory=dict)  # reason label -> requests
    dimensions: dict[str, list[ShareRow]] = field(default_factory=dict)  # by label
    skews: list[SkewRow] = field(default_factory=list)  # every pair tested, flagged first

    @property
    def flagged(self) -> list[SkewRow]:
        return [row for row in self.skews if row.skew.flagged]


@dataclass(frozen=True)
class _Cell:
    segment_id: int | None
    buckets: tuple[str, ...]  # in CONTEXT_KEYS order, UNKNOWN where missing
    variant_id: int | None
    requests: int
    impressions: int


def _cells(campaign: Campaign, since: datetime.datetime) -> tuple[list[_Cell], dict, int]:
    shown = Event.objects.filter(token_id=OuterRef("token_id"), type=Event.Type.IMPRESSION)
    keys = {key: KT(f"context__{key}") for key in CONTEXT_KEYS}
    decisions = (
        Decision.objects.filter(placement__campaign=campaign, created_at__gte=since)
        .annotate(shown=Exists(shown), **{f"ctx_{k}": v for k, v in keys.items()})
        .values("segment_id", "variant_id", "holdout", "shown", *(f"ctx_{k}" for k in keys))
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells, holdout = [], 0
    for row in decisions:
        buckets = tuple(row[f"ctx_{k}"] or UNKNOWN for k in CONTEXT_KEYS)
        seen = row["n"] if row["shown"] else 0
        cells.append(_Cell(row["segment_id"], buckets, row["variant_id"], row["n"], seen))
        holdout += row["n"] if row["holdout"] else 0
    no_fill: dict[str, int] = defaultdict(int)
    reasons = dict(NoFillDaily.Reason.choices)
    counters = (
        NoFillDaily.objects.filter(placement__campaign=campaign, day__gte=since.date())
        .values_list("segment_id", "reason", *CONTEXT_KEYS)
        .annotate(n=Sum("requests"))
        .order_by()
    )
    for segment_id, reason, *buckets, n in counters:
        cells.append(_Cell(segment_id, tuple(b or UNKNOWN for b in buckets), None, n, 0))
        no_fill[reasons.get(reason, reason)] += n
    return cells, dict(no_fill), holdout


def delivery_report(*, campaign: Campaign, days: int = 30) -> DeliveryReport:
    since = timezone.now() - datetime.timedelta(days=days)
    cells, no_fill, holdout = _cells(campaign, since)
    report = DeliveryReport(days=days, no_fill=no_fill, holdout=holdout)
    report.requests = sum(c.requests for c in cells)
    report.served = sum(c.requests for c in cells if c.variant_id is not None)
    report.impressions = sum(c.impressions for c in cells)
    names = dict(campaign.segments.values_list("pk", "name"))
    for dim in DIMENSIONS:
        requests, impressions = _by_bucket(cells, dim, names)
        request_shares, impression_shares = shares(requests), shares(impressions)
        rows = [
            ShareRow(b, requests[b], request_shares[b], impressions[b], impression_shares[b])
            for b in requests
        ]
        report.dimensions[DIMENSIONS[dim]] = sorted(rows, key=lambda r: (-r.requests, r.label))
    report.skews = _skews(cells, campaign, names)
    return report


def _bucket(cell: _Cell, dim: str, names: dict[int, str]) -> str:
    if dim == "segment":
        return names.get(cell.segment_id, UNMATCHED) if cell.segment_id else UNMATCHED
    return cell.buckets[CONTEXT_KEYS.index(dim)]


def _by_bucket(cells, dim, names) -> tuple[dict[str, int], dict[str, int]]:
    requests: dict[str, int] = defaultdict(int)
    impressions: dict[str, int] = defaultdict(int)
    for cell in cells:
        bucket = _bucket(cell, dim, names)
        requests[bucket] += cell.requests
        impressions[bucket] += cell.impressions
    return dict(requests), dict(impressions)


def _skews(cells: list[_Cell], campaign: Campaign, names: dict[int, str]) -> list[SkewRow]:
    labels = {pk: f"#{pk} {h[:40]}" for pk, h in campaign.variants.values_list("pk", "headline")}
    by_segment: dict[int, list[_Cell]] = defaultdict(list)
    for cell in cells:
        if cell.segment_id is not None:
            by_segment[cell.segment_id].append(cell)
    result = []
    for segment_id, group in by_segment.items():
        variants = {c.variant_id for c in group if c.variant_id is not None}
        for dim in CONTEXT_KEYS:
            requests, _ = _by_bucket(group, dim, names)
            request_shares = shares(requests)
            for variant_id in variants:
                observed: dict[str, int] = defaultdict(int)
                for c in group:
                    if c.variant_id == variant_id:
                        observed[_bucket(c, dim, names)] += c.impressions
                skew = skew_test(observed, request_shares)
                if skew is not None:
                    label = labels.get(variant_id, f"#{variant_id}")
                    name = names.get(segment_id, "")
                    result.append(SkewRow(variant_id, label, name, DIMENSIONS[dim], skew))
    result.sort(key=lambda r: (not r.skew.flagged, -r.skew.effect))
    return result


def fatigue_events(*, campaign: Campaign, limit: int = 20):
    """The newest fatigue episodes and what their action did, for the analytics page."""
    return (
        FatigueEvent.objects.filter(campaign=campaign)
        .select_related("variant", "segment", "job", "resumed_by")
        .order_by("-created_at", "-pk")[:limit]
    )
