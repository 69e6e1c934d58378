"""Database ids typed by users (query strings, form fields), bounded before any query.

A primary key is a 64-bit signed integer on PostgreSQL and SQLite. An id of 2**63 or
more reaches the database driver as an OverflowError (SQLite) or a DataError
(PostgreSQL), a 500, unless it is refused first. Django's own exact lookups cope; the
`pk__in` lookups behind ModelMultipleChoiceField and `filter(pk__in=...)` do not.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(value: Any) -> int | None:
    """The id as an int, or None when it is not a positive whole number a primary key
    can hold (ASCII digits only: str.isdigit also accepts "²" and other digits)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > _MAX_DIGITS:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 24 else text[:20] + "…"


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that refuses ids no primary key can hold with the field's
    usual "not a valid value" error, instead of passing them to the database."""

    def _check_values(self, value):
        if self.to_field_name in (None, "pk", "id"):
            for item in value:
                if parse_id(item) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": _shown(item)},
                    )
        return super()._check_values(value)
