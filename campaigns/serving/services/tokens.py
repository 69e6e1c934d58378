"""User-id hashing and signed tracking tokens."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

TOKEN_SALT = "campaigns.tracking-token"


class TokenError(ValueError):
    """A tracking token that is forged, damaged or too old; the message is for the caller."""


@dataclass(frozen=True)
class TrackingToken:
    token_id: uuid.UUID
    placement_id: int
    variant_id: int
    segment_id: int


def user_hash(raw_user_id: str) -> str:
    """HMAC-SHA256 of the user id with the secret salt: stable per user, not reversible
    without the salt. The raw id goes no further than this function."""
    key = settings.STUDIO_USER_ID_SALT.encode()
    return hmac.new(key, raw_user_id.encode(), hashlib.sha256).hexdigest()


def token_sign(token: TrackingToken) -> str:
    payload = {
        "t": token.token_id.hex,
        "p": token.placement_id,
        "v": token.variant_id,
        "s": token.segment_id,
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=False)


def token_read(text: str, *, max_age: int | None = None) -> TrackingToken:
    """The token's contents; `max_age` (seconds) defaults to the tracking token's age limit
    (conversions pass their longer attribution window)."""
    max_age = max_age or settings.STUDIO_SERVING["token_max_age_seconds"]
    try:
        payload = signing.loads(text, salt=TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise TokenError("The tracking token has expired.") from exc
    except signing.BadSignature as exc:
        raise TokenError("The tracking token is not valid (bad signature).") from exc
    try:
        return TrackingToken(
            token_id=uuid.UUID(hex=payload["t"]),
            placement_id=int(payload["p"]),
            variant_id=int(payload["v"]),
            segment_id=int(payload["s"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenError("The tracking token is not valid (bad contents).") from exc
