"""The API validates through the UI's own forms, so a rule lives in one place."""

from __future__ import annotations

from campaigns.rest.errors import ApiError, first_form_error


def valid(form):
    if not form.is_valid():
        field, message = first_form_error(form.errors)
        raise ApiError(400, "invalid", message, field)
    return form
