"""The serving API's error shape, {"error": {"code", "message", "field"}}, for every error
under /api/: the views' own (`api_error`) and whatever else answers there: an
unexpected exception (500), an unknown path (404), a failure in a middleware.

The middleware sits first in MIDDLEWARE, so it sees the response every inner layer
produced, including Django's 500 page for an uncaught exception (already logged with
its traceback by django.request), and replaces any non-JSON error with the JSON shape.
An integrator's client then never has to parse an HTML page, with DEBUG on or off.
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse

API_PREFIX = "/api/"

_CODES = {
    400: ("bad_request", "The request could not be read."),
    403: ("forbidden", "This request is not allowed."),
    404: ("not_found", "There is nothing at this address."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("too_large", "The request is too large."),
    500: ("server_error", "Something went wrong on our side; it has been logged. Retry later."),
}


def api_error(status: int, code: str, message: str, field: str | None = None, **headers):
    body = {"error": {"code": code, "message": message, **({"field": field} if field else {})}}
    response = JsonResponse(body, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PREFIX)
            or response.status_code < 400
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        code, message = _CODES.get(status) or _CODES[500 if status >= 500 else 400]
        replacement = api_error(status, code, message)
        # Keep what the inner layers set (security headers, Allow, Retry-After, cookies).
        for name, value in response.items():
            if name.lower() not in ("content-type", "content-length"):
                replacement[name] = value
        replacement.cookies = response.cookies
        return replacement


class ContentLengthGuardMiddleware:
    """First of all middleware: a Content-Length that is not a plain number of sane
    length (thousands of digits, "²") is answered 413 before anything parses it; Python
    refuses int() of over 4,300 digits, and a metrics middleware reading the header would
    otherwise turn a hostile header into a 500."""

    MAX_DIGITS = 18

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH") or ""
        if length and not (
            length.isascii() and length.isdigit() and len(length) <= self.MAX_DIGITS
        ):
            if request.path.startswith(API_PREFIX):
                return api_error(413, *_CODES[413])
            return HttpResponse("The request is too large.", status=413, content_type="text/plain")
        return self.get_response(request)
