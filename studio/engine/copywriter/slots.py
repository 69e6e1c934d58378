"""Typed slot values for the frames, taken only from the creative brief's typed fields.

Every value remembers the brief field it came from (`field`), so the lineage can show
that a line of copy is a frame filled from the brief and nothing else.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from studio.engine import copy_rules
from studio.engine.copywriter.frames import Bank
from studio.engine.copywriter.sentences import split_sentences
from studio.engine.types import CampaignBrief, SegmentBrief

# Description sentences longer than this leave no room for a frame around them.
MAX_SENTENCE_CHARS = 110


@dataclass(frozen=True)
class SlotValue:
    text: str
    field: str  # the brief field: product_name, benefits.does, audience, offer, ...
    base: str = ""  # the brief's own text, before casing (tells does2 from does)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def mid_sentence(text: str, language: str) -> str:
    """A phrase as it reads mid-sentence: "Grips on wet rock" -> "grips on wet rock".
    German nouns keep their capital, and so do acronyms and names in capitals."""
    first = text.split(" ", 1)[0]
    if language == "de" or not first[:1].isupper() or not first[1:].islower():
        return text
    return text[:1].lower() + text[1:]


def _clean(text: str) -> str:
    return " ".join((text or "").split()).rstrip(" .;,")


def brief_slots(
    brief: CampaignBrief, segment: SegmentBrief, bank: Bank, tone: str, *, audience: bool
) -> dict[str, list[SlotValue]]:
    """Slot name -> candidate values; values with a banned term or a word to avoid are out."""
    lang = brief.language
    product = _clean(brief.product_name)
    slots: dict[str, list[SlotValue]] = {"product": [SlotValue(product, "product_name", product)]}
    for kind in ("does", "gets"):
        values = [_clean(b.text) for b in brief.benefits if b.kind == kind and _clean(b.text)]
        field = f"benefits.{kind}"
        slots[kind] = [SlotValue(mid_sentence(v, lang), field, v) for v in values]
        slots[kind.capitalize()] = [SlotValue(capitalise(v), field, v) for v in values]
    noun = _clean(segment.audience) if audience else ""
    if noun:
        slots["audience"] = [SlotValue(mid_sentence(noun, lang), "segment.audience", noun)]
        slots["Audience"] = [SlotValue(capitalise(noun), "segment.audience", noun)]
    proofs = [_clean(p) for p in brief.proof_points if _clean(p)]
    slots["proof"] = [SlotValue(mid_sentence(p, lang), "proof_points", p) for p in proofs]
    slots["Proof"] = [SlotValue(capitalise(p), "proof_points", p) for p in proofs]
    slots["sentence"] = [
        SlotValue(s, "description", s)
        for s in split_sentences(brief.description, lang)
        if len(s.split()) >= 3 and len(s) <= MAX_SENTENCE_CHARS and s[-1:] in ".!?"
    ]
    slots |= _offer_slots(brief, bank)
    slots["closing"] = [SlotValue(c, "bank.closing", c) for c in bank.closings[tone]]
    banned = brief.banned_terms
    return {
        name: [v for v in values if not copy_rules.find_banned(v.text, banned)]
        for name, values in slots.items()
    }


def _offer_slots(brief: CampaignBrief, bank: Bank) -> dict[str, list[SlotValue]]:
    offer = brief.offer
    slots: dict[str, list[SlotValue]] = {}
    if offer.discount_percent:
        p = offer.discount_percent
        slots["discount"] = [SlotValue(bank.discount.format(p=p), "offer.discount", str(p))]
        slots["Discount"] = [
            SlotValue(capitalise(bank.discount_lead.format(p=p)), "offer.discount", str(p))
        ]
        if offer.ends:
            ends = offer.ends.isoformat()
            slots["until"] = [SlotValue(bank.deadline(offer.ends), "offer.ends", ends)]
    if offer.price.strip():
        price = offer.price.strip()
        slots["price"] = [SlotValue(price, "offer.price", price)]
    return slots


def frame_fields(frame: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(frame) if name]


def usable(frame: str, slots: dict[str, list[SlotValue]]) -> bool:
    """Every slot of the frame has a value (a "2" slot needs a second, different one)."""
    for name in frame_fields(frame):
        pool = slots.get(name.rstrip("2"), [])
        if len(pool) < (2 if name.endswith("2") else 1):
            return False
    return True


def fill(
    frame: str, slots: dict[str, list[SlotValue]], limit: int, rng: random.Random
) -> tuple[str, dict[str, SlotValue]] | None:
    """Fill a frame within `limit` characters, or None. Each slot takes a value short
    enough to leave room for the shortest value of every later slot, so a long benefit is
    swapped for a shorter one, never cut."""
    parsed = list(string.Formatter().parse(frame))
    fields = [name for _, name, _, _ in parsed if name]
    budget = limit - sum(len(literal) for literal, _, _, _ in parsed)
    chosen: dict[str, SlotValue] = {}
    for index, name in enumerate(fields):
        pool = slots.get(name.rstrip("2"), [])
        taken = {v.base for v in chosen.values() if v.field == (pool[0].field if pool else "")}
        options = [v for v in pool if not (name.endswith("2") and v.base in taken)]
        later = sum(min((len(v.text) for v in slots.get(f.rstrip("2"), [])), default=0)
                    for f in fields[index + 1 :])  # fmt: skip
        options = [v for v in options if len(v.text) <= budget - later]
        if not options:
            return None
        chosen[name] = rng.choice(options)
        budget -= len(chosen[name].text)
    return frame.format(**{k: v.text for k, v in chosen.items()}), chosen
