"""The serving API: POST /api/v1/decide and POST /api/v1/events.

Callers are ad servers and apps, authenticated by a placement's API key
(`Authorization: Bearer sk_...` or `X-Api-Key: sk_...`), not by a session. Every
problem is a 4xx JSON body {"error": {"code": ..., "message": ..., "field": ...}}; an
unexpected error is the same shape with status 500 (campaigns.api_errors).
"""

from __future__ import annotations

import functools

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from campaigns.api_errors import api_error as error
from campaigns.serving.services.decisions import DecisionError, DecisionResult, decision_make
from campaigns.serving.services.placements import placement_authenticate, rate_limit_check
from campaigns.serving.services.tracking import TrackingError, event_record
from campaigns.serving.views.api_payloads import PayloadError, parse_body, parse_decide, parse_event

MAX_BODY_BYTES = 16 * 1024


def _api_key(request) -> str:
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("X-Api-Key", "").strip()


def api_endpoint(view):
    """POST-only JSON endpoint behind a placement key, with size and rate limits.

    csrf_exempt: CSRF protects cookie-authenticated browsers. These endpoints ignore
    cookies and sessions entirely; a request proves itself with its API key header,
    which a cross-site form cannot set, so there is nothing for CSRF to protect."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request):
        if request.method != "POST":
            return error(405, "method_not_allowed", "Use POST.", Allow="POST")
        content_type = request.content_type or ""
        if content_type != "application/json":
            return error(415, "unsupported_media_type", "Send Content-Type: application/json.")
        length = request.headers.get("Content-Length") or "0"
        # ASCII digits only, and few of them: int() refuses "²" and 4,301+ digit numbers.
        if not (length.isascii() and length.isdigit()) or len(length) > 9:
            return error(413, "too_large", f"The body must be at most {MAX_BODY_BYTES} bytes.")
        if int(length) > MAX_BODY_BYTES:
            return error(413, "too_large", f"The body must be at most {MAX_BODY_BYTES} bytes.")
        placement = placement_authenticate(raw_key=_api_key(request))
        if placement is None:
            return error(401, "unauthorized", "Missing or unknown API key.")
        rate = rate_limit_check(placement=placement)
        if not rate.allowed:
            return error(
                429,
                "rate_limited",
                f"Too many requests; retry in {rate.retry_after} s.",
                Retry_After=str(rate.retry_after),
            )
        try:
            return view(request, placement, parse_body(request.body))
        except PayloadError as exc:
            return error(400, exc.code, str(exc), exc.field)

    return wrapper


@api_endpoint
def decide(request, placement, data):
    decide_request, expect = parse_decide(data)
    if expect.get("campaign", placement.campaign_id) != placement.campaign_id:
        return error(403, "wrong_campaign", "This API key belongs to another campaign.")
    if expect.get("placement", placement.name) != placement.name:
        return error(403, "wrong_placement", "This API key belongs to another placement.")
    try:
        result = decision_make(placement=placement, request=decide_request)
    except DecisionError as exc:
        return error(400, "invalid_format", str(exc), "format")
    return JsonResponse(_decision_json(request, result))


def _decision_json(request, result: DecisionResult) -> dict:
    url = result.rendition_url
    return {
        "decision_id": result.decision_id,
        "variant_id": result.variant_id,
        "format": result.format,
        "rendition_url": request.build_absolute_uri(url) if url else None,
        "media": result.media,
        "clip": _clip_json(request, result.clip),
        "copy": result.copy,
        "tracking_token": result.tracking_token,
        "explanation": result.explanation,
    }


def _clip_json(request, clip: dict | None) -> dict | None:
    """For a video placement: the signed clip link (absolute) and what a player needs."""
    if clip is None:
        return None
    return {**clip, "url": request.build_absolute_uri(clip["url"])}


@api_endpoint
def events(request, placement, data):
    token, kind, value, reason = parse_event(data)
    try:
        outcome = event_record(
            placement=placement, token=token, type=kind, value=value, reason=reason
        )
    except TrackingError as exc:
        return error(400, "invalid_token", str(exc), "token")
    status = 201 if outcome.recorded else 200
    body = {"recorded": outcome.recorded, "duplicate": not outcome.recorded}
    return JsonResponse(
        {**body, "decision_id": outcome.token_id, "type": outcome.type}, status=status
    )
