"""Template copywriter, second version: grammatical frames with typed slots.

The offline default. Headlines and bodies come only from the frame banks (one per
language, see frames/), their slots filled only from the creative brief's typed fields
(product name, benefits by kind, the segment's audience noun, proof points, the offer,
whole description sentences), never from fragments of free text. A draft is refused when
it repeats a word pair, names the product twice in its headline, breaks a length limit,
or fails the safety checks on the final copy (banned terms, emails, phones, foreign URLs).
The MiniLM embedder ranks the drafts by fit to the persona, the segment's focus benefit
and the brief's words to use, then picks a diverse set. Seeded: same request, same copy.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import numpy as np

from studio.engine import copy_rules, safety
from studio.engine.copywriter import phrases, quality
from studio.engine.copywriter.languages import CopyLanguage, copy_language
from studio.engine.copywriter.slots import SlotValue, brief_slots, fill, frame_fields, usable
from studio.engine.types import AdCopy, CopyRequest, EngineError

# Candidates generated per requested variant; the embedder keeps the best fitting ones.
POOL_FACTOR = 6
# Attempts allowed per wanted candidate before giving up (some frames never fit).
ATTEMPT_FACTOR = 12
# Weight of similarity to past winners when inspiration is given.
INSPIRATION_WEIGHT = 0.2
# How strongly a candidate is held back for resembling one already chosen.
REDUNDANCY_WEIGHT = 0.3
# Bonus for a draft that uses the segment's focus benefit / one of the words to use.
FOCUS_BONUS = 0.08
WORDS_BONUS = 0.04
# Held back for reusing a frame already chosen (distinct frames read as distinct ads).
FRAME_REUSE_PENALTY = 0.1
# Slots that say nothing of the product's benefits, proof or offer.
GENERIC_SLOTS = {"product", "closing"}


@dataclass
class _Draft:
    copy: AdCopy
    frames: dict[str, str]
    slots: dict[str, dict[str, SlotValue]]


def detect_tone(voice: str) -> str:
    """The frame set whose keywords occur most often in the brand's voice."""
    words = set(re.findall(r"[a-z][a-z'-]+", voice.lower()))
    hits = {tone: sum(k in words for k in keys) for tone, keys in phrases.VOICE_KEYWORDS.items()}
    best = max(hits, key=lambda tone: hits[tone])
    return best if hits[best] else phrases.DEFAULT_TONE


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


def landing_domain(url: str) -> str:
    return (urlparse(url).hostname or "").removeprefix("www.") if url else ""


def _diverse_top(score, vectors, drafts: list[_Draft], n: int) -> list[int]:
    """Greedy maximal-marginal-relevance pick: fit minus similarity to what is chosen.

    A headline or body already used is only taken again once every fresh one is gone, a
    frame already used only once no draft with two unused frames is left."""
    chosen: list[int] = []
    keys = [(d.copy.headline.lower(), d.copy.body.lower()) for d in drafts]
    while len(chosen) < min(n, len(drafts)):
        heads = {keys[i][0] for i in chosen}
        bodies = {keys[i][1] for i in chosen}
        frames = [f for i in chosen for f in drafts[i].frames.values()]
        rest = [i for i in range(len(drafts)) if i not in chosen]
        fresh = [i for i in rest if keys[i][0] not in heads and keys[i][1] not in bodies]
        pool = (
            [i for i in fresh if not set(drafts[i].frames.values()) & set(frames)]
            or fresh
            or [i for i in rest if keys[i][0] not in heads]
            or rest
        )
        redundancy = (vectors[pool] @ vectors[chosen].T).max(axis=1) if chosen else 0 * score[pool]
        reuse = np.array([sum(frames.count(f) for f in drafts[i].frames.values()) for i in pool])
        gain = score[pool] - REDUNDANCY_WEIGHT * redundancy - FRAME_REUSE_PENALTY * reuse
        # argmax takes the first maximum, so ties resolve by generation order: reproducible.
        chosen.append(pool[int(np.argmax(gain))])
    return chosen


class TemplateCopywriter:
    name = "template"

    def __init__(self, embedder) -> None:
        self.embedder = embedder

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "frames": "v2", "embedder": self.embedder.describe()}

    def write(self, request: CopyRequest) -> list[AdCopy]:
        if request.n < 1:
            return []
        rng = random.Random(request.seed)
        tone = detect_tone(request.campaign.brand.voice)
        language = copy_language(request.campaign, request.segment)
        slots = brief_slots(
            language.brief, request.segment, language.bank, tone, audience=not language.fell_back
        )
        drafts, rejected = self._draft_pool(request, language, tone, slots, rng)
        if not drafts:
            raise EngineError(
                "The template copywriter could not write any copy that passes the brand's "
                f"rules ({rejected} candidates rejected: banned terms, length limits, "
                "repeated words or personal data). Check the banned terms and words to avoid "
                "against the brief's product name, benefits and the calls to action for the "
                f"'{request.campaign.objective}' objective."
            )
        return self._rank(request, language, drafts, tone, slots)

    def _draft_pool(self, request, language, tone, slots, rng) -> tuple[list[_Draft], int]:
        """Up to POOL_FACTOR * n valid drafts with distinct text, plus the count rejected."""
        bank = language.bank
        heads = {k: f for k, f in bank.headline_frames(tone).items() if usable(f, slots)}
        bodies = {k: f for k, f in bank.body_frames(tone).items() if usable(f, slots)}
        # A body that says nothing of the brief ("Summit 2 is here.") only when few others fit.
        saying = {k: f for k, f in bodies.items() if set(frame_fields(f)) - GENERIC_SLOTS}
        if len(saying) >= min(request.n, len(bodies) - 1):
            bodies = saying
        ctas = [c for c in bank.cta_choices(request.campaign.objective)]
        drafts: dict[str, _Draft] = {}
        rejected = 0
        wanted = POOL_FACTOR * request.n
        if not heads or not bodies:
            return [], 0
        for _ in range(ATTEMPT_FACTOR * wanted):
            if len(drafts) >= wanted:
                break
            draft = self._draft(request, language, heads, bodies, ctas, slots, rng)
            if draft is None:
                rejected += 1
                continue
            drafts.setdefault(draft.copy.text.lower(), draft)
        return list(drafts.values()), rejected

    def _draft(self, request, language, heads, bodies, ctas, slots, rng) -> _Draft | None:
        head_id, body_id = rng.choice(sorted(heads)), rng.choice(sorted(bodies))
        limits = copy_rules.FIELD_LIMITS
        head = fill(heads[head_id], slots, limits["headline"][1], rng)
        body = fill(bodies[body_id], slots, limits["body"][1], rng)
        if head is None or body is None:
            return None
        fix = language.bank.fix
        copy = AdCopy(
            headline=fix(head[0]),
            body=fix(body[0]),
            cta=rng.choice(ctas),
            image_prompt=self._image_prompt(request, language, rng),
            language=language.language,
        )
        if not self._acceptable(copy, request, language):
            return None
        return _Draft(
            copy, {"headline": head_id, "body": body_id}, {"headline": head[1], "body": body[1]}
        )

    def _acceptable(self, copy: AdCopy, request: CopyRequest, language: CopyLanguage) -> bool:
        """The final copy, as it would run: lengths, repetition, then the safety checks."""
        fields = {k: getattr(copy, k) for k in ("headline", "body", "cta", "image_prompt")}
        if copy_rules.length_problems(fields):
            return False
        if quality.problems(copy.headline, copy.body, language.brief.product_name):
            return False
        brief = request.campaign
        policy = safety.SafetyPolicy(
            brand_terms=brief.banned_terms, landing_domain=landing_domain(brief.landing_url)
        )
        return not safety.check_copy(fields, policy) and not copy_rules.find_banned(
            copy.image_prompt, brief.banned_terms
        )

    def _image_prompt(self, request: CopyRequest, language: CopyLanguage, rng) -> str:
        """Product + a scene from the persona's world + voice style + palette colours.
        Image models read English, so this stays English whatever the copy's language."""
        persona = request.segment.persona.lower()
        scenes = [scene for key, scene in phrases.SCENES.items() if key in persona]
        scene = rng.choice(sorted(set(scenes)) or list(phrases.DEFAULT_SCENES))
        parts = [request.campaign.product_name.strip() or "the product", f"in {scene}"]
        audience = request.segment.audience.strip()
        if audience and not language.fell_back and language.language == "en":
            parts.append(f"for {audience}")
        parts.append(phrases.TONE_STYLE[detect_tone(request.campaign.brand.voice)])
        colours = palette_words(request.campaign.brand.palette)
        if colours:
            parts.append(f"colour palette of {', '.join(colours)}")
        parts.append("professional advertising photograph")
        prompt = ", ".join(parts)
        return prompt[: copy_rules.FIELD_LIMITS["image_prompt"][1]].rstrip(", ")

    def _rank(self, request, language, drafts: list[_Draft], tone, slots) -> list[AdCopy]:
        """Best persona fit first (plus the focus benefit and words to use), diverse."""
        texts = [d.copy.text for d in drafts]
        segment = request.segment
        anchor = segment.persona or segment.audience or segment.name
        vectors = self.embedder.encode([anchor, *texts])
        fit = vectors[1:] @ vectors[0]
        score = fit + np.array([self._bonus(d, request, language) for d in drafts])
        if request.inspiration:
            winners = self.embedder.encode(list(request.inspiration)).mean(axis=0)
            winners /= max(float(np.linalg.norm(winners)), 1e-9)
            score = (1 - INSPIRATION_WEIGHT) * score + INSPIRATION_WEIGHT * (vectors[1:] @ winners)
        chosen = _diverse_top(score, vectors[1:], drafts, request.n)
        return [
            self._finish(drafts[i], rank, fit[i], score[i], tone, request, language)
            for rank, i in enumerate(chosen, start=1)
        ]

    def _bonus(self, draft: _Draft, request: CopyRequest, language: CopyLanguage) -> float:
        focus = request.segment.focus_benefit.strip().lower()
        used = {v.base.lower() for part in draft.slots.values() for v in part.values()}
        bonus = FOCUS_BONUS if focus and focus in used else 0.0
        text = draft.copy.text.lower()
        if any(w.strip() and w.strip().lower() in text for w in request.campaign.words_to_use):
            bonus += WORDS_BONUS
        return bonus

    def _finish(self, draft, rank, fit, score, tone, request, language) -> AdCopy:
        offer = request.campaign.offer
        draft.copy.badge = language.bank.badge(offer.discount_percent, offer.price.strip())
        draft.copy.lineage = {
            "backend": self.name,
            "persona_fit": round(float(fit), 4),
            "rank_score": round(float(score), 4),
            "rank": rank,
            "frames": draft.frames,
            "slots": {
                part: {name: {"value": v.text, "field": v.field} for name, v in values.items()}
                for part, values in draft.slots.items()
            },
            "tone": tone,
            "language": language.language,
            "requested_language": language.requested,
            "language_note": language.note,
            "badge": draft.copy.badge,
            "seed": request.seed,
            "inspired": bool(request.inspiration),
        }
        return draft.copy
