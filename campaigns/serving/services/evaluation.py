"""Offline evaluation of serving policies on a campaign's logged decisions.

Each logged decision (with its propensity) is replayed against candidate policies: the
logging policy itself, uniform rotation, greedy on the logged means, Thompson sampling
with other prior strengths, and the contextual policy (linear Thompson sampling over the
decision's coarse context buckets). The Thompson candidates' probabilities come from a
snapshot of the posteriors built from the same log (an in-sample approximation: the
posteriors a candidate would really have had move as it learns). The contextual
candidate uses the campaign's latest trained version when there is one, otherwise a
model fitted from the same log by the trainer's own code (in-sample again); its row's
label says which. Rewards are per decision: a decision without an impression counts as
shown without effect. studio.serving.ope does the maths.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np
from django.conf import settings

from campaigns.models import Campaign, Decision, Event
from campaigns.serving.services import contextual_policy
from studio.serving import ope
from studio.serving.contextual import SegmentModel
from studio.serving.propensity import beta_propensity
from studio.serving.rewards import reward_for

METRICS = ("clicks", "conversions", "value")
MAX_DECISIONS = 50_000


@dataclass(frozen=True)
class PolicyEvaluation:
    policy: str
    metric: str
    estimates: list[ope.Estimate]


@dataclass(frozen=True)
class Evaluation:
    campaign_id: int
    decisions: int
    reward: str
    rows: list[PolicyEvaluation]
    notes: tuple[str, ...] = ()  # where a candidate's model came from


def _logged(campaign: Campaign, limit: int):
    """The newest decisions (token, segment, variant, propensity, candidates, context), the
    outcomes per token ([clicked, converted, value]) and their events (pk, token, type,
    variant, segment), for fitting the contextual candidate as the trainer would."""
    decisions = list(
        Decision.objects.filter(placement__campaign=campaign, propensity__gt=0)
        .order_by("-created_at")
        .values_list(
            "token_id", "segment_id", "variant_id", "propensity", "candidate_ids", "context"
        )[:limit]
    )
    outcomes: dict = defaultdict(lambda: [0.0, 0.0, 0.0])
    events = []
    tokens = [d[0] for d in decisions]
    for start in range(0, len(tokens), 5000):
        rows = Event.objects.filter(token_id__in=tokens[start : start + 5000]).values_list(
            "pk", "token_id", "type", "variant_id", "segment_id", "value"
        )
        for pk, token_id, kind, variant_id, segment_id, value in rows:
            events.append((pk, token_id, kind, variant_id, segment_id))
            row = outcomes[token_id]
            if kind == Event.Type.CLICK:
                row[0] = 1.0
            elif kind == Event.Type.CONVERSION:
                row[1] = 1.0
                row[2] += float(value)
    return decisions, outcomes, events


def _contextual(campaign: Campaign, decisions, events, candidates, actions):
    """The contextual policy's label, a note on its model and, per decision: P(logged action) given the
    decision's context buckets and candidates, the action it would take (for replay) and
    its distribution over the candidates (for DR). The model: the campaign's latest
    trained version, else one fitted from this log with the trainer's cells and fit."""
    latest = contextual_policy.policy_latest(campaign_id=campaign.pk)
    if latest is not None:
        reward = latest.state["reward"]
        models = contextual_policy.state_models(latest.state)
        label = f"contextual (trained v{latest.version})"
        note = (
            f"{label}: the campaign's latest trained contextual policy, as served "
            "(its training events may overlap this log)."
        )
    else:
        reward = contextual_policy.learnt_reward(campaign.objective)
        cells: dict = {}
        contexts = {d[0]: d[5] for d in decisions}
        contextual_policy.cells_add(cells=cells, events=events, reward=reward, contexts=contexts)
        models = contextual_policy.segments_fit(campaign=campaign, cells=cells, reward=reward)
        label = "contextual (fit on this log)"
        note = (
            f"{label}: no trained version yet, so a model fitted on these decisions by "
            "the trainer's own code (in-sample)."
        )
    # A creative the model has not seen starts from its score prior (serving starts it
    # from the Beta posterior mean: close, as such a creative has little evidence).
    base = contextual_policy.base_rate(reward)
    priors = contextual_policy.prior_means(
        variant_ids={v for c in candidates for v in c}, reward=reward
    )
    config = contextual_policy.CONFIG
    rng = np.random.default_rng(1)
    restricted: dict = {}
    memo: dict = {}
    probs = np.zeros(len(actions))
    chosen = np.zeros(len(actions), dtype=np.int64)
    dists = []
    for i, (d, c) in enumerate(zip(decisions, candidates, strict=True)):
        segment, context = d[1], d[5] or {}
        key = (segment, contextual_policy.context_key(context), tuple(c))
        p = memo.get(key)
        if p is None:
            model = restricted.get((segment, key[2]))
            if model is None:
                full = models.get(segment) or SegmentModel.empty(base, config, config.dims)
                model = full.restrict(c, [priors.get(v, base) for v in c])
                restricted[(segment, key[2])] = model
            p = model.propensities(rng, model.context_index(context), np.ones(len(c), bool))
            p = memo[key] = p / p.sum()
        probs[i] = p[c.index(actions[i])]
        chosen[i] = c[int(rng.choice(len(c), p=p))]
        dists.append(p)
    return label, note, (probs, chosen, dists)


def _target_policies(segments, actions, candidates, q_table, rewards_by_arm):
    """Per candidate policy and decision: P(logged action), the action it would take (for
    replay) and its whole distribution over the candidates (for DR)."""
    n = len(actions)
    rng = np.random.default_rng(0)
    policies = {}
    uniform_p = np.array([1.0 / len(c) for c in candidates])
    uniform_a = np.array([c[int(rng.integers(len(c)))] for c in candidates])
    policies["uniform"] = (uniform_p, uniform_a, [np.full(len(c), 1 / len(c)) for c in candidates])
    greedy_a = np.array(
        [
            max(c, key=lambda v, s=s: q_table(s, v))
            for s, c in zip(segments, candidates, strict=True)
        ]
    )
    greedy_dist = [
        np.array([float(v == g) for v in c]) for c, g in zip(candidates, greedy_a, strict=True)
    ]
    policies["greedy"] = ((greedy_a == actions).astype(float), greedy_a, greedy_dist)
    base = settings.STUDIO_SERVING["prior_ctr"]
    for strength in (2.0, settings.STUDIO_SERVING["prior_strength"], 100.0):
        memo: dict = {}
        probs = np.zeros(n)
        chosen = np.zeros(n, dtype=np.int64)
        dists = []
        for i, (s, c) in enumerate(zip(segments, candidates, strict=True)):
            key = (s, tuple(c))
            if key not in memo:
                trials = np.array([rewards_by_arm[(s, v)][0] for v in c], dtype=float)
                wins = np.array([rewards_by_arm[(s, v)][1] for v in c], dtype=float)
                alpha = base * strength + wins
                beta = (1 - base) * strength + trials - wins
                p = np.array([beta_propensity(alpha, beta, k) for k in range(len(c))])
                memo[key] = p / p.sum()
            p = memo[key]
            probs[i] = p[c.index(actions[i])]
            chosen[i] = c[int(rng.choice(len(c), p=p))]
            dists.append(p)
        policies[f"thompson, prior {strength:g}"] = (probs, chosen, dists)
    return policies


def policy_evaluate(*, campaign: Campaign, limit: int = MAX_DECISIONS) -> Evaluation:
    decisions, outcomes, events = _logged(campaign, limit)
    reward = reward_for(campaign.objective)
    if not decisions:
        return Evaluation(campaign.pk, 0, reward, [])
    tokens = [d[0] for d in decisions]
    segments = [d[1] for d in decisions]
    actions = np.array([d[2] for d in decisions])
    logging_p = np.array([d[3] for d in decisions])
    candidates = [list(d[4]) or [d[2]] for d in decisions]
    rows = []
    column = {"clicks": 0, "conversions": 1, "value": 2}
    target_rewards = np.array([outcomes[t][column[reward]] for t in tokens])
    trials = defaultdict(lambda: [0, 0.0])
    for s, a, r in zip(segments, actions, target_rewards, strict=True):
        trials[(s, int(a))][0] += 1
        trials[(s, int(a))][1] += min(r, 1.0) if reward != "value" else (r > 0)
    q_reward = ope.mean_reward_model(
        segments, actions.tolist(), target_rewards, float(target_rewards.mean())
    )
    policies = _target_policies(segments, actions, candidates, q_reward, trials)
    label, note, contextual = _contextual(campaign, decisions, events, candidates, actions)
    policies = {"logged (current)": (logging_p, actions, None), **policies, label: contextual}
    for metric in METRICS:
        r = np.array([outcomes[t][column[metric]] for t in tokens])
        q = ope.mean_reward_model(segments, actions.tolist(), r, float(r.mean()))
        q_logged = np.array([q(s, int(a)) for s, a in zip(segments, actions, strict=True)])
        for name, (target_p, target_a, dists) in policies.items():
            if dists is None:  # on-policy: the logged action is a draw from the target
                q_target = q_logged
            else:
                q_target = np.array(
                    [
                        float(np.dot(d, [q(s, v) for v in c]))
                        for s, c, d in zip(segments, candidates, dists, strict=True)
                    ]
                )
            estimates = ope.all_estimates(
                r, logging_p, target_p, q_logged, q_target, actions, target_a
            )
            # Rewards are never negative, so neither is any policy's value.
            estimates = [replace(e, low=max(e.low, 0.0)) for e in estimates]
            rows.append(PolicyEvaluation(name, metric, estimates))
    return Evaluation(campaign.pk, len(decisions), reward, rows, (note,))
