"""The analytics page, its CSV and its spend form: numbers, intervals, plots, scoping."""

import csv
import io
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from campaigns.models import Brand, Campaign
from campaigns.serving.services.placements import placement_authenticate
from campaigns.serving.services.tokens import TrackingToken, token_sign
from campaigns.serving.services.tracking import event_record
from tests.serving_helpers import activate, make_placement, make_variants

pytestmark = pytest.mark.django_db


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


def send(placement, variant, segment, impressions, clicks, conversions=0, value=Decimal(0)):
    info = placement_authenticate(raw_key=placement[1])
    for i in range(impressions):
        token = token_sign(TrackingToken(uuid.uuid4(), info.id, variant.pk, segment.pk))
        event_record(placement=info, token=token, type="impression")
        if i < clicks:
            event_record(placement=info, token=token, type="click")
        if i < conversions:
            event_record(placement=info, token=token, type="conversion", value=value)


@pytest.fixture
def traffic(campaign, segments, user):
    activate(campaign, segments)
    campaign.brand.members.add(user)
    grant(user, "view_analytics")
    placement = make_placement(campaign)
    good = make_variants(campaign, segments[0], 1, headline="<b>Run</b> free")[0]
    other = make_variants(campaign, segments[1], 1)[0]
    send(placement, good, segments[0], 100, 10, 2, Decimal("25.00"))
    send(placement, other, segments[1], 50, 1)
    Campaign.objects.filter(pk=campaign.pk).update(spend=Decimal("30.00"))
    return good, other


def test_page_shows_rates_intervals_roas_and_plots(client, user, campaign, traffic):
    client.force_login(user)
    response = client.get(reverse("campaigns:analytics", args=[campaign.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    report = response.context["report"]
    assert (report.total.impressions, report.total.clicks, report.total.conversions) == (150, 11, 2)
    trail = report.by_segment[0]
    assert trail.label == "Trail runners" and trail.ctr == pytest.approx(0.1)
    assert trail.ctr_ci == pytest.approx((0.0552, 0.1744), abs=1e-4)
    assert trail.cvr == pytest.approx(0.2)
    assert trail.spend == Decimal("20.00") and trail.roas == pytest.approx(2.5)
    assert report.total.roas == pytest.approx(50 / 30)
    assert "10.00%" in html and "5.52–17.44%" in html
    assert html.count('role="img"') == 3  # CTR over time + one posterior plot per segment
    assert "CTR over time" in html and "Posterior CTR: Trail runners" in html
    # User text is escaped in tables, legends and SVG titles alike.
    assert "<b>Run</b>" not in html and "&lt;b&gt;Run&lt;/b&gt; free" in html


def test_csv_has_one_row_per_variant_and_segment(client, user, campaign, traffic):
    client.force_login(user)
    response = client.get(reverse("campaigns:analytics_csv", args=[campaign.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    trail = next(r for r in rows if r["segment"] == "Trail runners")
    assert trail["impressions"] == "100" and trail["clicks"] == "10"
    assert float(trail["ctr"]) == pytest.approx(0.1) and float(trail["roas"]) == pytest.approx(2.5)
    assert float(trail["ctr_low"]) < 0.1 < float(trail["ctr_high"])


def test_permission_and_brand_scoping(client, campaign, traffic):
    outsider = get_user_model().objects.create_user("olive", password="pw-olive-123")
    client.force_login(outsider)
    url = reverse("campaigns:analytics", args=[campaign.pk])
    assert client.get(url).status_code == 403
    grant(outsider, "view_analytics")
    outsider = get_user_model().objects.get(pk=outsider.pk)
    client.force_login(outsider)
    assert client.get(url).status_code == 404  # not a member of this brand
    Brand.objects.get(pk=campaign.brand_id).members.add(outsider)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_spend_form(client, user, campaign, traffic):
    client.force_login(user)
    url = reverse("campaigns:analytics_spend", args=[campaign.pk])
    assert client.post(url, {"spend": "99"}).status_code == 403
    grant(user, "change_campaign")
    client.force_login(get_user_model().objects.get(pk=user.pk))
    assert client.get(url).status_code == 405
    response = client.post(url, {"spend": "-5"}, follow=True)
    assert "cannot be negative" in response.content.decode()
    client.post(url, {"spend": "abc"})
    campaign.refresh_from_db()
    assert campaign.spend == Decimal("30.00")
    client.post(url, {"spend": "125.50"})
    campaign.refresh_from_db()
    assert campaign.spend == Decimal("125.50")


def test_empty_campaign_page(client, user, campaign):
    campaign.brand.members.add(user)
    grant(user, "view_analytics")
    client.force_login(user)
    response = client.get(reverse("campaigns:analytics", args=[campaign.pk]))
    assert response.status_code == 200 and "No events yet" in response.content.decode()
