"""Interval and density maths for the analytics page (no scipy needed)."""

from __future__ import annotations

import math

Z95 = 1.959963984540054


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float] | None:
    """95 % Wilson score interval of a proportion; None without trials."""
    if trials <= 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def beta_pdf(x: float, alpha: float, beta: float) -> float:
    if not 0.0 < x < 1.0:
        return 0.0
    log_norm = math.lgamma(alpha + beta) - math.lgamma(alpha) - math.lgamma(beta)
    return math.exp(log_norm + (alpha - 1) * math.log(x) + (beta - 1) * math.log1p(-x))


def beta_sd(alpha: float, beta: float) -> float:
    total = alpha + beta
    return math.sqrt(alpha * beta / (total * total * (total + 1)))


def mean_difference(
    n1: int, sum1: float, sumsq1: float, n0: int, sum0: float, sumsq0: float, z: float = Z95
):
    """(mean1 - mean0, low, high, significant) from counts, sums and sums of squares; a
    Welch normal interval, fit for rates (0/1 rewards) and values alike. None without data."""
    if n1 < 2 or n0 < 2:
        return None
    m1, m0 = sum1 / n1, sum0 / n0
    v1 = max(sumsq1 / n1 - m1 * m1, 0.0) * n1 / (n1 - 1)
    v0 = max(sumsq0 / n0 - m0 * m0, 0.0) * n0 / (n0 - 1)
    half = z * math.sqrt(v1 / n1 + v0 / n0)
    diff = m1 - m0
    return diff, diff - half, diff + half, (diff - half > 0) or (diff + half < 0)
