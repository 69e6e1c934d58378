"""Which library photo fits an image concept: the most shared words between the
concept and the photo's tags and title, a seeded choice among equally good ones."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

# Words every concept carries that say nothing about the scene.
STOPWORDS = frozenset(
    "a an and the of in on at for with by to from into its it is as or this that "
    "photo photograph professional advertising product shot image colour color palette "
    "style lit light".split()
)


@dataclass(frozen=True)
class AssetCandidate:
    key: int  # the asset's id
    words: tuple[str, ...]  # its tags and title, lowercased


def concept_words(text: str) -> set[str]:
    words = set(re.findall(r"[a-z0-9]+", text.lower())) - STOPWORDS
    # "mountains" meets "mountain": a plain trailing s is ignored on both sides.
    return words | {w[:-1] for w in words if len(w) > 3 and w.endswith("s")}


def choose_asset(candidates: list[AssetCandidate], concept: str, seed: int) -> tuple[int, int]:
    """(asset key, number of shared words) of the best match; ties broken by the seed,
    so one variant always gets the same photo and a round spreads over the ties."""
    if not candidates:
        raise ValueError("No library assets to choose from.")
    wanted = concept_words(concept)
    scored = [(len(wanted & concept_words(" ".join(c.words))), c.key) for c in candidates]
    best = max(score for score, _ in scored)
    ties = sorted(key for score, key in scored if score == best)
    return random.Random(seed).choice(ties), best
