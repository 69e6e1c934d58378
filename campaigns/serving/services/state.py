"""Decision state per campaign: eligible creatives, priors, near duplicates, segments.

Built from the database once and kept in the process, so a decision does no heavy
database work. A version token in the Django cache says when to rebuild: signals bump it
whenever a variant, a moderation case, a rendition, a segment or the campaign changes
(campaigns.signals). With a per-process cache (LocMemCache, the default) other processes
see that bump only through the age limit, `state_max_age_seconds`; with Redis
(REDIS_CACHE_URL) every process sees it at once. The click counts behind the posteriors
are re-read every `posterior_refresh_seconds`: two small aggregate queries (the running
totals, and the daily totals of the last few half-lives, which wear-out discounts).

A creative a fatigue action paused in a segment (campaigns.serving.services.fatigue_actions) is
left out of that segment's arms, also when the segment falls back to the campaign's pool;
when every creative of the segment is paused, the segment falls back to that pool.

The campaign's objective picks the reward the posteriors are about
(studio.serving.rewards): clicks, conversions or value per impression.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Prefetch
from django.utils import timezone

from campaigns.models import (
    AudienceSegment,
    Campaign,
    DailyStats,
    FatigueEvent,
    VariantClip,
    VariantSegmentStats,
)
from campaigns.rules import RuleError, parse_rules
from campaigns.selectors import variant_list_cleared
from campaigns.serving.services.rendition_links import ClipRef, RenditionRef
from studio.serving.policy import ArmSet, thompson_propensities
from studio.serving.priors import PriorConfig, prior_from_scores
from studio.serving.rewards import arm_counts, reward_for, value_prior
from studio.serving.segments import SegmentInfo
from studio.serving.similarity import near_duplicates
from studio.serving.wearout import discounted_totals

# Daily rows older than this many half-lives weigh < 0.4 %: not worth reading.
LOOKBACK_HALF_LIVES = 8

logger = logging.getLogger(__name__)

_memo: dict[int, CampaignState] = {}
_memo_lock = threading.Lock()


def _version_key(campaign_id: int) -> str:
    return f"serving:version:{campaign_id}"


def state_version(*, campaign_id: int) -> str:
    version = cache.get(_version_key(campaign_id))
    if version is None:
        cache.add(_version_key(campaign_id), uuid.uuid4().hex, None)
        version = cache.get(_version_key(campaign_id), "")
    return version


def state_invalidate(*, campaign_id: int) -> None:
    """Make every process rebuild this campaign's state before its next decision."""
    cache.set(_version_key(campaign_id), uuid.uuid4().hex, None)
    _memo.pop(campaign_id, None)


@dataclass(frozen=True)
class Creative:
    id: int
    segment_id: int
    headline: str
    body: str
    cta: str
    renditions: dict[str, RenditionRef]  # format slug -> the rendition to link to
    # format slug -> its ready clips of the current copy, shortest first (video placements)
    clips: dict[str, tuple[ClipRef, ...]] = field(default_factory=dict)


@dataclass
class CampaignState:
    campaign_id: int
    version: str
    built_at: float
    status: str
    formats: frozenset[str]
    segments: list[SegmentInfo]
    skipped_small: list[str]
    creatives: dict[int, Creative]
    priors: dict[int, tuple[float, float]]
    neighbours: dict[int, frozenset[int]]
    reward: str = "clicks"
    policy: str = "thompson"  # thompson (Beta per segment) | contextual
    value_prior: tuple[float, float] | None = None
    counts_at: float = 0.0
    personas: np.ndarray | None = None
    # (variant, segment) pairs a fatigue action paused: never served in that segment.
    paused: frozenset[tuple[int, int]] = frozenset()
    # ((variant, segment) -> discounted (impressions, clicks, conversions, revenue, hides),
    #  (segment, format, media) -> (arms, pool) built from those counts): swapped as one.
    _posteriors: tuple[dict, dict] = field(default_factory=lambda: ({}, {}))
    _refresh_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def serving(self) -> bool:
        return self.status == Campaign.Status.ACTIVE

    @property
    def counts(self) -> dict[tuple[int, int], tuple[float, float, float, float]]:
        return self._posteriors[0]

    def arms_for(self, segment_id: int, fmt: str, media: str = "image") -> tuple[ArmSet, str]:
        """The segment's own creatives in this format; when it has none, every creative of
        the campaign in this format. Returns the arms and which pool they came from.
        For video, only creatives with a clip in this format are candidates."""
        self._refresh_counts()
        key = (segment_id, fmt, media)
        counts, arms = self._posteriors  # one snapshot: arms always match their counts
        found = arms.get(key)
        if found is None:
            found = arms[key] = self._arms_build(key, counts)
        return found

    def _arms_build(self, key: tuple[int, str, str], counts) -> tuple[ArmSet, str]:
        segment_id, fmt, media = key
        with_format = [
            c
            for c in self.creatives.values()
            if fmt in (c.clips if media == "video" else c.renditions)
            and (c.id, segment_id) not in self.paused
        ]
        own = [c.id for c in with_format if c.segment_id == segment_id]
        ids, pool = (own, "segment") if own else ([c.id for c in with_format], "campaign")
        arm_totals, values = {}, {}
        # Tempered posteriors: evidence counts `posterior_sharpen` times (less
        # exploration; bench/bandit_sim.py chose the value).
        sharpen = float(settings.STUDIO_SERVING["posterior_sharpen"])
        for v in ids:
            totals = counts.get((v, segment_id), (0.0,) * len(COLUMNS))
            totals = tuple(sharpen * x for x in totals)
            arm_totals[v], values[v] = arm_counts(totals, self.reward)
        arms = ArmSet.build(
            ids,
            [self.priors[v] for v in ids],
            arm_totals,
            values=values,
            value_prior=self.value_prior,
        )
        return arms, pool

    def _arms_prepare(self, counts, keys) -> dict[tuple[int, str, str], tuple[ArmSet, str]]:
        """Arms for `keys` (those in use) from `counts`, with their Thompson propensities
        for the all-eligible mask already cached: the work a background thread does so
        the next decisions of these segments find it done."""
        segments = {segment.id for segment in self.segments}
        arms = {key: self._arms_build(key, counts) for key in keys if key[0] in segments}
        for built, _ in arms.values():
            thompson_propensities(built)
            time.sleep(0)  # let a waiting request thread have the GIL between arm sets
        return arms

    def prime(self, previous: CampaignState) -> None:
        """Read the counts and prepare the arms `previous` had in use (a rebuild)."""
        counts = counts_discounted(campaign_id=self.campaign_id)
        self._posteriors = (counts, self._arms_prepare(counts, list(previous._posteriors[1])))
        self.counts_at = time.monotonic()

    def _refresh_counts(self) -> None:
        """Re-read the counts when they are older than `posterior_refresh_seconds`.

        The first read, and every read when the setting is 0 (always fresh), happen on
        the request. Later ones run in a background thread while requests keep serving
        the counts they have: it re-reads them and, if they changed, rebuilds the arms in
        use and their Thompson propensities, then swaps counts and arms in at once."""
        every = settings.STUDIO_SERVING["posterior_refresh_seconds"]
        if time.monotonic() - self.counts_at < every:
            return
        if not self._refresh_lock.acquire(blocking=False):
            return  # another thread is re-reading; use the counts we have
        if every > 0 and self.counts_at:
            threading.Thread(
                target=self._refresh_in_background, name="serving-counts", daemon=True
            ).start()
            return
        try:
            counts = counts_discounted(campaign_id=self.campaign_id)
            if counts != self.counts or not self.counts_at:
                self._posteriors = (counts, {})
            self.counts_at = time.monotonic()
        finally:
            self._refresh_lock.release()

    def _refresh_in_background(self) -> None:
        try:
            counts = counts_discounted(campaign_id=self.campaign_id)
            if counts != self.counts:
                self._posteriors = (counts, self._arms_prepare(counts, list(self._posteriors[1])))
        except Exception:
            logger.exception("Re-reading the counts of campaign %s failed", self.campaign_id)
        finally:
            self.counts_at = time.monotonic()  # also after a failure: retry in a while
            self._refresh_lock.release()
            connections.close_all()  # this thread's connections only


COLUMNS = ("impressions", "clicks", "conversions", "revenue", "hides")


def counts_discounted(*, campaign_id: int) -> dict[tuple[int, int], tuple]:
    """Per (variant, segment): the totals, each day weighted by its age (wear-out)."""
    half_life = float(settings.STUDIO_SERVING["half_life_days"])
    totals = {
        (v, s): tuple(row)
        for v, s, *row in VariantSegmentStats.objects.filter(
            variant__campaign_id=campaign_id
        ).values_list("variant_id", "segment_id", *COLUMNS)
    }
    if half_life <= 0:
        return {key: tuple(float(x) for x in row) for key, row in totals.items()}
    today = timezone.now().date()
    lookback = int(LOOKBACK_HALF_LIVES * half_life)
    daily = DailyStats.objects.filter(
        variant__campaign_id=campaign_id,
        day__gte=today - datetime.timedelta(days=lookback),
    ).values_list("variant_id", "segment_id", "day", *COLUMNS)
    return discounted_totals(
        (((v, s), day.toordinal(), tuple(row)) for v, s, day, *row in daily),
        totals,
        today=today.toordinal(),
        half_life_days=half_life,
        lookback_days=lookback,
    )


def state_for(*, campaign_id: int) -> CampaignState:
    """The campaign's current state: from this process's memo while its version holds.

    A changed version (a signal's bump) rebuilds it now, on this request. A state older
    than `state_max_age_seconds` (how other processes' bumps reach a per-process cache) is
    rebuilt in a background thread, counts and arms in use included, while requests keep
    the one they have."""
    version = state_version(campaign_id=campaign_id)
    state = _memo.get(campaign_id)
    if state and state.version == version:
        if time.monotonic() - state.built_at >= settings.STUDIO_SERVING["state_max_age_seconds"]:
            _rebuild_in_background(state)
        return state
    with _memo_lock:
        state = _memo.get(campaign_id)
        if not (state and state.version == version):
            state = state_build(campaign_id=campaign_id, version=version)
            _memo[campaign_id] = state
    return state


_rebuilding: set[int] = set()


def _rebuild_in_background(old: CampaignState) -> None:
    with _memo_lock:
        if old.campaign_id in _rebuilding:
            return
        _rebuilding.add(old.campaign_id)

    def rebuild() -> None:
        try:
            new = state_build(campaign_id=old.campaign_id, version=old.version)
            new.prime(old)
            with _memo_lock:
                if _memo.get(old.campaign_id) is old:  # not invalidated meanwhile
                    _memo[old.campaign_id] = new
        except Exception:
            logger.exception("Rebuilding the decision state of campaign %s failed", old.campaign_id)
            old.built_at = time.monotonic()  # retry after another max age
        finally:
            with _memo_lock:
                _rebuilding.discard(old.campaign_id)
            connections.close_all()  # this thread's connections only

    threading.Thread(target=rebuild, name="serving-state", daemon=True).start()


def state_build(*, campaign_id: int, version: str = "") -> CampaignState:
    campaign = Campaign.objects.get(pk=campaign_id)
    segments, skipped = _targetable_segments(campaign)
    variants = list(
        variant_list_cleared(campaign=campaign)
        .filter(segment__in=[s.id for s in segments])
        .prefetch_related("renditions__format", Prefetch("clips", queryset=_ready_clips()))
        .order_by("pk")
    )
    conf = settings.STUDIO_SERVING
    reward = reward_for(campaign.objective)
    base = conf["prior_ctr"] if reward == "clicks" else conf["prior_cvr"]
    config = PriorConfig(base_ctr=base, strength=conf["prior_strength"])
    return CampaignState(
        campaign_id=campaign.pk,
        version=version,
        built_at=time.monotonic(),
        status=campaign.status,
        formats=frozenset(campaign.formats.filter(is_active=True).values_list("slug", flat=True)),
        segments=segments,
        skipped_small=skipped,
        creatives={v.pk: _creative(v) for v in variants},
        priors={v.pk: prior_from_scores(_scores(v), config) for v in variants},
        reward=reward,
        policy=campaign.serving_policy or conf["policy"],
        value_prior=value_prior(conf["prior_value"]) if reward == "value" else None,
        paused=_paused_pairs(campaign),
        neighbours=near_duplicates(
            [v.pk for v in variants],
            [v.text_embedding for v in variants],
            settings.STUDIO_SERVING["near_duplicate_similarity"],
        ),
    )


def _paused_pairs(campaign: Campaign) -> frozenset[tuple[int, int]]:
    events = FatigueEvent.objects.filter(
        campaign=campaign, action=FatigueEvent.Action.PAUSE, resumed_at__isnull=True
    )
    return frozenset(events.values_list("variant_id", "segment_id"))


def _targetable_segments(campaign: Campaign) -> tuple[list[SegmentInfo], list[str]]:
    """Segments at or above the k-anonymity size; the names of the others."""
    k = settings.STUDIO_MIN_SEGMENT_SIZE
    kept, skipped = [], []
    for segment in AudienceSegment.objects.filter(campaign=campaign).order_by("pk"):
        if segment.estimated_size is None or segment.estimated_size < k:
            skipped.append(segment.name)
            continue
        try:
            rules = parse_rules(segment.rules)
        except RuleError:
            skipped.append(segment.name)  # saved before a rule was refused: never target it
            continue
        kept.append(
            SegmentInfo(segment.pk, segment.name, rules, len(segment.rules), segment.persona)
        )
    return kept, skipped


def _creative(variant) -> Creative:
    return Creative(
        id=variant.pk,
        segment_id=variant.segment_id,
        headline=variant.headline,
        body=variant.body,
        cta=variant.cta,
        renditions={
            r.format.slug: RenditionRef(r.pk, r.version)
            for r in variant.renditions.all()
            if r.format.is_active
        },
        clips=_clip_refs(variant),
    )


def _ready_clips():
    return VariantClip.objects.filter(
        status=VariantClip.Status.READY, format__is_active=True
    ).select_related("format")


def _clip_refs(variant) -> dict[str, tuple[ClipRef, ...]]:
    """Ready clips of the variant's current copy by format slug, shortest first."""
    refs: dict[str, list[ClipRef]] = {}
    for clip in sorted(variant.clips.all(), key=lambda c: (c.seconds, c.kind)):
        if clip.variant_version == variant.version and clip.sha256:
            refs.setdefault(clip.format.slug, []).append(
                ClipRef(clip.pk, clip.sha256[:16], clip.seconds, clip.kind, clip.width, clip.height)
            )
    return {slug: tuple(found) for slug, found in refs.items()}


def _scores(variant) -> dict[str, float | None]:
    return {
        "text_fit": variant.text_fit,
        "alignment": variant.alignment,
        "segment_fit": variant.segment_fit,
    }


def persona_matrix(state: CampaignState, embed) -> np.ndarray:
    """Unit persona embeddings of the state's segments, one row each, computed once per
    segment and persona text (kept in the Django cache across rebuilds)."""
    if state.personas is not None:
        return state.personas
    rows = []
    for segment in state.segments:
        key = f"serving:persona:{segment.id}:{uuid.uuid5(uuid.NAMESPACE_OID, segment.persona)}"
        vector = cache.get(key)
        if vector is None:
            vector = embed(segment.persona or segment.name)
            cache.set(key, vector, 7 * 24 * 3600)
        rows.append(vector)
    state.personas = np.stack(rows) if rows else np.zeros((0, 1), np.float32)
    return state.personas
