"""Which language a segment's copy is written in, and why when it is not the one asked."""

from __future__ import annotations

from dataclasses import dataclass

from studio.engine.copywriter.frames import Bank, bank_for
from studio.engine.locales import language_name, language_of
from studio.engine.types import CampaignBrief, SegmentBrief

FALLBACK = "en"


@dataclass(frozen=True)
class CopyLanguage:
    brief: CampaignBrief  # the brief with its fields in `language`
    bank: Bank
    language: str
    requested: str
    note: str = ""  # set when the copy is not in the requested language

    @property
    def fell_back(self) -> bool:
        return self.language != self.requested


def copy_language(brief: CampaignBrief, segment: SegmentBrief) -> CopyLanguage:
    """The segment's language when the brief has a version in it and frames ship for it;
    else English (the brief's English version, or its main one), with a note saying why."""
    requested = language_of(segment.locale) or brief.language
    localized, bank = brief.in_language(requested), bank_for(requested)
    if localized is not None and bank is not None:
        return CopyLanguage(localized, bank, requested, requested)
    name = language_name(requested)
    if bank is None:
        note = f"No {name} frames ship with the template copywriter, so the copy is in English."
    else:
        note = f"The brief has no {name} version, so the copy is in English."
    fallback = brief.in_language(FALLBACK) or brief
    return CopyLanguage(fallback, bank_for(FALLBACK), FALLBACK, requested, note)
