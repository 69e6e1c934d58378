"""Delivery report maths: shares of requests against shares of impressions, and a skew
test of one creative's delivery over coarse context buckets.

Share: a bucket's count over the total of its dimension, so the shares of one dimension
sum to 1. Delivery index: impression share / request share (1 = delivered in proportion
to who asked; 2 = twice as often as the requests would give).

Skew of a creative in a segment, per dimension (age band, device, country): its
impressions per bucket against what the segment's requests would give it, a chi-square
goodness-of-fit test. With thousands of impressions any tiny difference is
"significant", so a flag needs both a small p-value and a large effect: Cohen's
w = sqrt(chi2 / n) of at least 0.3 (Cohen's "medium"; 0.1 small, 0.5 large). Buckets
expected to get fewer than 5 impressions are pooled into one, as the chi-square
approximation asks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

SKEW_ALPHA = 0.001
SKEW_MIN_EFFECT = 0.3  # Cohen's w
SKEW_MIN_IMPRESSIONS = 50
MIN_EXPECTED = 5.0
POOLED = "(small buckets)"


def shares(counts: Mapping[str, float]) -> dict[str, float]:
    total = float(sum(counts.values()))
    return {key: (value / total if total else 0.0) for key, value in counts.items()}


def chi2_sf(x: float, df: int) -> float:
    """P(X >= x) for a chi-square with df degrees of freedom: the regularised upper
    incomplete gamma Q(df/2, x/2) (series below a+1, continued fraction above)."""
    if x <= 0:
        return 1.0
    a, z = df / 2.0, x / 2.0
    log_front = a * math.log(z) - z - math.lgamma(a)
    if z < a + 1:
        term = total = 1.0 / a
        n = a
        while term > total * 1e-15:
            n += 1
            term *= z / n
            total += term
        return max(0.0, 1.0 - total * math.exp(log_front))
    # Lentz's continued fraction for Q.
    tiny = 1e-300
    b = z + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 500):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-15:
            break
    return min(1.0, math.exp(log_front) * h)


@dataclass(frozen=True)
class Skew:
    impressions: int
    chi2: float
    df: int
    p_value: float
    effect: float  # Cohen's w
    over: tuple[str, float] | None  # the most over-delivered bucket and its index
    under: tuple[str, float] | None
    flagged: bool


def _pool(observed: Mapping[str, float], expected: dict[str, float]):
    """Observed and expected per bucket, the buckets expected below MIN_EXPECTED pooled."""
    small = {k for k, e in expected.items() if e < MIN_EXPECTED}
    obs = {k: float(observed.get(k, 0)) for k in expected if k not in small}
    exp = {k: e for k, e in expected.items() if k not in small}
    if small:
        obs[POOLED] = float(sum(observed.get(k, 0) for k in small))
        exp[POOLED] = sum(expected[k] for k in small)
    return obs, exp


def skew_test(observed: Mapping[str, float], request_shares: Mapping[str, float]) -> Skew | None:
    """observed: impressions per bucket; request_shares: the buckets' shares of requests.
    None when there are too few impressions or fewer than two buckets to compare."""
    n = float(sum(observed.values()))
    if n < SKEW_MIN_IMPRESSIONS:
        return None
    expected = {k: n * s for k, s in request_shares.items() if s > 0}
    obs, exp = _pool(observed, expected)
    if len(exp) < 2:
        return None
    chi2 = sum((obs.get(k, 0.0) - e) ** 2 / e for k, e in exp.items())
    df = len(exp) - 1
    p_value = chi2_sf(chi2, df)
    effect = math.sqrt(chi2 / n)
    index = {k: obs.get(k, 0.0) / e for k, e in exp.items() if k != POOLED}
    over = max(index.items(), key=lambda kv: kv[1]) if index else None
    under = min(index.items(), key=lambda kv: kv[1]) if index else None
    flagged = p_value < SKEW_ALPHA and effect >= SKEW_MIN_EFFECT
    return Skew(int(n), chi2, df, p_value, effect, over, under, flagged)
