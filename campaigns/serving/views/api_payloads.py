"""Strict validation of the serving API's JSON bodies: types, sizes and unknown keys.

Every problem raises PayloadError with a message fit to show the integrator, naming
the field; the view turns it into a 400.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

from campaigns.rules import DEVICES
from campaigns.sensitive_categories import sensitive_key, sensitive_value
from campaigns.serving.services.decisions import DecideRequest
from studio.engine.motion import LENGTHS

FEATURE_KEYS = ("age", "interests", "locale", "country", "device")
# Patterns are used with fullmatch: with match and "$", a trailing "\n" would pass.
LOCALE_RE = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}")
COUNTRY_RE = re.compile(r"[A-Za-z]{2}")
FORMAT_RE = re.compile(r"[-a-zA-Z0-9_]+")
MAX_VALUE = Decimal("1000000000")
REPORT_REASONS = ("offensive", "misleading", "inappropriate", "irrelevant", "other")
# No field takes a whole number of more digits (ids are 64-bit: 19). Longer ones are
# refused while parsing, before int() meets Python's 4,300-digit limit (a ValueError).
MAX_INT_DIGITS = 20
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


class PayloadError(ValueError):
    def __init__(self, message: str, field: str | None = None, code: str = "invalid_payload"):
        super().__init__(message)
        self.field = field
        self.code = code


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise PayloadError(
            f"Whole numbers may have at most {MAX_INT_DIGITS} digits (got {digits})."
        )
    return int(text)


def parse_body(raw: bytes) -> Any:
    """The JSON body, or PayloadError: not JSON, nested too deep, a number too long, or a
    string that is not valid Unicode (a lone surrogate such as "\\ud800", which JSON
    allows but no UTF-8 encoder, hash or database does)."""
    try:
        data = json.loads(raw, parse_int=_bounded_int)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"The body is not valid JSON: {exc}.", code="invalid_json") from exc
    except RecursionError as exc:
        raise PayloadError("The body is nested too deeply.", code="invalid_json") from exc
    _refuse_surrogates(data)
    return data


def _refuse_surrogates(data: Any) -> None:
    """Walk the parsed body (iteratively: it may be nested hundreds deep) and refuse any
    key or string holding a lone surrogate, naming the field it sits in."""
    stack: list[tuple[Any, str | None]] = [(data, None)]
    while stack:
        item, field = stack.pop()
        if isinstance(item, str) and _SURROGATE_RE.search(item):
            where = f'"{field}"' if field else "A string"
            raise PayloadError(
                f"{where} holds a lone UTF-16 surrogate (such as \\ud800); "
                "send valid Unicode text.",
                field,
            )
        if isinstance(item, dict):
            stack.extend((key, key if not _SURROGATE_RE.search(key) else None) for key in item)
            stack.extend((value, key) for key, value in item.items())
        elif isinstance(item, list):
            stack.extend((value, field) for value in item)


def _object(data: Any, allowed: set[str], required: set[str], what: str) -> dict:
    if not isinstance(data, dict):
        raise PayloadError(f"The {what} must be a JSON object.")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise PayloadError(
            f"Unknown field(s): {', '.join(unknown)}. Allowed: {', '.join(sorted(allowed))}.",
            unknown[0],
        )
    missing = sorted(required - set(data))
    if missing:
        raise PayloadError(f"Missing required field(s): {', '.join(missing)}.", missing[0])
    return data


def _string(value: Any, field: str, max_length: int, pattern: re.Pattern | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PayloadError(f'"{field}" must be a non-empty string.', field)
    if len(value) > max_length:
        raise PayloadError(f'"{field}" must be at most {max_length} characters.', field)
    if pattern is not None and not pattern.fullmatch(value):
        raise PayloadError(f'"{field}" is not in the expected format.', field)
    return value.strip()


def parse_features(data: Any) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PayloadError('"features" must be a JSON object.', "features")
    sensitive = sorted(k for k in data if sensitive_key(k))
    if sensitive:
        raise PayloadError(
            "Sensitive attributes are not accepted: " + ", ".join(sensitive) + ".", "features"
        )
    _object(data, set(FEATURE_KEYS), set(), "features value")
    out: dict[str, Any] = {}
    if data.get("age") is not None:
        age = data["age"]
        if not isinstance(age, int) or isinstance(age, bool) or not 0 < age < 130:
            raise PayloadError('"features.age" must be a whole number from 1 to 129.', "age")
        out["age"] = age
    if data.get("interests") is not None:
        interests = data["interests"]
        if not isinstance(interests, list) or not all(isinstance(i, str) for i in interests):
            raise PayloadError('"features.interests" must be a list of strings.', "interests")
        if len(interests) > 50 or any(len(i) > 64 for i in interests):
            raise PayloadError(
                '"features.interests" takes at most 50 strings of 64 characters.', "interests"
            )
        _refuse_sensitive_values(interests, "interests")
        out["interests"] = sorted({i.strip().lower() for i in interests if i.strip()})
    if data.get("locale") is not None:
        out["locale"] = _string(data["locale"], "features.locale", 35, LOCALE_RE)
    if data.get("country") is not None:
        country = _string(data["country"], "features.country", 2, COUNTRY_RE)
        out["country"] = country.upper()
    if data.get("device") is not None:
        device = _string(data["device"], "features.device", 10).lower()
        if device not in DEVICES:
            raise PayloadError(f'"features.device" must be one of: {", ".join(DEVICES)}.')
        out["device"] = device
    return out


def _refuse_sensitive_values(values: list[str], field: str) -> None:
    found = [(v, sensitive_value(v)) for v in values]
    found = [f"“{v.strip()}” ({category})" for v, category in found if category]
    if found:
        raise PayloadError(
            "Sensitive attributes are not accepted, as keys or as values: "
            + ", ".join(found)
            + ".",
            field,
        )


def parse_decide(data: Any) -> tuple[DecideRequest, dict[str, Any]]:
    """The request, plus the optional campaign / placement the caller expects."""
    fields = {"user_id", "features", "consent", "format", "campaign", "placement", "media"}
    fields.add("seconds")
    data = _object(data, fields, {"consent"}, "request body")
    consent = data["consent"]
    if not isinstance(consent, bool):
        raise PayloadError('"consent" must be true or false.', "consent")
    user_id = data.get("user_id")
    if user_id is not None:
        user_id = _string(user_id, "user_id", 256)
    elif consent:
        raise PayloadError('"user_id" is required when "consent" is true.', "user_id")
    fmt = data.get("format")
    if fmt is not None:
        fmt = _string(fmt, "format", 40, FORMAT_RE)
    expect: dict[str, Any] = {}
    if data.get("campaign") is not None:
        if not isinstance(data["campaign"], int) or isinstance(data["campaign"], bool):
            raise PayloadError('"campaign" must be a campaign id (a whole number).', "campaign")
        expect["campaign"] = data["campaign"]
    if data.get("placement") is not None:
        expect["placement"] = _string(data["placement"], "placement", 120)
    features = parse_features(data.get("features"))
    media, seconds = _media(data)
    request = DecideRequest(
        features=features, consent=consent, user_id=user_id, format=fmt, media=media,
        seconds=seconds,
    )  # fmt: skip
    return request, expect


def _media(data: dict) -> tuple[str | None, int | None]:
    """ "media" ("image" | "video", default: the placement's) and "seconds" (a clip
    length, for video only)."""
    media = data.get("media")
    if media is not None and media not in MEDIA:
        raise PayloadError('"media" must be "image" or "video".', "media")
    seconds = data.get("seconds")
    if seconds is None:
        return media, None
    lengths = " or ".join(str(n) for n in LENGTHS)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds not in LENGTHS:
        raise PayloadError(f'"seconds" must be a clip length: {lengths}.', "seconds")
    if media == "image":
        raise PayloadError('"seconds" is for video; leave it out with "media": "image".', "seconds")
    return media, seconds


MEDIA = ("image", "video")
EVENT_TYPES = ("impression", "click", "conversion", "hide", "report")


def parse_event(data: Any) -> tuple[str, str, Decimal, str]:
    """(token, type, value, report reason)."""
    data = _object(data, {"token", "type", "value", "reason"}, {"token", "type"}, "request body")
    token = _string(data["token"], "token", 512)
    kind = data["type"]
    if kind not in EVENT_TYPES:
        raise PayloadError('"type" must be one of: ' + ", ".join(EVENT_TYPES) + ".", "type")
    reason = data.get("reason")
    if kind == "report":
        if reason not in REPORT_REASONS:
            raise PayloadError(
                'A "report" needs a "reason", one of: ' + ", ".join(REPORT_REASONS) + ".",
                "reason",
            )
    elif reason is not None:
        raise PayloadError('Only a "report" carries a "reason".', "reason")
    value = data.get("value", 0)
    if value is None:
        value = 0
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise PayloadError('"value" must be a number.', "value")
    if isinstance(value, float) and not math.isfinite(value):
        raise PayloadError('"value" must be a finite number.', "value")
    if not 0 <= value <= MAX_VALUE:
        raise PayloadError('"value" must be between 0 and 1,000,000,000.', "value")
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    if amount and kind != "conversion":
        raise PayloadError('Only a "conversion" can carry a "value" (its revenue).', "value")
    return token, kind, amount, reason or ""
