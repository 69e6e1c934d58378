"""Number formatting for the analytics page; a missing value reads "n/a"."""

from django import template

register = template.Library()


@register.filter
def pct(value, digits=2):
    if value is None:
        return "n/a"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def interval(bounds, digits=2):
    if not bounds:
        return "n/a"
    low, high = bounds
    return f"{low * 100:.{int(digits)}f}–{high * 100:.{int(digits)}f}%"
