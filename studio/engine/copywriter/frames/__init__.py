"""Frame banks: grammatical ad-copy frames per language, with typed slots.

A frame is a sentence with slots that only the creative brief's typed fields fill:
  {product}              the product name
  {does} / {Does}        a "what it does" benefit, a verb phrase with the product as subject
                         ("grips on wet rock"); {does2} a second, different one
  {gets} / {Gets}        a "what you get" benefit, a noun phrase ("dry feet all day"); {gets2}
  {audience} / {Audience} the segment's audience noun, plural ("trail runners")
  {proof} / {Proof}      a proof point, a statement without its final full stop
  {discount} / {Discount}, {price}, {until}   the offer, worded by the language bank
  {sentence}             one whole sentence of the description (split by pysbd)
  {closing}              a sign-off of the bank's own, per tone
A capitalised slot name starts a sentence. Each frame has an id ("de.h.does") that goes
into the lineage, so every line of copy can be traced to its frame and its slot values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

TONES = ("playful", "premium", "bold", "friendly", "calm", "trustworthy")


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Bank:
    language: str
    headlines: Mapping[str, str]
    tone_headlines: Mapping[str, Mapping[str, str]]
    bodies: Mapping[str, str]
    tone_bodies: Mapping[str, Mapping[str, str]]
    closings: Mapping[str, tuple[str, ...]]
    ctas: Mapping[str, tuple[str, ...]]
    months: tuple[str, ...]
    discount: str  # "{p}% off": the discount mid-sentence
    discount_lead: str  # the discount opening a headline
    until: str  # "until {day} {month}"
    badge_discount: str  # "-{p}%"
    badge_price: str  # "Now {price}"
    first_day: str = "{day}"  # French writes the first of the month "1er"
    fix: Callable[[str], str] = field(default=_same)  # language-specific contractions

    def headline_frames(self, tone: str) -> dict[str, str]:
        return self._ids("h", {**self.headlines, **self.tone_headlines.get(tone, {})})

    def body_frames(self, tone: str) -> dict[str, str]:
        return self._ids("b", {**self.bodies, **self.tone_bodies.get(tone, {})})

    def all_frames(self) -> dict[str, str]:
        frames = {**self._ids("h", self.headlines), **self._ids("b", self.bodies)}
        for tone in TONES:
            frames |= self.headline_frames(tone) | self.body_frames(tone)
        return frames

    def _ids(self, kind: str, frames: Mapping[str, str]) -> dict[str, str]:
        return {f"{self.language}.{kind}.{key}": text for key, text in frames.items()}

    def cta_choices(self, objective: str) -> tuple[str, ...]:
        return self.ctas.get(objective) or self.ctas["awareness"]

    def deadline(self, ends: dt.date) -> str:
        day = self.first_day.format(day=ends.day) if ends.day == 1 else str(ends.day)
        return self.until.format(day=day, month=self.months[ends.month - 1])

    def badge(self, discount_percent: int | None, price: str) -> str:
        if discount_percent:
            return self.badge_discount.format(p=discount_percent)
        return self.badge_price.format(price=price) if price else ""


def spanish_conjunctions(text: str) -> str:
    """Spanish "y" becomes "e" before an i-sound, "o" becomes "u" before an o-sound."""
    text = re.sub(r"\by (?=h?i(?!e))", "e ", text, flags=re.IGNORECASE)
    return re.sub(r"\bo (?=h?o)", "u ", text, flags=re.IGNORECASE)


def banks() -> dict[str, Bank]:
    from studio.engine.copywriter.frames import de, en, es, fr

    return {bank.language: bank for bank in (en.BANK, de.BANK, fr.BANK, es.BANK)}


def bank_for(language: str) -> Bank | None:
    return banks().get(language)
