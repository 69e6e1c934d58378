"""Beta priors on a creative's click-through rate from the scores the engine computed.

The scores say how well copy and image fit the brief and the segment, not how often
people click, so they only tilt the prior mean around a base CTR and carry the weight
of a few impressions: real clicks overrule them quickly.
"""

from __future__ import annotations

from dataclasses import dataclass

# Each score's range, to bring them onto 0..1 (see studio.engine.scorer).
SCORE_SCALES = {"text_fit": 100.0, "alignment": 100.0, "segment_fit": 1.0}


@dataclass(frozen=True)
class PriorConfig:
    base_ctr: float = 0.02  # prior mean of a creative with average (or no) scores
    strength: float = 10.0  # pseudo-impressions the prior is worth


def quality(scores: dict[str, float | None]) -> float | None:
    """Mean of the available scores on 0..1; None when no model scored the creative."""
    values = [
        min(max(float(value) / SCORE_SCALES[name], 0.0), 1.0)
        for name, value in scores.items()
        if name in SCORE_SCALES and value is not None
    ]
    return sum(values) / len(values) if values else None


def prior_from_scores(
    scores: dict[str, float | None], config: PriorConfig = PriorConfig()
) -> tuple[float, float]:
    """(alpha, beta) of the Beta prior: mean base_ctr * (0.5 + quality), clipped."""
    q = quality(scores)
    mean = config.base_ctr * (0.5 + (0.5 if q is None else q))
    mean = min(max(mean, 1e-4), 0.5)
    return mean * config.strength, (1.0 - mean) * config.strength
