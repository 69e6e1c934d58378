"""Audience segment rules: parsing, validation and matching against user features.

A rule set is a JSON object, every key optional:

    {"age": {"min": 18, "max": 34}, "interests": ["running", "yoga"],
     "locales": ["en", "de-DE"], "countries": ["US", "GB"], "devices": ["mobile"]}

A user matches when every present key matches: age within the range, at least one
shared interest, a locale equal to or a sub-tag of a listed locale, a listed country,
a listed device. Rules over sensitive attributes are refused outright.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from django_countries import countries as iso_countries

# GDPR art. 9 special categories: one list (campaigns.sensitive_categories) for rule keys,
# interest values and the API.
from campaigns.sensitive_categories import SENSITIVE_KEYS, sensitive_key, sensitive_values  # noqa: F401

ALLOWED_KEYS = ("age", "interests", "locales", "countries", "devices")
DEVICES = ("mobile", "desktop", "tablet", "ctv")


class RuleError(ValueError):
    """Rules that cannot be parsed or are not allowed; the message is for the user, and
    `field` names the rule builder's field it is about (None: the rules as a whole)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# What each rule key is called in messages (the builder's labels, in words).
_NAMES = {
    "interests": "Interests",
    "locales": "Locales",
    "countries": "Countries",
    "devices": "Devices",
}
_AGE_NAMES = {"min": "“Age from”", "max": "“Age to”"}
# Common names django-countries does not list under that spelling.
_COUNTRY_ALIASES = {
    "UK": "GB",
    "GREAT BRITAIN": "GB",
    "BRITAIN": "GB",
    "ENGLAND": "GB",
    "SCOTLAND": "GB",
    "WALES": "GB",
    "NORTHERN IRELAND": "GB",
    "USA": "US",
    "UNITED STATES": "US",
    "AMERICA": "US",
    "KOREA": "KR",
    "HOLLAND": "NL",
}


def country_code(value: str) -> str:
    """ISO 3166-1 alpha-2 code for a code (alpha-2 or alpha-3) or an English name, or
    RuleError with the closest names as a suggestion."""
    text = " ".join(value.split())
    key = text.upper()
    code = _COUNTRY_ALIASES.get(key) or iso_countries.alpha2(key) or iso_countries.by_name(text)
    if code:
        return code
    names = {name.casefold(): (name, code) for code, name in iso_countries}
    close = difflib.get_close_matches(text.casefold(), list(names), n=2, cutoff=0.6)
    hint = (
        " Did you mean " + " or ".join(f"{names[c][0]} ({names[c][1]})" for c in close) + "?"
        if close
        else " Use a country name or its two-letter code, e.g. United Kingdom or GB."
    )
    raise RuleError(f"“{text}” is not a country we know.{hint}", "countries")


def country_name(code: str) -> str:
    return iso_countries.name(code) or code


@dataclass(frozen=True)
class Rules:
    age_min: int | None = None
    age_max: int | None = None
    interests: frozenset[str] = field(default_factory=frozenset)
    locales: tuple[str, ...] = ()
    countries: frozenset[str] = field(default_factory=frozenset)
    devices: frozenset[str] = field(default_factory=frozenset)

    def matches(self, features: dict[str, Any]) -> bool:
        return all(check(features) for check in self._checks())

    def match_count(self, features: dict[str, Any]) -> int:
        """How many present rules the user satisfies (for explaining a near miss)."""
        return sum(1 for check in self._checks() if check(features))

    def _checks(self):
        if self.age_min is not None or self.age_max is not None:
            yield self._age_ok
        if self.interests:
            yield lambda f: bool(self.interests & _lower_set(f.get("interests")))
        if self.locales:
            yield self._locale_ok
        if self.countries:
            yield lambda f: str(f.get("country", "")).upper() in self.countries
        if self.devices:
            yield lambda f: str(f.get("device", "")).lower() in self.devices

    def _age_ok(self, features: dict[str, Any]) -> bool:
        age = features.get("age")
        if not isinstance(age, int | float) or isinstance(age, bool):
            return False
        low = self.age_min if self.age_min is not None else 0
        high = self.age_max if self.age_max is not None else 200
        return low <= age <= high

    def _locale_ok(self, features: dict[str, Any]) -> bool:
        locale = str(features.get("locale", "")).replace("_", "-").lower()
        return any(locale == want or locale.startswith(want + "-") for want in self.locales)

    def describe(self) -> str:
        parts = []
        if self.age_min is not None or self.age_max is not None:
            parts.append(f"age {self.age_min or 0}–{self.age_max or '∞'}")
        if self.interests:
            parts.append("interests: " + ", ".join(sorted(self.interests)))
        if self.locales:
            parts.append("locales: " + ", ".join(self.locales))
        if self.countries:
            names = sorted(country_name(c) for c in self.countries)
            parts.append("countries: " + ", ".join(names))
        if self.devices:
            parts.append("devices: " + ", ".join(sorted(self.devices)))
        return "; ".join(parts) or "everyone"


def _lower_set(values: Any) -> set[str]:
    if not isinstance(values, list | tuple | set | frozenset):
        return set()
    return {str(v).strip().lower() for v in values if str(v).strip()}


def _string_list(data: dict, key: str, max_items: int = 50) -> list[str]:
    value = data.get(key, [])
    name = _NAMES[key]
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{name} must be a list of words or phrases.", key)
    cleaned = [v.strip() for v in value if v.strip()]
    if len(cleaned) > max_items:
        raise RuleError(f"{name} can list at most {max_items} values.", key)
    if any(len(v) > 64 for v in cleaned):
        raise RuleError(f"Each of the {name.lower()} must be at most 64 characters.", key)
    return cleaned


def _parse_age(value: Any) -> tuple[int | None, int | None]:
    if isinstance(value, list) and len(value) == 2:
        value = {"min": value[0], "max": value[1]}
    if not isinstance(value, dict) or not set(value) <= {"min", "max"}:
        raise RuleError('The age range must look like {"min": 18, "max": 34}.', "age_min")
    bounds = []
    for key in ("min", "max"):
        bound = value.get(key)
        name = _AGE_NAMES[key]
        if bound is not None and (not isinstance(bound, int) or isinstance(bound, bool)):
            raise RuleError(f"{name} must be a whole number of years.", f"age_{key}")
        if bound is not None and not 13 <= bound <= 120:
            raise RuleError(f"{name} must be between 13 and 120.", f"age_{key}")
        bounds.append(bound)
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        raise RuleError(
            f"“Age from” ({bounds[0]}) must not be greater than “Age to” ({bounds[1]}).",
            "age_min",
        )
    return bounds[0], bounds[1]


def parse_rules(data: Any) -> Rules:
    """Turn JSON text or a dict into Rules, or raise RuleError saying what is wrong."""
    if isinstance(data, str):
        if not data.strip():
            return Rules()
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise RuleError(f"Rules are not valid JSON: {exc.msg} (line {exc.lineno}).") from exc
    if data is None:
        return Rules()
    if not isinstance(data, dict):
        raise RuleError('Rules must be a JSON object, e.g. {"age": {"min": 18}}.')
    sensitive = sorted(k for k in data if sensitive_key(k))
    if sensitive:
        raise RuleError(
            "Targeting on sensitive attributes is not allowed: " + ", ".join(sensitive) + "."
        )
    unknown = sorted(set(data) - set(ALLOWED_KEYS))
    if unknown:
        raise RuleError(
            f"Unknown rule keys: {', '.join(unknown)}. Allowed: {', '.join(ALLOWED_KEYS)}."
        )
    age_min, age_max = _parse_age(data["age"]) if "age" in data else (None, None)
    devices = {d.lower() for d in _string_list(data, "devices")}
    if devices - set(DEVICES):
        raise RuleError(f"Devices must be among: {', '.join(DEVICES)}.", "devices")
    interests = _string_list(data, "interests")
    refused = sensitive_values(interests)
    if refused:
        raise RuleError(
            "Interests on health, religion, ethnicity, sexual orientation, politics, trade "
            "union membership or genetic data cannot be targeted: " + ", ".join(refused) + ".",
            "interests",
        )
    return Rules(
        age_min=age_min,
        age_max=age_max,
        interests=frozenset(v.lower() for v in interests),
        locales=tuple(v.replace("_", "-").lower() for v in _string_list(data, "locales")),
        countries=frozenset(country_code(v) for v in _string_list(data, "countries")),
        devices=frozenset(devices),
    )


def normalise_rules(data: Any) -> dict[str, Any]:
    """Validated rules in their canonical JSON form, for storage."""
    rules = parse_rules(data)
    out: dict[str, Any] = {}
    if rules.age_min is not None or rules.age_max is not None:
        out["age"] = {
            k: v for k, v in (("min", rules.age_min), ("max", rules.age_max)) if v is not None
        }
    for key in ("interests", "countries", "devices"):
        if getattr(rules, key):
            out[key] = sorted(getattr(rules, key))
    if rules.locales:
        out["locales"] = list(rules.locales)
    return out
