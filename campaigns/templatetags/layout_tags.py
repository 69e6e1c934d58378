"""Filters for the layout report: box arithmetic for the SVG overlay, check labels."""

from django import template

from campaigns.selectors_review import main_rendition
from studio.engine.checks import LABELS

register = template.Library()


@register.filter
def sub(value, other):
    try:
        return int(value) - int(other)
    except (TypeError, ValueError):
        return 0


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def check_label(code):
    return LABELS.get(code, str(code).replace("_", " "))


@register.filter
def main_of(variant):
    """The rendition a variant's card shows (square first), for the Why panel overlay."""
    return main_rendition(list(variant.renditions.select_related("format")))
