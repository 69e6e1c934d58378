"""Wear-out: evidence that fades with age, and a fatigue test on daily totals.

Discounting: a day's impressions and successes count 0.5 ** (age / half_life), so a
creative whose rate falls loses its lead within a few half-lives instead of coasting on
its history. Fatigue: the last `recent_days` against the days before, a one-sided
two-proportion z-test (the rate fell), flagged below `alpha` with enough impressions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

Totals = tuple[float, ...]  # impressions, clicks, conversions, revenue, hides


def day_weight(age_days: float, half_life_days: float) -> float:
    if half_life_days <= 0:
        return 1.0
    return 0.5 ** (max(age_days, 0.0) / half_life_days)


def discounted_totals(
    daily: Iterable[tuple[object, int, Totals]],
    totals: dict[object, Totals],
    *,
    today: int,
    half_life_days: float,
    lookback_days: int,
) -> dict[object, Totals]:
    """Per key, the daily rows (key, day ordinal, totals) weighted by age; what the
    running totals hold beyond those days (older, or never dated) counts at the weight
    of the lookback horizon."""
    out: dict[object, list[float]] = {}
    dated: dict[object, list[float]] = {}
    for key, day, row in daily:
        weight = day_weight(today - day, half_life_days)
        acc = out.setdefault(key, [0.0] * len(row))
        seen = dated.setdefault(key, [0.0] * len(row))
        for i, value in enumerate(row):
            acc[i] += weight * float(value)
            seen[i] += float(value)
    old_weight = day_weight(lookback_days, half_life_days)
    for key, row in totals.items():
        acc = out.setdefault(key, [0.0] * len(row))
        seen = dated.get(key, [0.0] * len(row))
        for i, value in enumerate(row):
            acc[i] += old_weight * max(float(value) - seen[i], 0.0)
    return {key: tuple(row) for key, row in out.items()}


@dataclass(frozen=True)
class Fatigue:
    earlier_rate: float
    recent_rate: float
    z: float
    p_value: float
    fatigued: bool


def fatigue_test(
    days: list[tuple[int, int, int]],
    *,
    recent_days: int = 3,
    alpha: float = 0.01,
    min_impressions: int = 200,
) -> Fatigue | None:
    """days: (day ordinal, impressions, successes), any order. None when there is too
    little on either side to say anything."""
    if not days:
        return None
    last = max(d for d, _, _ in days)
    recent = [(n, s) for d, n, s in days if d > last - recent_days]
    earlier = [(n, s) for d, n, s in days if d <= last - recent_days]
    n1, s1 = sum(n for n, _ in earlier), sum(s for _, s in earlier)
    n2, s2 = sum(n for n, _ in recent), sum(s for _, s in recent)
    if n1 < min_impressions or n2 < min_impressions:
        return None
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    se = math.sqrt(max(pooled * (1 - pooled) * (1 / n1 + 1 / n2), 1e-300))
    z = (p1 - p2) / se
    p_value = 0.5 * math.erfc(z / math.sqrt(2))  # one-sided: P(Z >= z)
    return Fatigue(p1, p2, z, p_value, p_value < alpha)
