"""Template filters for scores and lineage. Every output is plain text: templates
autoescape it, nothing here marks anything safe."""

from django import template

register = template.Library()


@register.filter
def score(value, digits=2):
    """A stored score, or "n/a" when no model computed it (never a made-up number)."""
    if value is None:
        return "n/a"
    return f"{float(value):.{int(digits)}f}"


@register.filter
def percent(value, digits=0):
    """A ratio as a percentage, or "n/a" when there is none."""
    return "n/a" if value is None else f"{100 * float(value):.{int(digits)}f}%"


@register.filter
def level(value, scale=1.0):
    """good / fair / poor for a chip's colour, from a score on 0..scale."""
    if value is None:
        return "na"
    ratio = float(value) / float(scale)
    return "good" if ratio >= 0.66 else "fair" if ratio >= 0.33 else "poor"


@register.filter
def risk_level(value):
    if value is None:
        return "na"
    return "good" if value < 0.2 else "fair" if value < 0.5 else "poor"
