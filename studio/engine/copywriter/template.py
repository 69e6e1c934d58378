"""Template copywriter: phrase banks + slot filling, ranked by fit to the persona.

The offline default. It needs no language model, yet its output reflects the brief:
voice picks the phrase bank, objective picks the call to action, persona and product
fill the slots, and the MiniLM embedder ranks candidates by how well they fit the
segment. Seeded, so the same request always yields the same copy.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from typing import Any

import numpy as np

from studio.engine import copy_rules
from studio.engine.copywriter import persona as text
from studio.engine.copywriter import phrases
from studio.engine.types import AdCopy, CopyRequest, EngineError

# Candidates generated per requested variant; the embedder keeps the best fitting ones.
POOL_FACTOR = 4
# Attempts allowed per wanted candidate before giving up (some templates never fit).
ATTEMPT_FACTOR = 12
# Weight of similarity to past winners when inspiration is given.
INSPIRATION_WEIGHT = 0.2
# How strongly a candidate is held back for resembling one already chosen.
REDUNDANCY_WEIGHT = 0.3


@dataclass
class _Draft:
    copy: AdCopy
    headline_id: str
    body_id: str


def detect_tone(voice: str) -> str:
    """The phrase bank whose keywords occur most often in the brand's voice."""
    words = set(text.content_words(voice.lower())) | set(voice.lower().split())
    hits = {tone: sum(k in words for k in keys) for tone, keys in phrases.VOICE_KEYWORDS.items()}
    best = max(hits, key=lambda tone: hits[tone])
    return best if hits[best] else phrases.DEFAULT_TONE


def fill(template: str, slots: dict[str, list[str]], limit: int, rng: random.Random) -> str | None:
    """Fill a template so the result fits in `limit` characters, or None when it cannot.

    Each slot takes a value short enough to leave room for the shortest value of
    every later slot, so long phrases are swapped for shorter ones instead of cut."""
    parsed = list(string.Formatter().parse(template))
    fields = [name for _, name, _, _ in parsed if name]
    if any(not slots.get(name) for name in fields):
        return None
    budget = limit - sum(len(literal) for literal, _, _, _ in parsed)
    values: dict[str, str] = {}
    for index, name in enumerate(fields):
        later = sum(min(len(v) for v in slots[f]) for f in fields[index + 1 :])
        options = [v for v in slots[name] if len(v) <= budget - later]
        if not options:
            return None
        values[name] = rng.choice(options)
        budget -= len(values[name])
    return template.format(**values)


def palette_words(palette: tuple[str, ...]) -> list[str]:
    """Nearest named colour for each palette entry, so image models understand it."""
    names = []
    for hex_code in palette:
        try:
            rgb = np.array([int(hex_code.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)])
        except ValueError:
            continue
        nearest = min(
            phrases.NAMED_COLOURS,
            key=lambda n: float(((np.array(phrases.NAMED_COLOURS[n]) - rgb) ** 2).sum()),
        )
        names.append(nearest)
    return list(dict.fromkeys(names))


def _diverse_top(score, vectors, headlines: list[str], n: int) -> list[int]:
    """Greedy maximal-marginal-relevance pick: fit minus similarity to what is already chosen.

    Repeated headlines are only taken once every distinct one is used."""
    chosen: list[int] = []
    while len(chosen) < min(n, len(headlines)):
        used = {headlines[i] for i in chosen}
        fresh = [i for i in range(len(headlines)) if i not in chosen and headlines[i] not in used]
        pool = fresh or [i for i in range(len(headlines)) if i not in chosen]
        redundancy = (vectors[pool] @ vectors[chosen].T).max(axis=1) if chosen else 0 * score[pool]
        gain = score[pool] - REDUNDANCY_WEIGHT * redundancy
        # argmax takes the first maximum, so ties resolve by generation order: reproducible.
        chosen.append(pool[int(np.argmax(gain))])
    return chosen


class TemplateCopywriter:
    name = "template"

    def __init__(self, embedder) -> None:
        self.embedder = embedder

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "embedder": self.embedder.describe()}

    def write(self, request: CopyRequest) -> list[AdCopy]:
        if request.n < 1:
            return []
        rng = random.Random(request.seed)
        tone = detect_tone(request.campaign.brand.voice)
        slots = self._slots(request, tone)
        drafts, rejected = self._draft_pool(request, tone, slots, rng)
        if not drafts:
            raise EngineError(
                "The template copywriter could not write any copy that passes the brand's "
                f"rules ({rejected} candidates rejected: banned terms or length limits). "
                "Check the banned terms against the product name, description and the "
                f"calls to action for the '{request.campaign.objective}' objective."
            )
        return self._rank(request, drafts, tone)

    def _slots(self, request: CopyRequest, tone: str) -> dict[str, list[str]]:
        """Candidate values per slot, with anything containing a banned term removed."""
        campaign, segment = request.campaign, request.segment
        topics = text.topics(segment.persona)
        inspiration = text.inspiration_phrases(request.inspiration)
        slots = {
            "product": [campaign.product_name.strip()],
            "brand": [campaign.brand.name.strip()],
            "audience": text.audiences(segment.persona, segment.name),
            "topic": topics,
            "Topic": [t[:1].upper() + t[1:] for t in topics],
            "benefit": text.benefits(segment.persona),
            "Feature": text.features(campaign.description),
            "closing": list(phrases.CLOSINGS[tone]),
            "Insp": inspiration,
        }
        banned = campaign.brand.banned_terms
        return {
            key: [v for v in values if v and not copy_rules.find_banned(v, banned)]
            for key, values in slots.items()
        }

    def _draft_pool(self, request, tone, slots, rng) -> tuple[list[_Draft], int]:
        """Up to POOL_FACTOR * n valid drafts with distinct text, plus the count rejected."""
        headlines = {**phrases.COMMON_HEADLINES, **phrases.TONE_HEADLINES[tone]}
        bodies = {**phrases.COMMON_BODIES, **phrases.TONE_BODIES[tone]}
        if not request.inspiration:
            headlines.pop("h.insp")
            bodies.pop("b.insp")
        drafts: dict[str, _Draft] = {}
        rejected = 0
        wanted = POOL_FACTOR * request.n
        for _ in range(ATTEMPT_FACTOR * wanted):
            if len(drafts) >= wanted:
                break
            draft = self._draft(request, tone, slots, rng, headlines, bodies)
            if draft is None:
                rejected += 1
                continue
            drafts.setdefault(draft.copy.text.lower(), draft)
        return list(drafts.values()), rejected

    def _draft(self, request, tone, slots, rng, headlines, bodies) -> _Draft | None:
        headline_id = rng.choice(sorted(headlines))
        body_id = rng.choice(sorted(bodies))
        objective = request.campaign.objective
        ctas = copy_rules.CTA_CHOICES_BY_OBJECTIVE.get(
            objective, copy_rules.CTA_CHOICES_BY_OBJECTIVE["awareness"]
        )
        limits = copy_rules.FIELD_LIMITS
        headline = fill(headlines[headline_id], slots, limits["headline"][1], rng)
        body = fill(bodies[body_id], slots, limits["body"][1], rng)
        if headline is None or body is None:
            return None
        copy = AdCopy(
            headline=headline,
            body=body,
            cta=rng.choice(ctas),
            image_prompt=self._image_prompt(request, tone, slots, rng),
        )
        fields = {k: getattr(copy, k) for k in ("headline", "body", "cta", "image_prompt")}
        if copy_rules.length_problems(fields):
            return None
        if copy_rules.find_banned(" | ".join(fields.values()), request.campaign.brand.banned_terms):
            return None
        return _Draft(copy=copy, headline_id=headline_id, body_id=body_id)

    def _image_prompt(self, request, tone, slots, rng) -> str:
        """Product + a scene from the persona's world + voice style + palette colours."""
        persona = request.segment.persona.lower()
        scenes = [scene for key, scene in phrases.SCENES.items() if key in persona]
        scene = rng.choice(sorted(set(scenes)) or list(phrases.DEFAULT_SCENES))
        parts = [slots["product"][0] if slots["product"] else "the product", f"in {scene}"]
        if slots["audience"]:
            parts.append(f"for {slots['audience'][0]}")
        parts.append(phrases.TONE_STYLE[tone])
        colours = palette_words(request.campaign.brand.palette)
        if colours:
            parts.append(f"colour palette of {', '.join(colours)}")
        parts.append("professional advertising photograph")
        prompt = ", ".join(parts)
        return prompt[: copy_rules.FIELD_LIMITS["image_prompt"][1]].rstrip(", ")

    def _rank(self, request: CopyRequest, drafts: list[_Draft], tone: str) -> list[AdCopy]:
        """Best persona fit first, but not n near-copies of the single best line."""
        texts = [d.copy.text for d in drafts]
        vectors = self.embedder.encode([request.segment.persona or request.segment.name, *texts])
        fit = vectors[1:] @ vectors[0]
        score = fit.copy()
        if request.inspiration:
            winners = self.embedder.encode(list(request.inspiration)).mean(axis=0)
            winners /= max(float(np.linalg.norm(winners)), 1e-9)
            score = (1 - INSPIRATION_WEIGHT) * fit + INSPIRATION_WEIGHT * (vectors[1:] @ winners)
        chosen = _diverse_top(
            score, vectors[1:], [d.copy.headline.lower() for d in drafts], request.n
        )
        return [
            self._finish(drafts[i], rank, fit[i], score[i], tone, request)
            for rank, i in enumerate(chosen, start=1)
        ]

    def _finish(self, draft, rank, fit, score, tone, request) -> AdCopy:
        draft.copy.lineage = {
            "backend": self.name,
            "persona_fit": round(float(fit), 4),
            "rank_score": round(float(score), 4),
            "rank": rank,
            "templates": {"headline": draft.headline_id, "body": draft.body_id},
            "tone": tone,
            "seed": request.seed,
            "inspired": bool(request.inspiration),
        }
        return draft.copy
