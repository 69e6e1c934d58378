"""Audience segment rules: parsing, validation and matching against user features.

A rule set is a JSON object, every key optional:

    {"age": {"min": 18, "max": 34}, "interests": ["running", "yoga"],
     "locales": ["en", "de-DE"], "countries": ["US", "GB"], "devices": ["mobile"]}

A user matches when every present key matches: age within the range, at least one
shared interest, a locale equal to or a sub-tag of a listed locale, a listed country,
a listed device. Rules over sensitive attributes are refused outright.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from campaigns.sensitive_categories import SENSITIVE_KEYS  # the one list (keys and values)

ALLOWED_KEYS = ("age", "interests", "locales", "countries", "devices")
DEVICES = ("mobile", "desktop", "tablet", "ctv")


class RuleError(ValueError):
    """Rules that cannot be parsed or are not allowed; the message is for the user."""


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
            parts.append("countries: " + ", ".join(sorted(self.countries)))
        if self.devices:
            parts.append("devices: " + ", ".join(sorted(self.devices)))
        return "; ".join(parts) or "everyone"


def _lower_set(values: Any) -> set[str]:
    if not isinstance(values, list | tuple | set | frozenset):
        return set()
    return {str(v).strip().lower() for v in values if str(v).strip()}


def _string_list(data: dict, key: str, max_items: int = 50) -> list[str]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f'"{key}" must be a list of strings.')
    cleaned = [v.strip() for v in value if v.strip()]
    if len(cleaned) > max_items:
        raise RuleError(f'"{key}" can list at most {max_items} values.')
    if any(len(v) > 64 for v in cleaned):
        raise RuleError(f'Values in "{key}" must be at most 64 characters.')
    return cleaned


def _parse_age(value: Any) -> tuple[int | None, int | None]:
    if isinstance(value, list) and len(value) == 2:
        value = {"min": value[0], "max": value[1]}
    if not isinstance(value, dict) or not set(value) <= {"min", "max"}:
        raise RuleError('"age" must look like {"min": 18, "max": 34}.')
    bounds = []
    for key in ("min", "max"):
        bound = value.get(key)
        if bound is not None and (not isinstance(bound, int) or isinstance(bound, bool)):
            raise RuleError(f'"age.{key}" must be a whole number.')
        if bound is not None and not 13 <= bound <= 120:
            raise RuleError(f'"age.{key}" must be between 13 and 120.')
        bounds.append(bound)
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        raise RuleError('"age.min" must not be greater than "age.max".')
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
    sensitive = sorted(k for k in data if k.lower() in SENSITIVE_KEYS)
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
        raise RuleError(f'"devices" must be among: {", ".join(DEVICES)}.')
    return Rules(
        age_min=age_min,
        age_max=age_max,
        interests=frozenset(v.lower() for v in _string_list(data, "interests")),
        locales=tuple(v.replace("_", "-").lower() for v in _string_list(data, "locales")),
        countries=frozenset(v.upper() for v in _string_list(data, "countries")),
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
