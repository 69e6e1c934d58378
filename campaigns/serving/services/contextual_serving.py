"""Serving with the contextual policy in a web process: the latest trained version,
loaded once per version, and one decision with its propensity.

The version number is looked up in the Django cache, which the trainer sets after each
save (campaigns.serving.services.contextual_policy); when the cache does not have it (a
per-process cache, or a restart) it is read from the database and kept for
`state_max_age_seconds`. A process holds one loaded version per campaign and swaps it
when the number changes: no restart needed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max

from campaigns.models import PolicyState
from campaigns.serving.services.contextual_policy import (
    CONFIG,
    POLICY,
    base_rate,
    latest_key,
    state_models,
)
from studio.serving import contextual, policy

PROPENSITY_CACHE_SIZE = 20_000


@dataclass
class LoadedPolicy:
    campaign_id: int
    version: int
    reward: str
    segments: dict[int, contextual.SegmentModel]
    # (segment, creative ids) -> the model restricted to exactly those creatives
    restricted: dict[tuple, contextual.SegmentModel] = field(default_factory=dict)
    propensities: dict[tuple, float] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{POLICY}-v{self.version}"

    def model_for(self, segment_id: int, arms: policy.ArmSet) -> contextual.SegmentModel:
        key = (segment_id, arms.ids.tobytes(), arms.alpha.tobytes(), arms.beta.tobytes())
        model = self.restricted.get(key)
        if model is None:
            base = self.segments.get(segment_id) or contextual.SegmentModel.empty(
                base_rate(self.reward), CONFIG, CONFIG.dims
            )
            # New creatives start from the same prior mean as the Beta policy's.
            model = base.restrict(arms.ids, arms.alpha / (arms.alpha + arms.beta))
            if len(self.restricted) > 1000:
                self.restricted.clear()
            self.restricted[key] = model
        return model


_loaded: dict[int, LoadedPolicy] = {}
_lock = threading.Lock()


def policy_latest_version(*, campaign_id: int) -> int:
    version = cache.get(latest_key(campaign_id))
    if version is None:
        rows = PolicyState.objects.filter(campaign_id=campaign_id, policy=POLICY)
        version = rows.aggregate(v=Max("version"))["v"] or 0
        cache.set(
            latest_key(campaign_id), version, settings.STUDIO_SERVING["state_max_age_seconds"]
        )
    return int(version)


def policy_load(*, campaign_id: int) -> LoadedPolicy | None:
    """The latest trained version of the campaign's contextual policy; None before the
    first training."""
    version = policy_latest_version(campaign_id=campaign_id)
    if version == 0:
        return None
    loaded = _loaded.get(campaign_id)
    if loaded is not None and loaded.version == version:
        return loaded
    with _lock:
        row = PolicyState.objects.filter(
            campaign_id=campaign_id, policy=POLICY, version=version
        ).first()
        if row is None:
            return loaded  # pruned meanwhile: keep serving what this process has
        loaded = LoadedPolicy(
            campaign_id,
            version,
            row.state["reward"],
            state_models(row.state),
        )
        _loaded[campaign_id] = loaded
    return loaded


def contextual_choose(
    loaded: LoadedPolicy,
    *,
    arms: policy.ArmSet,
    segment_id: int,
    context: dict[str, str],
    mask: np.ndarray,
    notes: list[str],
    rng: np.random.Generator,
) -> policy.Choice:
    """One decision among the eligible creatives, with its propensity."""
    model = loaded.model_for(segment_id, arms)
    ctx = model.context_index(context)
    position, sampled = contextual.choose(model, ctx, mask, rng)
    key = (segment_id, arms.ids.tobytes(), ctx.tobytes(), mask.tobytes(), position)
    propensity = loaded.propensities.get(key)
    if propensity is None:
        propensity = model.propensity(rng, ctx, mask, position)
        if len(loaded.propensities) >= PROPENSITY_CACHE_SIZE:
            loaded.propensities.clear()
        loaded.propensities[key] = propensity
    mean, _var, u_mean, _u_var = model.score_moments(ctx)
    means = mean + model.z @ u_mean
    best = float(np.where(mask, means, -np.inf).max())
    return policy.Choice(
        variant_id=int(arms.ids[position]),
        position=position,
        sampled=sampled,
        posterior_mean=float(means[position]),
        exploration=bool(means[position] < best),
        caps_applied=notes,
        candidates=int(mask.sum()),
        propensity=propensity,
        candidate_ids=[int(v) for v in arms.ids[mask]],
        strategy=POLICY,
    )
