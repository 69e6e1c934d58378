"""Simulated traffic for a demo: synthetic users ask for creatives through the real
decision path and report impressions, clicks and conversions drawn from hidden rates,
so the analytics page and the offline evaluation have logged decisions to work on.

Only for demos and benchmarks: it writes real Decision and Event rows through a
placement of its own ("simulated traffic"), never through a customer's placement.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from campaigns.models import AudienceSegment, Campaign, Placement, Variant
from campaigns.rules import DEVICES
from campaigns.serving.services.decisions import DecideRequest, decision_make
from campaigns.serving.services.placements import (
    placement_authenticate,
    placement_create,
    placement_rotate_key,
)
from campaigns.serving.services.tracking import event_record

PLACEMENT_NAME = "simulated traffic"
COUNTRIES = ("GB", "US", "DE", "FR", "ES")


@dataclass(frozen=True)
class TrafficSummary:
    decisions: int
    served: int
    impressions: int
    clicks: int
    conversions: int
    revenue: float


def _placement(campaign: Campaign):
    placement = Placement.objects.filter(campaign=campaign, name=PLACEMENT_NAME).first()
    if placement is None:
        fmt = campaign.formats.filter(is_active=True).order_by("pk").first()
        if fmt is None:
            raise ValueError("The campaign has no active format to serve.")
        placement, key = placement_create(campaign=campaign, name=PLACEMENT_NAME, format=fmt)
    else:
        key = placement_rotate_key(placement=placement)
    return placement_authenticate(raw_key=key)


def _user(rng, rules: dict) -> dict:
    age = rules.get("age") or {}
    low, high = int(age.get("min") or 18), int(age.get("max") or 70)
    features = {"age": int(rng.integers(low, high + 1))}
    interests = rules.get("interests") or ["outdoors"]
    features["interests"] = [str(rng.choice(interests))]
    features["device"] = str(rng.choice(rules.get("devices") or DEVICES))
    features["country"] = str(rng.choice(rules.get("countries") or COUNTRIES))
    if rules.get("locales"):
        features["locale"] = str(rng.choice(rules["locales"]))
    return features


def traffic_simulate(
    *, campaign: Campaign, decisions: int = 2000, seed: int = 0, consent_share: float = 0.7
) -> TrafficSummary:
    if campaign.status != Campaign.Status.ACTIVE:
        raise ValueError("Only an active campaign serves; activate it first.")
    rng = np.random.default_rng(seed)
    placement = _placement(campaign)
    segments = list(AudienceSegment.objects.filter(campaign=campaign).order_by("pk"))
    if not segments:
        raise ValueError("The campaign has no audience segments.")
    # Hidden rates per creative: what the policy has to find out.
    variant_ids = list(Variant.objects.filter(campaign=campaign).values_list("pk", flat=True))
    hidden = {
        v: (
            float(np.clip(0.03 * rng.lognormal(0, 0.5), 0.002, 0.3)),  # CTR
            float(rng.uniform(0.03, 0.2)),  # conversions per click
            float(rng.lognormal(4.0, 0.4)),  # mean order value
        )
        for v in variant_ids
    }
    served = impressions = clicks = conversions = 0
    revenue = 0.0
    for _ in range(decisions):
        segment = segments[int(rng.integers(len(segments)))]
        consent = bool(rng.random() < consent_share)
        request = DecideRequest(
            features=_user(rng, segment.rules or {}),
            consent=consent,
            user_id=f"sim-{int(rng.integers(decisions // 3 + 1))}" if consent else None,
        )
        result = decision_make(placement=placement, request=request, rng=rng)
        if result.variant_id is None:
            continue
        served += 1
        if rng.random() > 0.95:
            continue  # not every served creative is seen
        ctr, cvr, order_value = hidden[result.variant_id]
        token = result.tracking_token
        event_record(placement=placement, token=token, type="impression")
        impressions += 1
        if rng.random() < ctr:
            event_record(placement=placement, token=token, type="click")
            clicks += 1
            if rng.random() < cvr:
                value = Decimal(str(round(rng.exponential(order_value), 2)))
                event_record(placement=placement, token=token, type="conversion", value=value)
                conversions += 1
                revenue += float(value)
    return TrafficSummary(decisions, served, impressions, clicks, conversions, revenue)
