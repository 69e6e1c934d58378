"""The per-placement rate limit is a sliding window: a burst across a minute boundary
gets one minute's allowance, not two (a fixed window let 60 of 30/min through in 1.5 s).
The clock is the `now` argument, so every case is exact and instant."""

import bisect
import random

import pytest

from campaigns.serving.services.placements import (
    PlacementInfo,
    rate_limit_check,
    rate_limit_exceeded,
)

pytestmark = pytest.mark.django_db
LIMIT = 30


def placement(pk=1, limit=LIMIT):
    return PlacementInfo(pk, "homepage", 1, "square-1080", limit)


def admitted(times, limit=LIMIT, pk=1):
    info = placement(pk, limit)
    return [t for t in times if not rate_limit_exceeded(placement=info, now=t)]


def most_in_any_interval(times, seconds):
    return max(
        bisect.bisect_right(times, t + seconds) - bisect.bisect_left(times, t) for t in times
    )


def test_a_burst_across_a_minute_boundary_gets_one_allowance():
    start = 1_800_000_000 // 60 * 60 + 59.0  # one second before a minute boundary
    burst = [start + i * 0.025 for i in range(60)]  # 60 requests in 1.5 s
    passed = admitted(burst)
    assert len(passed) == LIMIT  # the fixed window let all 60 through


def test_the_allowance_comes_back_as_the_window_slides():
    base = 1_800_000_000 // 60 * 60
    assert len(admitted([base + 59.9] * 40)) == LIMIT
    # Half a minute later half of that burst has slid out of the last 60 s.
    halfway = admitted([base + 90.0] * 40)
    assert len(halfway) == pytest.approx(LIMIT / 2, abs=1)
    # A full window after the burst the whole allowance is back.
    assert len(admitted([base + 180.0] * 40)) == LIMIT


def test_a_steady_client_below_the_limit_is_never_refused():
    base = 1_800_000_000 // 60 * 60 + 17.3
    times = [base + i * 60 / (LIMIT - 3) for i in range(300)]  # 27/min for 11 minutes
    assert admitted(times) == times


def test_a_steady_client_above_the_limit_gets_the_limit():
    base = 1_800_000_000 // 60 * 60
    times = [base + i * 60 / (2 * LIMIT) for i in range(2 * LIMIT * 10)]  # 60/min
    passed = admitted(times)
    assert len(passed) == pytest.approx(10 * LIMIT, abs=LIMIT / 2)
    # +1: the earlier window is weighted as if its requests were evenly spread; for an
    # even client that is true up to the one request that straddles the boundary.
    assert most_in_any_interval(passed, 60) <= LIMIT + 1


@pytest.mark.parametrize("seed", range(6))
def test_no_interval_admits_more_than_a_token_bucket_would(seed):
    """Any d seconds admit at most limit × (1 + d/60): what a token bucket holding one
    minute's allowance admits. In particular a 1.5 s burst never exceeds the limit."""
    rng = random.Random(seed)
    base = 1_800_000_000 // 60 * 60
    times = sorted(
        [base + rng.uniform(50, 60) for _ in range(60)]  # crowd at a boundary
        + [base + rng.uniform(60, 240) for _ in range(600)]
        + [base + 119.5 + rng.uniform(0, 1) for _ in range(80)]  # and at the next
    )
    passed = admitted(times, pk=seed + 10)
    for seconds in (1.5, 10, 30, 60):
        assert most_in_any_interval(passed, seconds) <= LIMIT * (1 + seconds / 60)


def test_placements_have_separate_allowances():
    now = 1_800_000_000.0
    assert len(admitted([now] * 40, pk=1)) == LIMIT
    assert len(admitted([now] * 40, pk=2)) == LIMIT


def test_retry_after_says_when_a_request_would_pass():
    base = 1_800_000_000 // 60 * 60
    info = placement()
    for _ in range(LIMIT):
        assert rate_limit_check(placement=info, now=base + 59.0).allowed
    refused = rate_limit_check(placement=info, now=base + 61.0)
    assert not refused.allowed and 1 <= refused.retry_after <= 120
    assert not rate_limit_check(placement=info, now=base + 61.0 + refused.retry_after - 1.5).allowed
    assert rate_limit_check(placement=info, now=base + 61.0 + refused.retry_after).allowed
