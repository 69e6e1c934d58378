"""Match a user to one audience segment: by the segments' rules first, and when no rule
set matches, by embedding similarity between the user's features and the personas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np


class RuleSet(Protocol):
    def matches(self, features: dict[str, Any]) -> bool: ...
    def describe(self) -> str: ...


@dataclass(frozen=True)
class SegmentInfo:
    id: int
    name: str
    rules: RuleSet
    specificity: int  # how many rule keys are present; the most specific match wins
    persona: str = ""


@dataclass(frozen=True)
class Match:
    segment: SegmentInfo
    by: str  # "rules" or "embedding"
    why: str
    similarity: float | None = None


def feature_text(features: dict[str, Any]) -> str:
    """The user's features as a short sentence, in a fixed order so equal users share
    one cached embedding."""
    parts = []
    if features.get("age") is not None:
        parts.append(f"{features['age']} years old")
    if features.get("interests"):
        parts.append("interested in " + ", ".join(sorted(features["interests"])))
    for key in ("locale", "country", "device"):
        if features.get(key):
            parts.append(f"{key} {features[key]}")
    return "; ".join(parts)


def match_by_rules(features: dict[str, Any], segments: Sequence[SegmentInfo]) -> Match | None:
    """The most specific segment whose rules the user matches, or None."""
    matched = [s for s in segments if s.rules.matches(features)]
    if not matched:
        return None
    # A segment without rules matches everyone; any more specific match wins over it.
    best = max(matched, key=lambda s: (s.specificity, -s.id))
    why = f"matches its rules ({best.rules.describe()})"
    if len(matched) > 1:
        why += f"; the most specific of {len(matched)} matching segments"
    return Match(best, "rules", why)


def match_by_embedding(
    user_vector: np.ndarray, segments: Sequence[SegmentInfo], personas: np.ndarray
) -> Match | None:
    """The segment whose persona embedding (a row of `personas`) is closest to the user's."""
    if not len(segments):
        return None
    similarities = personas @ user_vector
    row = int(np.argmax(similarities))
    similarity = float(similarities[row])
    why = f"no segment's rules matched; closest persona (cosine similarity {similarity:.2f})"
    return Match(segments[row], "embedding", why, similarity)
