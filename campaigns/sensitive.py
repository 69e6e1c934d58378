"""The one list of sensitive categories (GDPR art. 9 special categories) the studio
refuses to target: as rule keys, as interest values in segment rules, and as feature keys
and interest values in the decision API. Change it here and every check follows.

A value is sensitive when, after NFKC normalisation and case folding, it contains one of
the terms as whole words ("health conditions", "HIV treatment", "Islam"); a plural "s"
counts as the term.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Rule keys / feature keys that name a sensitive attribute outright.
SENSITIVE_KEYS = frozenset(
    {
        "health",
        "religion",
        "ethnicity",
        "race",
        "sexual_orientation",
        "sexuality",
        "political_opinion",
        "politics",
        "trade_union",
        "genetic",
        "biometric",
    }
)

# Words and phrases that make an interest value sensitive, by category.
# fmt: off
SENSITIVE_TERMS: dict[str, tuple[str, ...]] = {
    "health": (
        "health", "medical", "disease", "illness", "diagnosis", "disability", "disabled", "hiv",
        "cancer", "tumour", "tumor", "diabetes", "diabetic", "depression", "anxiety disorder",
        "mental illness", "psychiatric", "schizophrenia", "bipolar", "autism", "adhd", "dementia",
        "alzheimer", "alzheimers", "epilepsy", "asthma", "arthritis", "hepatitis", "obesity",
        "pregnancy", "pregnant", "fertility", "ivf", "abortion", "addiction", "rehab",
        "alcoholism", "std", "sti", "chemotherapy", "medication", "prescription", "chronic pain",
    ),
    "religion": (
        "religion", "religious", "christian", "christianity", "catholic", "catholicism",
        "protestant", "evangelical", "mormon", "muslim", "islam", "islamic", "jewish", "judaism",
        "hindu", "hinduism", "buddhist", "buddhism", "sikh", "sikhism", "atheist", "atheism",
        "church", "mosque", "synagogue", "temple worship", "bible", "quran", "koran", "torah",
    ),
    "ethnicity": (
        "ethnicity", "ethnic", "race", "racial", "african american", "hispanic", "latino",
        "latina", "latinx", "asian american", "caucasian", "indigenous", "aboriginal", "romani",
    ),
    "sexual orientation and sex life": (
        "sexual orientation", "sexuality", "sex life", "gay", "lesbian", "bisexual", "lgbt",
        "lgbtq", "lgbtqia", "queer", "transgender", "homosexual", "heterosexual", "asexual",
        "pansexual",
    ),
    "political opinion": (
        "politics", "political", "democrat", "democratic party", "republican",
        "conservative party", "liberal party", "labour party", "green party", "tory", "socialist",
        "socialism", "communist", "communism", "far right", "far left", "left wing", "right wing",
    ),
    "trade union membership": (
        "trade union", "labor union", "labour union", "union member",
    ),
    "genetic or biometric data": (
        "genetic", "genetics", "dna test", "biometric", "biometrics",
    ),
}
# fmt: on

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def _words(value: str) -> str:
    """NFKC, no zero-width or bidi controls, case-folded, punctuation as spaces."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", str(value))).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


_PATTERNS = {
    category: re.compile(
        r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")s?\b"
    )
    for category, terms in SENSITIVE_TERMS.items()
}


def sensitive_category(value: str) -> str | None:
    """The sensitive category a value falls in ("health", "religion", ...), or None."""
    words = _words(value)
    if words.replace(" ", "_") in SENSITIVE_KEYS:
        return words
    for category, pattern in _PATTERNS.items():
        if pattern.search(words):
            return category
    return None


def sensitive_values(values: Iterable[str]) -> list[str]:
    """The values (as given) that are sensitive, in order."""
    return [v for v in values if sensitive_category(v) is not None]


def is_sensitive_key(key: str) -> bool:
    return _words(key).replace(" ", "_") in SENSITIVE_KEYS
