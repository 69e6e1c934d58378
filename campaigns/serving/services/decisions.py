"""Decide which creative one user sees: load the campaign's cached state, match a segment,
apply the per-user history, ask the policy, and record the decision.

Every served decision is logged as a Decision row with its propensity, policy, version,
candidates and coarse context buckets, so other policies can be evaluated offline
(campaigns.serving.services.evaluation). A share of each placement's decisions (`holdout_share`)
is served by uniform rotation and flagged: the control that lift is measured against.

A request that gets no creative (campaign not active, no segment matched, no eligible
creative) is counted per day, segment and coarse context bucket (services.delivery), so
the delivery report can set impressions against everything that was asked.

Privacy: without consent nothing about the user is read or kept: no user hash, no
history (so no per-user caps); the Decision row then has an empty user_hash, and the
context is only the closed list of coarse buckets (studio.serving.context).
"""

from __future__ import annotations

import functools
import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache

from campaigns.models import Decision
from campaigns.serving.services import contextual_serving
from campaigns.serving.services.delivery import no_fill_record
from campaigns.serving.services.placements import PlacementInfo
from campaigns.serving.services.rendition_links import clip_link_url, rendition_link_url
from campaigns.serving.services.state import CampaignState, persona_matrix, state_for
from campaigns.serving.services.tokens import TrackingToken, token_sign, user_hash
from studio.serving import policy
from studio.serving.context import context_buckets
from studio.serving.segments import Match, feature_text, match_by_embedding, match_by_rules

_rng = np.random.default_rng(int.from_bytes(os.urandom(8), "little"))
CLIP_TYPES = {"mp4": "video/mp4", "gif": "image/gif", "webp": "image/webp"}
# Bump when the policy's maths change, so logs from before and after stay apart.
POLICY_CODE_VERSION = "2"


class DecisionError(ValueError):
    """A request the campaign cannot serve as asked (e.g. a format it does not have)."""


@dataclass(frozen=True)
class DecideRequest:
    features: dict[str, Any]
    consent: bool
    user_id: str | None = None
    format: str | None = None
    media: str | None = None  # "image" | "video"; None: the placement's own
    seconds: int | None = None  # preferred clip length for video


@dataclass
class DecisionResult:
    explanation: dict[str, Any]
    decision_id: str | None = None
    variant_id: int | None = None
    rendition_url: str | None = None  # a signed link (no session needed), site-relative
    media: str = "image"
    clip: dict[str, Any] | None = None  # video: signed url, seconds, type, width, height
    format: str | None = None
    copy: dict[str, str] | None = None
    tracking_token: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def caps_from_settings() -> policy.Caps:
    conf = settings.STUDIO_SERVING
    return policy.Caps(
        per_variant=conf["cap_per_variant"],
        per_campaign=conf["cap_per_campaign"],
        window_seconds=conf["cap_window_seconds"],
        no_repeat=conf["no_repeat"],
    )


def decision_make(
    *,
    placement: PlacementInfo,
    request: DecideRequest,
    rng: np.random.Generator | None = None,
    now: float | None = None,
) -> DecisionResult:
    now = time.time() if now is None else now
    state = state_for(campaign_id=placement.campaign_id)
    fmt = request.format or placement.format_slug
    if fmt not in state.formats:
        raise DecisionError(f"The campaign has no active format {fmt!r}.")
    context = context_buckets(request.features)
    if not state.serving:
        _no_fill_log(placement, None, "inactive", context)
        return _no_fill(f"the campaign is {state.status}, not active")
    match = _match(state, request.features)
    if match is None:
        _no_fill_log(placement, None, "no_segment", context)
        return _no_fill(_why_unmatched(state), skipped_small_segments=len(state.skipped_small))
    media = request.media or placement.media
    arms, pool = state.arms_for(match.segment.id, fmt, media)
    hashed = user_hash(request.user_id) if request.consent and request.user_id else None
    seen = _history_get(placement.campaign_id, hashed) if hashed else []
    caps = caps_from_settings()
    rng = rng or _rng
    holdout = bool(rng.random() < settings.STUDIO_SERVING["holdout_share"])
    choice, version = _choose(state, arms, match, context, seen, caps, rng, now, holdout)
    explanation = _explain(state, match, choice, pool, consented=hashed is not None)
    explanation["holdout"] = holdout
    explanation["policy"] = choice.strategy + (f" v{version}" if version else "")
    explanation["media"] = media
    if choice.variant_id is None:
        _no_fill_log(placement, match.segment.id, "no_creative", context)
        no_fill = choice.no_fill
        if media == "video" and len(arms.ids) == 0:
            no_fill = f"no approved creative has a ready clip in {fmt} for this video placement"
        result = _no_fill(no_fill, **explanation)
        result.media = media
        return result
    token_id = uuid.uuid4()
    if hashed:
        _history_set(
            placement.campaign_id, hashed, policy.remember(seen, choice.variant_id, now, caps)
        )
    Decision.objects.create(
        token_id=token_id,
        placement_id=placement.id,
        variant_id=choice.variant_id,
        segment_id=match.segment.id,
        user_hash=hashed or "",
        consented=hashed is not None,
        propensity=choice.propensity,
        policy=f"{choice.strategy}/{_learnt_reward(choice.strategy, state.reward)}",
        policy_version=policy_version(contextual_version=version),
        reward=state.reward,
        candidate_ids=choice.candidate_ids,
        context=context,
        holdout=holdout,
        explanation=explanation,
    )
    result = _served(
        state.creatives[choice.variant_id], fmt, match, placement, token_id, explanation
    )
    if media == "video":
        _with_clip(result, state.creatives[choice.variant_id].clips[fmt], request.seconds)
    return result


def _with_clip(result: DecisionResult, clips: tuple, seconds: int | None) -> None:
    """The clip of the asked length when the creative has one, else its shortest."""
    ref = next((c for c in clips if c.seconds == seconds), clips[0])
    result.media = "video"
    result.clip = {
        "url": clip_link_url(ref=ref),
        "seconds": ref.seconds,
        "type": CLIP_TYPES.get(ref.kind, "application/octet-stream"),
        "width": ref.width,
        "height": ref.height,
    }


def _choose(state, arms, match, context, seen, caps, rng, now, holdout):
    """The policy's choice and, for the contextual policy, the trained version used."""
    loaded = None
    if not holdout and state.policy == "contextual" and len(arms):
        # Before its first training, the campaign is served by the Beta policy.
        loaded = contextual_serving.policy_load(campaign_id=state.campaign_id)
    if loaded is None:
        strategy = "uniform" if holdout else settings.STUDIO_SERVING["strategy"]
        choice = policy.choose(
            arms,
            seen=seen,
            caps=caps,
            neighbours=state.neighbours,
            rng=rng,
            now=now,
            strategy=strategy,
        )
        return choice, None
    mask, notes, no_fill = policy.eligible(arms, seen, caps, state.neighbours, now)
    if mask is None:
        return policy.Choice(None, caps_applied=notes, no_fill=no_fill), loaded.version
    choice = contextual_serving.contextual_choose(
        loaded,
        arms=arms,
        segment_id=match.segment.id,
        context=context,
        mask=mask,
        notes=notes,
        rng=rng,
    )
    return choice, loaded.version


def _learnt_reward(strategy: str, reward: str) -> str:
    # The contextual model is of a rate: value campaigns learn conversions per impression.
    return "conversions" if strategy == "contextual" and reward == "value" else reward


def policy_version(*, contextual_version: int | None = None) -> str:
    """Code version plus the settings that shape the policy's probabilities; for the
    contextual policy, its trained version."""
    conf = settings.STUDIO_SERVING
    learnt = "" if contextual_version is None else f"ctx={contextual_version};"
    return (
        f"v{POLICY_CODE_VERSION};{learnt}prior={conf['prior_strength']:g};"
        f"half_life={conf['half_life_days']:g};caps={conf['cap_per_variant']}/"
        f"{conf['cap_per_campaign']}"
    )[:40]


def _served(creative, fmt, match, placement, token_id, explanation) -> DecisionResult:
    token = TrackingToken(token_id, placement.id, creative.id, match.segment.id)
    return DecisionResult(
        explanation=explanation,
        decision_id=str(token_id),
        variant_id=creative.id,
        # A video creative's still of the same format, when it has one (a poster).
        rendition_url=rendition_link_url(ref=ref)
        if (ref := creative.renditions.get(fmt))
        else None,
        format=fmt,
        copy={"headline": creative.headline, "body": creative.body, "cta": creative.cta},
        tracking_token=token_sign(token),
    )


def _no_fill_log(placement, segment_id: int | None, reason: str, context: dict) -> None:
    # Counted, not logged per request: the delivery report's requests that got nothing.
    no_fill_record(placement_id=placement.id, segment_id=segment_id, reason=reason, context=context)


def _no_fill(reason: str | None, **explanation) -> DecisionResult:
    return DecisionResult(explanation={**explanation, "no_fill": reason})


def _why_unmatched(state: CampaignState) -> str:
    if not state.segments and state.skipped_small:
        k = settings.STUDIO_MIN_SEGMENT_SIZE
        return f"no segment can be targeted: each is smaller than {k} users or of unknown size"
    return "the user matches no segment's rules and there are no personas to compare"


def _match(state: CampaignState, features: dict[str, Any]) -> Match | None:
    found = match_by_rules(features, state.segments)
    if found is not None or not state.segments:
        return found
    text = feature_text(features)
    if not text:
        return None
    # Only this path embeds anything (~5-10 ms on CPU); equal feature texts share one.
    return match_by_embedding(_embed(text), state.segments, persona_matrix(state, _embed))


@functools.lru_cache(maxsize=20_000)
def _embed(text: str) -> np.ndarray:
    from studio.engine.registry import EngineConfig, get_embedder

    embedder = get_embedder(EngineConfig(embedder_path=settings.STUDIO_ENGINE["embedder_path"]))
    return embedder.encode([text])[0]


def _explain(state, match: Match, choice: policy.Choice, pool: str, *, consented: bool):
    caps_applied = list(choice.caps_applied)
    if not consented:
        caps_applied.append("per-user caps not applied: no consent, no history kept")
    return {
        "segment": {"id": match.segment.id, "name": match.segment.name},
        "matched_by": match.by,
        "why": match.why,
        "pool": pool,
        "candidates": choice.candidates,
        "posterior_mean": _round(choice.posterior_mean),
        "sampled_ctr": _round(choice.sampled),
        "reward": state.reward,
        "propensity": _round(choice.propensity),
        "exploration": choice.exploration,
        "caps_applied": caps_applied,
        "skipped_small_segments": len(state.skipped_small),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 5)


def _history_key(campaign_id: int, hashed: str) -> str:
    return f"serving:seen:{campaign_id}:{hashed}"


def _history_get(campaign_id: int, hashed: str) -> list[tuple[int, float]]:
    return [tuple(item) for item in cache.get(_history_key(campaign_id, hashed), [])]


def _history_set(campaign_id: int, hashed: str, seen: list[tuple[int, float]]) -> None:
    timeout = int(settings.STUDIO_SERVING["cap_window_seconds"]) or None
    cache.set(_history_key(campaign_id, hashed), seen, timeout)
