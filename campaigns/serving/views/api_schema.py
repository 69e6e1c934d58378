"""OpenAPI descriptions of the hand-written serving endpoints, POST /api/v1/decide and
POST /api/v1/events (campaigns/serving/views/api.py). They stay plain Django views, routed
before the ninja API, and are only described here so one schema covers /api/v1/."""

from __future__ import annotations

ERROR = {"$ref": "#/components/schemas/ErrorOut"}
PLACEMENT_KEY = [{"PlacementKey": []}]


def _errors(*codes: int) -> dict:
    reasons = {
        400: "Bad JSON or fields",
        401: "Missing or unknown API key",
        403: "Wrong campaign or placement",
        405: "Not POST",
        413: "Body over 16 KB",
        415: "Not application/json",
        429: "Over the placement's per-minute limit",
    }
    return {
        str(c): {"description": reasons[c], "content": {"application/json": {"schema": ERROR}}}
        for c in codes
    }


FEATURES = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "age": {"type": "integer", "minimum": 0, "maximum": 130},
        "interests": {"type": "array", "items": {"type": "string"}},
        "locale": {"type": "string", "example": "en-GB"},
        "country": {"type": "string", "example": "GB"},
        "device": {"type": "string", "enum": ["mobile", "desktop", "tablet"]},
    },
}

DECIDE = {
    "post": {
        "operationId": "serving_decide",
        "tags": ["serving"],
        "summary": "Choose the creative to show one user (placement key)",
        "security": PLACEMENT_KEY,
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["consent"],
                        "properties": {
                            "user_id": {"type": "string", "description": "Required with consent"},
                            "consent": {"type": "boolean"},
                            "format": {"type": "string", "example": "square-1080"},
                            "features": FEATURES,
                            "campaign": {"type": "integer"},
                            "placement": {"type": "string"},
                            "media": {
                                "type": "string",
                                "enum": ["image", "video"],
                                "description": "Default: the placement's media; video "
                                "answers with a clip and only creatives that have one",
                            },
                            "seconds": {
                                "type": "integer",
                                "enum": [6, 15],
                                "description": "Video only: the preferred clip length",
                            },
                        },
                    }
                }
            },
        },
        "responses": {
            "200": {
                "description": "A decision; variant_id is null (no fill) with the reason",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "decision_id": {"type": "string"},
                                "variant_id": {"type": ["integer", "null"]},
                                "format": {"type": "string"},
                                "rendition_url": {"type": ["string", "null"]},
                                "media": {"type": "string", "enum": ["image", "video"]},
                                "clip": {
                                    "type": ["object", "null"],
                                    "description": "Video: a signed, expiring link to a "
                                    "ready clip of the current copy",
                                    "properties": {
                                        "url": {"type": "string"},
                                        "seconds": {"type": "integer"},
                                        "type": {"type": "string", "example": "video/mp4"},
                                        "width": {"type": "integer"},
                                        "height": {"type": "integer"},
                                    },
                                },
                                "copy": {"type": "object"},
                                "tracking_token": {"type": ["string", "null"]},
                                "explanation": {"type": "object"},
                            },
                        }
                    }
                },
            },
            **_errors(400, 401, 403, 405, 413, 415, 429),
        },
    }
}

EVENTS = {
    "post": {
        "operationId": "serving_event",
        "tags": ["serving"],
        "summary": "Record an impression, click or conversion (placement key)",
        "security": PLACEMENT_KEY,
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["token", "type"],
                        "additionalProperties": False,
                        "properties": {
                            "token": {"type": "string"},
                            "type": {
                                "type": "string",
                                "enum": ["impression", "click", "conversion"],
                            },
                            "value": {"type": "number", "description": "Conversions only"},
                        },
                    }
                }
            },
        },
        "responses": {
            "201": {"description": "Recorded"},
            "200": {"description": "Already recorded (duplicate)"},
            **_errors(400, 401, 405, 413, 415, 429),
        },
    }
}


def add_serving_paths(schema: dict) -> dict:
    schema.setdefault("paths", {})["/api/v1/decide"] = DECIDE
    schema["paths"]["/api/v1/events"] = EVENTS
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes["PlacementKey"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "A placement's key (sk_...), also accepted as X-Api-Key.",
    }
    return schema
