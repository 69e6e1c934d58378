"""Rules every copywriter obeys: field lengths and banned terms.

Shared by the template and the LLM copywriters so both are held to the same limits.
Lengths follow the tightest common ad-platform limits (Google responsive display
headline 30-40, Meta primary text ~125 before truncation).
"""

from __future__ import annotations

import re

from studio.engine.unicode_text import for_checks

FIELD_LIMITS: dict[str, tuple[int, int]] = {
    # field: (min chars, max chars)
    "headline": (3, 40),
    "body": (10, 125),
    "cta": (2, 20),
    "image_prompt": (3, 300),
}

CTA_CHOICES_BY_OBJECTIVE: dict[str, tuple[str, ...]] = {
    "awareness": ("Learn more", "Discover more", "See how"),
    "traffic": ("Learn more", "Visit us", "Explore now"),
    "consideration": ("Learn more", "Compare now", "See details"),
    "conversion": ("Shop now", "Buy now", "Get yours"),
    "leads": ("Sign up", "Get a quote", "Join now"),
    "app_installs": ("Install now", "Get the app", "Download"),
}


def banned_pattern(terms: tuple[str, ...] | list[str]) -> re.Pattern[str] | None:
    """A case-insensitive, word-bounded pattern for the terms, or None when there are none."""
    cleaned = sorted(
        {for_checks(t).strip() for t in terms if t and t.strip()}, key=len, reverse=True
    )
    if not cleaned:
        return None
    alternation = "|".join(re.escape(t) for t in cleaned)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


def find_banned(text: str, terms: tuple[str, ...] | list[str]) -> list[str]:
    """Every banned term found in text, in order of appearance, as it reads once the text
    is Unicode-folded (so "guaran\u200bteed" or fullwidth letters are found too)."""
    pattern = banned_pattern(terms)
    return [m.group(0) for m in pattern.finditer(for_checks(text))] if pattern else []


def length_problems(fields: dict[str, str]) -> list[str]:
    """Human-readable problems with the fields' lengths; empty when all fit."""
    problems = []
    for name, (low, high) in FIELD_LIMITS.items():
        if name not in fields:
            continue
        size = len(fields[name].strip())
        if size < low:
            problems.append(f"{name} is too short ({size} < {low} characters)")
        elif size > high:
            problems.append(f"{name} is too long ({size} > {high} characters)")
    return problems
