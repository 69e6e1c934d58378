"""The checks copy typed by a person must pass, for a designer's edit and a moderator's
fix alike: the copywriters' length limits, invisible characters (zero-width, bidi
controls: refused outright, they can hide a banned word or reorder a rendered line),
and everything moderation would flag in generated copy (banned terms, emails, phone
numbers, off-site links), checked on the Unicode-folded text."""

from __future__ import annotations

from campaigns.services import moderation
from studio.engine import safety
from studio.engine.copy_rules import length_problems
from studio.engine.unicode_text import hidden_characters_message

COPY_FIELDS = ("headline", "body", "cta")


def copy_problems(*, fields: dict[str, str], campaign) -> dict[str, list[str]]:
    """Problems per field, as sentences for a form; empty when the copy may be stored."""
    errors: dict[str, list[str]] = {}
    for name in COPY_FIELDS:
        hidden = hidden_characters_message(fields[name])
        if hidden:
            errors.setdefault(name, []).append(hidden)
        for problem in length_problems({name: fields[name]}):
            errors.setdefault(name, []).append(problem[0].upper() + problem[1:] + ".")
    for flag in safety.check_copy(fields, moderation.safety_policy(campaign)):
        errors.setdefault(flag.evidence["field"], []).append(flag.detail)
    return errors
