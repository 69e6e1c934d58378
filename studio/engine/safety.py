"""Brand-safety checks on a finished variant: banned terms, personal data in the copy,
unsafe concepts from CLIP zero-shot scores, the diffusion safety checker, and weak
image/copy alignment.

Plain Python, no Django: the studio passes the copy, a policy and the scores, and gets
back a list of flags (code, detail, evidence). A score that is None means no model
computed it; the absence of a model is not evidence, so it never raises a flag.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from studio.engine.copy_rules import find_banned
from studio.engine.unicode_text import for_checks

COPY_FIELDS = ("headline", "body", "cta")

BANNED_TERM = "banned_term"
PII_EMAIL = "pii_email"
PII_PHONE = "pii_phone"
PII_URL = "pii_url"
UNSAFE_CONCEPT = "unsafe_concept"
NSFW_DETECTED = "nsfw_detected"
LOW_ALIGNMENT = "low_alignment"

REASONS: dict[str, str] = {
    BANNED_TERM: "Banned term",
    PII_EMAIL: "Email address in copy",
    PII_PHONE: "Phone number in copy",
    PII_URL: "URL outside the landing domain",
    UNSAFE_CONCEPT: "Unsafe concept in image",
    NSFW_DETECTED: "Diffusion safety checker",
    LOW_ALIGNMENT: "Image and copy do not match",
}
COPY_CODES = frozenset({BANNED_TERM, PII_EMAIL, PII_PHONE, PII_URL})

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Bare domains only count with a known TLD, so "Node.js" or "Run.Fast" stay innocent;
# anything with a scheme or "www." is a URL whatever its TLD.
BARE_TLDS = (
    "com|net|org|info|biz|io|co|ai|app|dev|shop|store|online|site|xyz|me|ly|gg|tv|link|"
    "uk|us|de|fr|es|it|nl|eu|ca|au|in|jp|cn|ru|br|ch|se|no|dk|fi|pl|be|at|ie|nz|za|mx"
)
URL_RE = re.compile(
    rf"(?i)(?:\bhttps?://|\bwww\.)[^\s<>\"']+"
    rf"|\b(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{BARE_TLDS})\b(?:/[^\s<>\"']*)?"
)
PHONE_RE = re.compile(r"(?<![\w+(])[+(]?\d[\d\s().-]{5,}\d(?!\w)")
LOCAL_PHONE_RE = re.compile(r"\d{3}[-. ]\d{4}")
TRAILING_PUNCTUATION = ".,;:!?)]}'\""


@dataclass(frozen=True)
class Flag:
    code: str
    detail: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SafetyPolicy:
    brand_terms: tuple[str, ...] = ()
    global_terms: tuple[str, ...] = ()
    landing_domain: str = ""  # e.g. "acme.example"; empty means every URL is outside
    unsafe_threshold: float = 0.5  # a concept probability above this opens a case
    min_alignment: float = 15.0  # a CLIPScore below this opens a case


def check(
    copy: Mapping[str, str],
    policy: SafetyPolicy,
    *,
    safety: Mapping[str, float] | None = None,
    alignment: float | None = None,
    nsfw_detected: bool | None = None,
) -> list[Flag]:
    """Every flag the variant raises; empty when it is clean."""
    return check_copy(copy, policy) + check_image(
        policy, safety=safety, alignment=alignment, nsfw_detected=nsfw_detected
    )


def check_copy(copy: Mapping[str, str], policy: SafetyPolicy) -> list[Flag]:
    flags: list[Flag] = []
    for name in COPY_FIELDS:
        # Checked as it reads, not as it is spelt: zero-width characters removed, fullwidth
        # letters and look-alike dots (U+2024) folded; evidence spans point into this text.
        text = for_checks(copy.get(name) or "")
        flags += _banned(name, text, policy)
        flags += _emails(name, text)
        # Blank out emails (same length, so spans still point into the text) so the
        # domain of an address is not reported a second time as a URL.
        flags += _urls(name, EMAIL_RE.sub(_blank, text), policy.landing_domain)
        flags += _phones(name, text)
    return flags


def check_image(
    policy: SafetyPolicy,
    *,
    safety: Mapping[str, float] | None = None,
    alignment: float | None = None,
    nsfw_detected: bool | None = None,
) -> list[Flag]:
    flags: list[Flag] = []
    for concept, probability in sorted((safety or {}).items()):
        if probability is not None and probability > policy.unsafe_threshold:
            flags.append(
                Flag(
                    UNSAFE_CONCEPT,
                    f"CLIP sees “{concept}” with probability {probability:.2f} "
                    f"(threshold {policy.unsafe_threshold:.2f}).",
                    {
                        "concept": concept,
                        "probability": probability,
                        "threshold": policy.unsafe_threshold,
                    },
                )
            )
    if nsfw_detected:
        flags.append(
            Flag(
                NSFW_DETECTED,
                "The diffusion pipeline's safety checker flagged the base image.",
                {"nsfw_detected": True},
            )
        )
    if alignment is not None and alignment < policy.min_alignment:
        flags.append(
            Flag(
                LOW_ALIGNMENT,
                f"Image/copy alignment {alignment:.1f} is below {policy.min_alignment:.1f}.",
                {"alignment": alignment, "threshold": policy.min_alignment},
            )
        )
    return flags


def _banned(name: str, text: str, policy: SafetyPolicy) -> list[Flag]:
    flags, seen = [], set()
    for source, terms in (("brand", policy.brand_terms), ("global", policy.global_terms)):
        for term in find_banned(text, terms):
            if term.lower() in seen:
                continue
            seen.add(term.lower())
            flags.append(
                Flag(
                    BANNED_TERM,
                    f"The {name} contains the {source} banned term “{term}”.",
                    {"field": name, "term": term, "source": source, "text": text},
                )
            )
    return flags


def _emails(name: str, text: str) -> list[Flag]:
    return [
        Flag(PII_EMAIL, f"The {name} contains an email address.", _evidence(name, text, m))
        for m in _unique(EMAIL_RE.finditer(text))
    ]


def _urls(name: str, text: str, landing_domain: str) -> list[Flag]:
    flags = []
    for match in _unique(URL_RE.finditer(text)):
        host = url_host(match.group(0))
        if host and domain_allowed(host, landing_domain):
            continue
        evidence = {**_evidence(name, text, match), "host": host, "allowed": landing_domain}
        detail = f"The {name} links to {host or match.group(0)}, outside the landing domain."
        flags.append(Flag(PII_URL, detail, evidence))
    return flags


def _phones(name: str, text: str) -> list[Flag]:
    return [
        Flag(PII_PHONE, f"The {name} contains a phone number.", _evidence(name, text, m))
        for m in _unique(PHONE_RE.finditer(text))
        if looks_like_phone(m.group(0))
    ]


def looks_like_phone(candidate: str) -> bool:
    """Phone numbers, not years, prices or dates: 10-15 digits, an international +
    with at least 8, or a bare local number like 555-0134."""
    digits = sum(c.isdigit() for c in candidate)
    if candidate.startswith("+"):
        return 8 <= digits <= 15
    return 10 <= digits <= 15 or LOCAL_PHONE_RE.fullmatch(candidate) is not None


def url_host(url: str) -> str:
    rest = re.sub(r"(?i)^https?://", "", url.rstrip(TRAILING_PUNCTUATION))
    host = re.split(r"[/?#:]", rest, maxsplit=1)[0].lower()
    return host.removeprefix("www.")


def domain_allowed(host: str, landing_domain: str) -> bool:
    """The landing domain itself or one of its subdomains."""
    allowed = landing_domain.lower().removeprefix("www.")
    return bool(allowed) and (host == allowed or host.endswith("." + allowed))


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _unique(matches):
    seen = set()
    for match in matches:
        if match.group(0) not in seen:
            seen.add(match.group(0))
            yield match


def _evidence(name: str, text: str, match: re.Match[str]) -> dict[str, Any]:
    value = match.group(0).rstrip(TRAILING_PUNCTUATION)
    return {"field": name, "match": value, "span": [match.start(), match.start() + len(value)]}
