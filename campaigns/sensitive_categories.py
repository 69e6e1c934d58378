"""The one list of sensitive categories (GDPR art. 9 special categories) that may never be
targeted: as a rule or feature KEY ("religion": ...) or as a VALUE ("interests":
["islam", "hiv treatment"]).

Used by the serving API (`campaigns.serving.views.api_payloads`) and the segment rules
(`campaigns.rules`); add a term here and both refuse it. Values are matched by whole
words after Unicode folding, so "HIV treatment", "Muslims" and "ｈｉｖ" are caught while
"trail race" or "hearing aids" are not (ambiguous words such as "race" or "aids" are
left out of the value terms on purpose).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from studio.engine.unicode_text import for_checks

# Keys (of segment rules and of the API's features) that name a special category.
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

# Values (interests and the like) that reveal a special category, by category.
SENSITIVE_TERMS: dict[str, tuple[str, ...]] = {
    "health": (
        "medical", "medication", "prescription", "chronic pain", "obesity", "rehab", "alcoholism", "chemotherapy", "arthritis", "abortion", "psychiatric", "schizophrenia", "bipolar", "tumour", "tumor", "diagnosis",
        "health", "health condition", "medical condition", "illness", "disease", "disability",
        "disabled", "chronic illness", "mental health", "mental illness", "depression",
        "anxiety disorder", "eating disorder", "addiction", "hiv", "cancer", "diabetes",
        "diabetic", "asthma", "epilepsy", "dementia", "alzheimer", "autism", "adhd",
        "hepatitis", "pregnancy", "pregnant", "fertility", "ivf", "medical treatment",
    ),
    "religion or belief": (
        "catholicism",
        "religion", "religious", "faith", "islam", "islamic", "muslim", "christian",
        "christianity", "catholic", "protestant", "evangelical", "judaism", "jewish",
        "hindu", "hinduism", "buddhism", "buddhist", "sikh", "sikhism", "atheism", "atheist",
        "church", "mosque", "synagogue", "temple worship", "bible", "quran", "koran",
        "torah", "mormon", "scientology",
    ),
    "racial or ethnic origin": (
        "caucasian", "romani", "asian american",
        "ethnicity", "ethnic", "ethnic origin", "racial", "hispanic", "latino", "latina",
        "latinx", "african american", "indigenous", "aboriginal",
    ),
    "sex life or sexual orientation": (
        "asexual", "pansexual",
        "sexual orientation", "sexuality", "sex life", "gay", "lesbian", "bisexual",
        "homosexual", "heterosexual", "queer", "transgender", "lgbt", "lgbtq", "lgbtqia",
    ),
    "political opinion": (
        "tory", "socialism", "communism", "left wing", "right wing", "liberal party",
        "politics", "political", "political opinion", "political party", "democrat",
        "democratic party", "republican", "republican party", "conservative party",
        "labour party", "labor party", "liberal democrats", "green party", "socialist",
        "communist", "far right", "far left",
    ),
    "trade union membership": ("trade union", "labour union", "labor union", "union member"),
    "genetic data": ("genetic", "genetics", "dna test", "genome"),
    "biometric data": ("biometric", "biometrics", "fingerprint", "facial recognition"),
}  # fmt: skip


def _words(text: str) -> str:
    """Lower-case words separated by single spaces, after Unicode folding."""
    return " ".join(re.findall(r"[^\W_]+", for_checks(text).casefold()))


_TERM_CATEGORY = {
    _words(term): category for category, terms in SENSITIVE_TERMS.items() for term in terms
}
# Longest first, so "mental health" is reported rather than "health"; an "s" may follow
# (plurals: "muslims", "diseases").
_TERMS_RE = re.compile(
    r"(?<![^\W_])(?:"
    + "|".join(re.escape(t) for t in sorted(_TERM_CATEGORY, key=len, reverse=True))
    + r")s?(?![^\W_])"
)


def sensitive_key(key: object) -> bool:
    """Whether a rule or feature key names a special category ("Sexual orientation",
    "sexual-orientation" and "sexual_orientation" alike)."""
    return "_".join(_words(str(key)).split()) in SENSITIVE_KEYS


def sensitive_value(value: str) -> str | None:
    """The special category a value reveals (e.g. "health" for "HIV treatment"), or None."""
    match = _TERMS_RE.search(_words(value))
    if match is None:
        return None
    term = match.group(0)
    return _TERM_CATEGORY.get(term) or _TERM_CATEGORY[term[:-1]]


def sensitive_values(values: Iterable[str]) -> list[str]:
    """The values, in order, that reveal a special category."""
    return [v for v in values if isinstance(v, str) and sensitive_value(v) is not None]
