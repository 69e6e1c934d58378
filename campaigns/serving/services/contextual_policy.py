"""The contextual policy's Django side (studio.serving.contextual is the maths).

Worker: `policy_train` reads the campaign's events after the last version's range, joins
each to its decision's coarse context, adds them to the evidence cells (segment,
creative, context) -> (impressions, successes) carried in the state (discounted by the
wear-out half-life since the last version), refits every segment and saves the next
PolicyState version. Celery beat runs `policies_train_all` every
`contextual_train_seconds`. Offline evaluation (evaluation.py) builds its contextual
candidate with the same `cells_add` and `segments_fit` when no version is trained yet.

Web processes: `policy_load` keeps the latest version it read, per campaign, in the
process; the latest version number is looked up in the Django cache (set by the trainer;
with a per-process cache, re-read from the database every `state_max_age_seconds`), so a
new version is served without a restart. `contextual_choose` picks a creative with it and
says which version and with what probability.
"""

from __future__ import annotations

import time

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from campaigns.models import Campaign, Decision, Event, PolicyState, Variant
from campaigns.selectors import variant_list_cleared
from studio.serving import contextual
from studio.serving.priors import PriorConfig, prior_from_scores
from studio.serving.rewards import HIDE_WEIGHT, reward_for
from studio.serving.wearout import day_weight

POLICY = "contextual"
CONFIG = contextual.ContextualConfig()
MAX_EVENTS = 200_000  # per training run; the rest waits for the next beat
KEEP_VERSIONS = 10
SUCCESS = {"clicks": Event.Type.CLICK, "conversions": Event.Type.CONVERSION}


def effective_policy(campaign: Campaign) -> str:
    return campaign.serving_policy or settings.STUDIO_SERVING["policy"]


def base_rate(reward: str) -> float:
    conf = settings.STUDIO_SERVING
    return conf["prior_ctr"] if reward == "clicks" else conf["prior_cvr"]


def policies_train_all() -> list[int]:
    """Train every active campaign that serves with the contextual policy; the versions
    made."""
    made = []
    for campaign in Campaign.objects.filter(status=Campaign.Status.ACTIVE).order_by("pk"):
        if effective_policy(campaign) == POLICY:
            state = policy_train(campaign_id=campaign.pk)
            if state is not None:
                made.append(state.version)
    return made


def policy_train(*, campaign_id: int) -> PolicyState | None:
    """Learn from the events since the last version; None when there were none."""
    started = time.monotonic()
    campaign = Campaign.objects.get(pk=campaign_id)
    last = policy_latest(campaign_id=campaign_id)
    after = last.events_to if last else 0
    events = list(
        Event.objects.filter(placement__campaign_id=campaign_id, pk__gt=after)
        .order_by("pk")
        .values_list("pk", "token_id", "type", "variant_id", "segment_id")[:MAX_EVENTS]
    )
    if last is not None and not events:
        return None
    reward = learnt_reward(campaign.objective)
    cells = _carried_cells(last)
    cells_add(cells=cells, events=events, reward=reward)
    models = segments_fit(campaign=campaign, cells=cells, reward=reward)
    version = PolicyState.objects.create(
        campaign=campaign,
        policy=POLICY,
        version=(last.version + 1) if last else 1,
        events_from=events[0][0] if events else after,
        events_to=events[-1][0] if events else after,
        state={
            "format": contextual.STATE_FORMAT,
            "reward": reward,
            "cells": [[*key, n, s] for key, (n, s) in cells.items()],
            "segments": {str(sid): m.to_dict() for sid, m in models.items()},
        },
        metrics={
            "events": len(events),
            "cells": len(cells),
            "segments": len(models),
            "seconds": round(time.monotonic() - started, 3),
        },
    )
    old = PolicyState.objects.filter(campaign_id=campaign_id, policy=POLICY)
    old.filter(version__lte=version.version - KEEP_VERSIONS).delete()
    cache.set(latest_key(campaign_id), version.version, None)
    return version


def latest_key(campaign_id: int) -> str:
    return f"serving:policy:{POLICY}:{campaign_id}"


def learnt_reward(objective: str) -> str:
    """What the model learns: conversions (value campaigns too: the contextual model is of
    a rate) or clicks."""
    return "clicks" if reward_for(objective) == "clicks" else "conversions"


def policy_latest(*, campaign_id: int) -> PolicyState | None:
    rows = PolicyState.objects.filter(campaign_id=campaign_id, policy=POLICY)
    return rows.order_by("-version").first()


def _carried_cells(last: PolicyState | None) -> dict[tuple, list[float]]:
    """The last version's cells, faded by the wear-out half-life for the time since."""
    if last is None:
        return {}
    days = (timezone.now() - last.created_at).total_seconds() / 86400
    weight = day_weight(days, float(settings.STUDIO_SERVING["half_life_days"]))
    return {
        (int(seg), int(var), ctx): [weight * n, weight * s]
        for seg, var, ctx, n, s in last.state.get("cells", [])
    }


def state_models(state: dict) -> dict[int, contextual.SegmentModel]:
    """A saved version's model per segment id."""
    return {
        int(sid): contextual.SegmentModel.from_dict(data) for sid, data in state["segments"].items()
    }


def cells_add(*, cells: dict, events: list, reward: str, contexts: dict | None = None) -> None:
    """Add events (pk, token, type, variant, segment) to the evidence cells (segment,
    creative, context key) -> [impressions, successes]. `contexts` (token -> the decision's
    context buckets) when the caller has them; otherwise they are read."""
    if contexts is None:
        contexts = {}
        tokens = list({e[1] for e in events})
        for start in range(0, len(tokens), 1000):
            contexts.update(
                Decision.objects.filter(token_id__in=tokens[start : start + 1000]).values_list(
                    "token_id", "context"
                )
            )
    for _pk, token, kind, variant, segment, *_ in events:
        ctx = contexts.get(token)
        if ctx is None:
            continue  # its decision was purged: nothing to say which context it had
        key = (segment, variant, context_key(ctx))
        cell = cells.setdefault(key, [0.0, 0.0])
        if kind == Event.Type.IMPRESSION:
            cell[0] += 1
        elif kind == Event.Type.HIDE:
            cell[0] += HIDE_WEIGHT  # negative feedback, as in the Beta policy
        elif kind == SUCCESS[reward]:
            cell[1] += 1


def context_key(context: dict) -> str:
    return "|".join(f"{k}={v}" for k, v in sorted(context.items()))


def segments_fit(*, campaign: Campaign, cells: dict, reward: str) -> dict:
    """One model per segment from the evidence cells: every segment with a cleared
    creative or evidence."""
    variants = {
        v.pk: v
        for v in variant_list_cleared(campaign=campaign).only(
            "pk", "segment_id", "text_fit", "alignment", "segment_fit"
        )
    }
    base = base_rate(reward)
    config = _prior_config(reward)
    by_segment: dict[int, list] = {}
    for key, (n, s) in cells.items():
        by_segment.setdefault(key[0], []).append((key[1], key[2], n, s))
    for v in variants.values():
        by_segment.setdefault(v.segment_id, [])
    models = {}
    for segment_id, rows in by_segment.items():
        ids = sorted({v for v, *_ in rows if v in variants} | _own(variants, segment_id))
        if ids:
            models[segment_id] = _fit_one(ids, variants, rows, base, config)
    return models


def _own(variants: dict, segment_id: int) -> set[int]:
    return {pk for pk, v in variants.items() if v.segment_id == segment_id}


def _fit_one(ids, variants, rows, base, config) -> contextual.SegmentModel:
    embeddings = _embeddings(ids)
    z = contextual.project(embeddings[0], CONFIG.dims, seed=0) + contextual.project(
        embeddings[1], CONFIG.dims, seed=1
    )
    z /= np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12)
    position = {v: i for i, v in enumerate(ids)}
    rows = [r for r in rows if r[0] in position]
    vocab = sorted({part for r in rows for part in r[1].split("|") if part})
    index = {value: i for i, value in enumerate(vocab)}
    keys = sorted({value.split("=", 1)[0] for value in vocab})
    values = np.full((len(rows), len(keys)), -1, dtype=np.int64)
    for row_i, (_v, ctx, _n, _s) in enumerate(rows):
        for part in filter(None, ctx.split("|")):
            values[row_i, keys.index(part.split("=", 1)[0])] = index[part]
    cells = contextual.Cells(
        np.array([position[r[0]] for r in rows], dtype=np.int64),
        values,
        np.array([r[2] for r in rows], dtype=np.float64),
        np.array([r[3] for r in rows], dtype=np.float64),
    )
    prior_means = np.array([_prior_mean(variants[v], config) for v in ids])
    return contextual.fit(ids, prior_means, z, vocab, cells, base_rate=base, config=CONFIG)


def _prior_config(reward: str) -> PriorConfig:
    return PriorConfig(
        base_ctr=base_rate(reward), strength=settings.STUDIO_SERVING["prior_strength"]
    )


def prior_means(*, variant_ids, reward: str) -> dict[int, float]:
    """The creatives' prior mean rates from their scores: where a model without evidence on
    a creative starts (theta's prior mean)."""
    config = _prior_config(reward)
    rows = Variant.objects.filter(pk__in=set(variant_ids)).only(
        "pk", "text_fit", "alignment", "segment_fit"
    )
    return {v.pk: _prior_mean(v, config) for v in rows}


def _prior_mean(variant, config: PriorConfig) -> float:
    scores = {
        "text_fit": variant.text_fit,
        "alignment": variant.alignment,
        "segment_fit": variant.segment_fit,
    }
    alpha, beta = prior_from_scores(scores, config)
    return alpha / (alpha + beta)


def _embeddings(ids: list[int]) -> tuple[list, list]:
    """(text, image) embeddings of the variants, None where missing."""
    rows = {
        pk: (text, image)
        for pk, text, image in Variant.objects.filter(pk__in=ids).values_list(
            "pk", "text_embedding", "image_embedding"
        )
    }
    return [rows[v][0] for v in ids], [rows[v][1] for v in ids]
