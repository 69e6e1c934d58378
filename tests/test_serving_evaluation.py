"""simulate_traffic and evaluate_policy on a campaign: logged decisions in, estimates out."""

import io
import math
import uuid

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from campaigns.models import Campaign, Decision, Event, Placement
from campaigns.serving.services import evaluation
from campaigns.serving.services.contextual_policy import policy_train
from campaigns.serving.services.evaluation import policy_evaluate
from tests.serving_helpers import activate, make_placement, make_variants

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(campaign, segments, settings):
    settings.STUDIO_SERVING = {**settings.STUDIO_SERVING, "holdout_share": 0.1}
    activate(campaign, segments)
    make_variants(campaign, segments[0], 3)
    make_variants(campaign, segments[1], 3)
    return campaign


def test_simulated_traffic_is_logged_and_evaluated(live):
    out = io.StringIO()
    call_command("simulate_traffic", live.pk, "--decisions", "300", "--seed", "4", stdout=out)
    assert "300 requests" in out.getvalue()
    assert Placement.objects.filter(campaign=live, name="simulated traffic").exists()
    decisions = Decision.objects.filter(placement__campaign=live)
    assert decisions.count() > 250
    assert not decisions.filter(propensity__isnull=True).exists()
    assert decisions.filter(consented=False, user_hash="").exists()
    assert Event.objects.filter(type="impression").count() > 200
    result = policy_evaluate(campaign=live)
    assert result.decisions == decisions.count()
    policies = {row.policy for row in result.rows}
    # No trained contextual version yet: the candidate is fitted on the same log.
    assert {"logged (current)", "uniform", "greedy", "contextual (fit on this log)"} <= policies
    assert any("in-sample" in note for note in result.notes)
    for row in result.rows:
        names = [e.estimator for e in row.estimates]
        assert names == ["replay", "IPS", "SNIPS", "DR"]
        ips = row.estimates[1]
        assert ips.low <= ips.value <= ips.high
        assert all(math.isfinite(x) for e in row.estimates for x in (e.value, e.low, e.high))
    # The logged policy evaluated on its own log is its plain mean (weights are 1).
    current = next(
        r for r in result.rows if r.policy == "logged (current)" and r.metric == "clicks"
    )
    clicks = Event.objects.filter(type="click", token_id__in=decisions.values("token_id")).count()
    assert current.estimates[1].value == pytest.approx(clicks / decisions.count())
    out = io.StringIO()
    call_command("evaluate_policy", live.pk, "--metric", "clicks", stdout=out)
    text = out.getvalue()
    assert "DR" in text and "SNIPS" in text and "thompson, prior" in text
    assert "contextual (fit on this log)" in text
    # Once the worker has trained a version, the candidate is that version, as served.
    trained = policy_train(campaign_id=live.pk)
    result = policy_evaluate(campaign=live)
    label = f"contextual (trained v{trained.version})"
    rows = [r for r in result.rows if r.policy == label]
    assert [r.metric for r in rows] == ["clicks", "conversions", "value"]
    for row in rows:
        assert all(math.isfinite(e.value) and e.low <= e.value <= e.high for e in row.estimates)


def test_commands_refuse_bad_input(live):
    with pytest.raises(CommandError, match="No logged decisions"):
        call_command("evaluate_policy", live.pk)
    with pytest.raises(CommandError, match="No campaign"):
        call_command("simulate_traffic", 999_999)
    with pytest.raises(CommandError, match="positive"):
        call_command("simulate_traffic", live.pk, "--decisions", "0")


def test_analytics_shows_lift_fatigue_and_the_evaluation_page(client, user, live):
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.urls import reverse
    from django.utils import timezone

    from campaigns.models import DailyStats, Variant

    call_command(
        "simulate_traffic", live.pk, "--decisions", "400", "--seed", "2", stdout=io.StringIO()
    )
    variant = Variant.objects.filter(campaign=live).first()
    today = timezone.now().date()
    for age in range(8):  # 4 % conversions per impression for five days, then 1 %
        DailyStats.objects.update_or_create(
            day=today - datetime.timedelta(days=age),
            variant=variant,
            segment=variant.segment,
            defaults={"impressions": 1000, "conversions": 10 if age < 3 else 40},
        )
    live.brand.members.add(user)
    user.user_permissions.add(Permission.objects.get(codename="view_analytics"))
    client.force_login(user)
    response = client.get(reverse("campaigns:analytics", args=[live.pk]))
    assert response.status_code == 200
    lift = response.context["lift"]
    assert lift.policy_decisions + lift.holdout_decisions == Decision.objects.count()
    assert lift.low <= lift.difference <= lift.high
    html = response.content.decode()
    assert "Policy against the holdout" in html and "worn out" in html
    diversity = response.context["diversity"]
    assert sum(r.decisions for r in diversity) == Decision.objects.count()
    for row in diversity:
        assert 0 <= row.entropy_bits <= math.log2(row.creatives) + 1e-9
    worn = response.context["fatigue"][0]
    assert worn.fatigued and worn.variant_id == variant.pk
    url = reverse("campaigns:policy_evaluation", args=[live.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Offline policy evaluation" in html and "SNIPS" in html and "greedy" in html
    assert "contextual (fit on this log)" in html and "in-sample" in html
    outsider = get_user_model().objects.create_user("olive", password="pw-olive-123")
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    outsider.user_permissions.add(Permission.objects.get(codename="view_analytics"))
    client.force_login(get_user_model().objects.get(pk=outsider.pk))
    assert client.get(url).status_code == 404  # not a member of this brand


# Sub-groups that prefer different creatives: on mobile creative 0 is best, on desktop
# creative 1. Uniform rotation earns 0.035; always the sub-group's best, 0.06.
RATES = {"mobile": [0.06, 0.03, 0.03, 0.02], "desktop": [0.03, 0.06, 0.02, 0.03]}


def _uniform_log(campaign, segment, variants, n, seed):
    """n decisions by uniform rotation among the variants, each with its device bucket, an
    impression and a click drawn from the known rates."""
    rng = np.random.default_rng(seed)
    placement, _ = make_placement(campaign)
    ids = [v.pk for v in variants]
    decisions, events = [], []
    for _ in range(n):
        device = str(rng.choice(["mobile", "desktop"]))
        k = int(rng.integers(len(ids)))
        token = uuid.uuid4()
        decisions.append(
            Decision(
                token_id=token,
                placement=placement,
                variant_id=ids[k],
                segment=segment,
                propensity=1 / len(ids),
                policy="uniform/clicks",
                reward="clicks",
                candidate_ids=ids,
                context={"age_band": "25-34", "device": device},
                holdout=True,
            )
        )
        common = {"token_id": token, "placement": placement, "variant_id": ids[k]}
        events.append(Event(type="impression", segment=segment, **common))
        if rng.random() < RATES[device][k]:
            events.append(Event(type="click", segment=segment, **common))
    Decision.objects.bulk_create(decisions)
    Event.objects.bulk_create(events)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_contextual_candidate_finds_what_each_sub_group_prefers(campaign, segments, seed):
    Campaign.objects.filter(pk=campaign.pk).update(objective=Campaign.Objective.TRAFFIC)
    campaign.refresh_from_db()
    activate(campaign, segments)
    variants = make_variants(campaign, segments[0], 4)
    _uniform_log(campaign, segments[0], variants, 3000, seed)
    result = policy_evaluate(campaign=campaign)
    rows = {r.policy: r for r in result.rows if r.metric == "clicks"}
    estimates = {e.estimator: e for e in rows["contextual (fit on this log)"].estimates}
    # The truth of the policy evaluated: its probabilities (as the evaluation computed
    # them, per decision) against the known rates.
    decisions, _outcomes, events = evaluation._logged(campaign, evaluation.MAX_DECISIONS)
    candidates = [list(d[4]) for d in decisions]
    actions = np.array([d[2] for d in decisions])
    *_, (_p, _a, dists) = evaluation._contextual(campaign, decisions, events, candidates, actions)
    position = {v.pk: i for i, v in enumerate(variants)}
    truth = np.mean(
        [
            np.dot(dist, [RATES[d[5]["device"]][position[v]] for v in c])
            for d, c, dist in zip(decisions, candidates, dists, strict=True)
        ]
    )
    uniform_truth = np.mean([np.mean(r) for r in RATES.values()])
    assert uniform_truth < truth <= 0.06  # it learnt (some of) each sub-group's favourite
    for name in ("IPS", "SNIPS", "DR"):
        assert estimates[name].low <= truth <= estimates[name].high
        assert estimates[name].value > uniform_truth
