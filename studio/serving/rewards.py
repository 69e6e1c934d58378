"""What a campaign's serving optimises, from its objective.

clicks       clicks per impression         Beta-Bernoulli
conversions  conversions per impression    Beta-Bernoulli
value        revenue per impression        Beta-Bernoulli conversion rate x the mean of an
                                           exponential conversion value whose rate has a
                                           conjugate Gamma prior
"""

from __future__ import annotations

REWARDS = ("clicks", "conversions", "value")
OBJECTIVE_REWARD = {
    "conversion": "conversions",
    "leads": "conversions",
    "app_installs": "conversions",
    "sales": "value",
}
# Totals tuple positions: (impressions, clicks, conversions, revenue[, hides]).
SUCCESS_COLUMN = {"clicks": 1, "conversions": 2, "value": 2}
# A "hide" (the user asked not to see the creative again) weighs like this many
# impressions without the rewarded event: negative feedback the rates alone miss.
HIDE_WEIGHT = 10.0


def reward_for(objective: str) -> str:
    """Awareness, traffic and consideration campaigns learn from clicks."""
    return OBJECTIVE_REWARD.get(objective, "clicks")


def value_prior(mean_value: float, shape: float = 3.0) -> tuple[float, float]:
    """Gamma(shape, rate) on the exponential's rate, with E[mean value] = `mean_value`
    (E[1/lambda] = rate / (shape - 1)); `shape` is how many conversions it is worth."""
    return shape, mean_value * (shape - 1)


def arm_counts(totals: tuple[float, float, float, float], reward: str):
    """(impressions, successes) and, for value, (conversions, revenue) of one arm; hides
    count as extra impressions without success."""
    impressions, _clicks, conversions, revenue = totals[:4]
    hides = totals[4] if len(totals) > 4 else 0.0
    successes = totals[SUCCESS_COLUMN[reward]]
    return (impressions + HIDE_WEIGHT * hides, successes), (conversions, revenue)
