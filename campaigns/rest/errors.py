"""Every API error has the serving endpoints' shape:
{"error": {"code": ..., "message": ..., "field": ...}}."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


def error_body(code: str, message: str, field: str | None = None) -> dict:
    return {"error": {"code": code, "message": message, **({"field": field} if field else {})}}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def first_form_error(errors: dict) -> tuple[str | None, str]:
    """(field, message) of a form's or a ValidationError's first problem."""
    for field, messages in errors.items():
        message = " ".join(str(m) for m in messages)
        return (None if field == "__all__" else field), message
    return None, "Invalid input."


def install(api) -> None:
    def respond(request, status, code, message, field=None):
        return api.create_response(request, error_body(code, message, field), status=status)

    @api.exception_handler(ApiError)
    def _api_error(request, exc):
        return respond(request, exc.status, exc.code, exc.message, exc.field)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return respond(request, 404, "not_found", "Not found, or not in your brands.")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return respond(request, 403, "forbidden", str(exc) or "Your role does not allow this.")

    @api.exception_handler(AuthenticationError)
    def _unauthorized(request, exc):
        return respond(request, 401, "unauthorized", "Send Authorization: Bearer <API token>.")

    @api.exception_handler(DjangoValidationError)
    def _invalid(request, exc):
        if hasattr(exc, "error_dict"):
            field, message = first_form_error(exc.message_dict)
        else:
            field, message = None, " ".join(exc.messages)
        return respond(request, 400, "invalid", message, field)

    @api.exception_handler(NinjaValidationError)
    def _schema(request, exc):
        first = exc.errors[0] if exc.errors else {}
        loc = [
            str(p) for p in first.get("loc", []) if p not in ("body", "query", "path", "payload")
        ]
        message = first.get("msg", "Invalid input.")
        return respond(request, 400, "invalid_payload", message, ".".join(loc) or None)

    @api.exception_handler(HttpError)
    def _http(request, exc):
        return respond(request, exc.status_code, "error", str(exc))
