"""The delivery report: no-fill requests counted with their coarse context, shares of
requests against shares of impressions, and the skew flag."""

import math
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from campaigns.models import Decision, Event, NoFillDaily
from campaigns.serving.selectors.delivery import UNMATCHED, delivery_report
from campaigns.serving.services.delivery import no_fill_record
from campaigns.serving.services.placements import placement_authenticate
from studio.serving.delivery import chi2_sf, shares, skew_test
from tests.serving_helpers import TRAIL_USER, activate, make_placement, make_variants, post

pytestmark = pytest.mark.django_db
DECIDE = reverse("campaigns:api_decide")
USER = {**TRAIL_USER, "country": "DE"}  # age 30, desktop


def decide(client, key, features=USER):
    response = post(client, DECIDE, key, {"features": features, "consent": False})
    assert response.status_code == 200, response.content
    return response.json()


def test_chi_square_tail_matches_known_values():
    assert chi2_sf(3.841458820694124, 1) == pytest.approx(0.05, rel=1e-9)
    assert chi2_sf(9.487729036781154, 4) == pytest.approx(0.05, rel=1e-9)
    assert chi2_sf(0.0, 3) == 1.0
    # Large statistic: the continued-fraction branch, against the closed form for df=2.
    assert chi2_sf(60.0, 2) == pytest.approx(math.exp(-30.0), rel=1e-9)


def test_skew_needs_a_significant_and_large_difference():
    requests = {"mobile": 0.5, "desktop": 0.5}
    assert not skew_test({"mobile": 510, "desktop": 490}, requests).flagged
    # 5,000 impressions at 53 / 47: significant, but a small effect (w = 0.06).
    small = skew_test({"mobile": 2650, "desktop": 2350}, requests)
    assert small.p_value < 0.001 and small.effect < 0.3 and not small.flagged
    big = skew_test({"mobile": 95, "desktop": 5}, requests)
    assert big.flagged and big.over == ("mobile", pytest.approx(1.9))
    assert big.under == ("desktop", pytest.approx(0.1))
    assert skew_test({"mobile": 10}, requests) is None  # too few impressions to judge


def test_no_fill_reasons_are_counted_with_their_coarse_buckets(client, campaign, segments):
    _, key = make_placement(campaign)
    decide(client, key)  # draft campaign: inactive
    activate(campaign, segments, size=10)  # below k-anonymity: no segment can be targeted
    decide(client, key)
    decide(client, key)
    activate(campaign, segments)  # targetable, but no approved creative
    body = decide(client, key)
    assert body["variant_id"] is None and body["explanation"]["no_fill"]
    rows = {r.reason: r for r in NoFillDaily.objects.all()}
    assert rows["inactive"].requests == 1 and rows["inactive"].segment is None
    assert rows["no_segment"].requests == 2 and rows["no_segment"].segment is None
    assert rows["no_creative"].requests == 1 and rows["no_creative"].segment == segments[0]
    for row in rows.values():  # coarse buckets only: nothing about the user beyond them
        assert (row.age_band, row.device, row.country) == ("25-34", "desktop", "DE")
    assert not Decision.objects.exists()


def test_unknown_no_fill_reason_is_refused_and_nothing_stored(campaign):
    placement, _ = make_placement(campaign)
    with pytest.raises(ValueError, match="Unknown no-fill reason"):
        no_fill_record(placement_id=placement.pk, segment_id=None, reason="bored", context={})
    assert not NoFillDaily.objects.exists()


@pytest.fixture
def mixed(client, campaign, segments):
    """Served requests with impressions on most, and no-fills; returns the report."""
    activate(campaign, segments)
    make_variants(campaign, segments[0], 2)
    placement, key = make_placement(campaign)
    info = placement_authenticate(raw_key=key)
    served = [decide(client, key) for _ in range(6)]
    served += [decide(client, key, {**USER, "device": "mobile", "age": 40}) for _ in range(2)]
    for body in served[:5]:
        post(
            client,
            reverse("campaigns:api_events"),
            key,
            {"token": body["tracking_token"], "type": "impression"},
        )
    for _ in range(3):
        no_fill_record(placement_id=info.id, segment_id=None, reason="no_segment", context={})
    no_fill_record(
        placement_id=info.id,
        segment_id=segments[1].pk,
        reason="no_creative",
        context={"device": "mobile"},
    )
    return delivery_report(campaign=campaign)


def test_shares_sum_to_one_per_dimension_and_count_every_request(mixed, segments):
    report = mixed
    assert (report.requests, report.served, report.impressions) == (12, 8, 5)
    assert report.no_fill == {"No segment matched": 3, "No eligible creative": 1}
    assert set(report.dimensions) == {"Segment", "Age band", "Device", "Country"}
    for rows in report.dimensions.values():
        assert sum(r.request_share for r in rows) == pytest.approx(1.0)
        assert sum(r.impression_share for r in rows) == pytest.approx(1.0)
        assert sum(r.requests for r in rows) == 12 and sum(r.impressions for r in rows) == 5
    by_segment = {r.label: r for r in report.dimensions["Segment"]}
    assert by_segment[UNMATCHED].requests == 3 and by_segment[UNMATCHED].impressions == 0
    assert by_segment["Trail runners"].request_share == pytest.approx(8 / 12)
    assert by_segment["Trail runners"].impression_share == pytest.approx(1.0)
    assert by_segment["Trail runners"].index == pytest.approx(1.5)
    devices = {r.label: r for r in report.dimensions["Device"]}
    assert devices["unknown"].requests == 3 and devices["mobile"].requests == 3


def test_analytics_page_shows_the_delivery_report(client, mixed, campaign, make_user):
    viewer = make_user("ana", role="Campaign manager", brand=campaign.brand)
    client.force_login(viewer)
    html = client.get(reverse("campaigns:analytics", args=[campaign.pk])).content.decode()
    assert "Delivery" in html and "By segment" in html and UNMATCHED in html
    assert "no segment matched 3" in html and "no eligible creative 1" in html
    assert "66.7%" in html  # Trail runners' share of the 12 requests


def skewed_traffic(campaign, segment, placement, variant, devices):
    """Decisions of one creative with the given device per request, each with an
    impression; the segment's other requests come from no-fills."""
    for device in devices:
        token = uuid.uuid4()
        Decision.objects.create(
            token_id=token,
            placement=placement,
            variant=variant,
            segment=segment,
            consented=False,
            context={"device": device},
        )
        Event.objects.create(
            token_id=token,
            type="impression",
            placement=placement,
            variant=variant,
            segment=segment,
        )


def test_a_skewed_creative_is_flagged_and_a_proportional_one_is_not(campaign, segments):
    activate(campaign, segments)
    skewed, fair = make_variants(campaign, segments[0], 2)
    placement, _ = make_placement(campaign)
    # The segment's requests are half mobile, half desktop; the first creative went
    # almost only to mobile, the second in proportion.
    skewed_traffic(campaign, segments[0], placement, skewed, ["mobile"] * 95 + ["desktop"] * 5)
    skewed_traffic(campaign, segments[0], placement, fair, ["mobile"] * 50 + ["desktop"] * 50)
    for _ in range(45):
        no_fill_record(
            placement_id=placement.pk,
            segment_id=segments[0].pk,
            reason="no_creative",
            context={"device": "desktop"},
        )
    for _ in range(5):
        no_fill_record(
            placement_id=placement.pk,
            segment_id=segments[0].pk,
            reason="no_creative",
            context={"device": "mobile"},
        )
    report = delivery_report(campaign=campaign)
    device_tests = {r.variant_id: r for r in report.skews if r.dimension == "Device"}
    assert device_tests[skewed.pk].skew.flagged
    assert device_tests[skewed.pk].skew.over[0] == "mobile"
    assert not device_tests[fair.pk].skew.flagged
    assert [r.variant_id for r in report.flagged] == [skewed.pk]


def test_delivery_report_command(campaign, segments, capsys):
    activate(campaign, segments)
    placement, _ = make_placement(campaign)
    no_fill_record(placement_id=placement.pk, segment_id=None, reason="no_segment", context={})
    call_command("delivery_report", str(campaign.pk))
    out = capsys.readouterr().out
    assert "1 requests" in out and UNMATCHED in out


def test_shares_of_nothing_are_zero():
    assert shares({"a": 0, "b": 0}) == {"a": 0.0, "b": 0.0}


def test_page_needs_analytics_permission_and_brand(client, mixed, campaign, make_user):
    other_brand = type(campaign.brand).objects.create(name="Other", voice="x", palette=[])
    outsider = make_user("olly", role="Campaign manager", brand=other_brand)
    designer = make_user("dana", role="Designer", brand=campaign.brand)
    url = reverse("campaigns:analytics", args=[campaign.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(designer)
    assert client.get(url).status_code == 403
