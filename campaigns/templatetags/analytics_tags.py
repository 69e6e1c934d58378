"""Confidence intervals for the analytics page (single ratios use studio's `percent`);
a missing value reads "n/a"."""

from django import template

register = template.Library()


@register.filter
def interval(bounds, digits=2):
    if not bounds:
        return "n/a"
    low, high = bounds
    return f"{low * 100:.{int(digits)}f}–{high * 100:.{int(digits)}f}%"
