"""Signed, expiring links to the renditions the serving API hands out.

An ad client that asks /api/v1/decide has an API key, not a session, so the login- and
brand-checked /media/ view answers it with a redirect to the login page. The decision
therefore carries a link signed with the secret key (django.core.signing, timestamped):
whoever holds it may load that one rendition, until the link is older than
`STUDIO_RENDITION_URL_MAX_AGE` seconds, and only while the creative may still be
served (approved, no open or blocking case, campaign active, format active, rendition
of the current copy); everything else stays behind login. The link names the rendition
and its version, never a storage path.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

LINK_SALT = "campaigns.rendition-link"
# Links carry their signing time rounded down to the minute, so every decision within a
# minute hands out the same link for a rendition: clients can cache it, and the server
# signs it once (a decision costs ~0.1 ms; signing and reverse() each cost as much).
LINK_CLOCK_STEP = 60


class RenditionLinkError(ValueError):
    """A link that is forged, damaged or too old; the message is for the caller."""


class RenditionLinkExpired(RenditionLinkError):
    pass


@dataclass(frozen=True)
class RenditionRef:
    """What a link names: one rendition, as it was drawn (re-rendering raises version)."""

    id: int
    version: int


CLIP_SALT = "campaigns.clip-link"


@dataclass(frozen=True)
class ClipRef:
    """What a clip link names: one clip file (a re-render changes its hash), with what a
    player needs to know before loading it."""

    id: int
    sha: str  # the first 16 hex digits of the file's SHA-256
    seconds: int = 0
    kind: str = "mp4"
    width: int = 0
    height: int = 0


class _Signer(signing.TimestampSigner):
    """A TimestampSigner whose clock can be set (tests sign links in the past)."""

    def __init__(self, *, now: float | None = None, salt: str = LINK_SALT):
        super().__init__(salt=salt)
        self._now = now

    def timestamp(self):
        return signing.b62_encode(int(time.time() if self._now is None else self._now))


def max_age() -> int:
    return int(settings.STUDIO_SERVING["rendition_url_max_age_seconds"])


def rendition_link_sign(*, ref: RenditionRef, now: float | None = None) -> str:
    """The signed token for the rendition, stamped with `now` (default: the current
    minute); it reads back until `max_age()` seconds after that stamp."""
    now = time.time() if now is None else now
    return _signed(ref.id, ref.version, int(now) // LINK_CLOCK_STEP * LINK_CLOCK_STEP)


@functools.lru_cache(maxsize=8192)
def _signed(rendition_id: int, version: int, stamp: int) -> str:
    return _Signer(now=stamp).sign(f"{rendition_id}.{version}")


@functools.lru_cache(maxsize=1)
def _url_prefix() -> str:
    return reverse("campaigns:rendition_link", args=["-"])[:-1]


def rendition_link_url(*, ref: RenditionRef, now: float | None = None) -> str:
    """The site-relative URL of the signed link (the API view makes it absolute)."""
    return _url_prefix() + rendition_link_sign(ref=ref, now=now)


def rendition_link_read(*, token: str) -> RenditionRef:
    try:
        value = _Signer().unsign(token, max_age=max_age())
    except signing.SignatureExpired as exc:
        raise RenditionLinkExpired("This link has expired; ask for a new decision.") from exc
    except signing.BadSignature as exc:
        raise RenditionLinkError("This link is not valid.") from exc
    rendition_id, _, version = value.partition(".")
    if not (rendition_id.isdigit() and version.isdigit()):
        raise RenditionLinkError("This link is not valid.")
    return RenditionRef(int(rendition_id), int(version))


@functools.lru_cache(maxsize=8192)
def _clip_signed(clip_id: int, sha: str, stamp: int) -> str:
    return _Signer(now=stamp, salt=CLIP_SALT).sign(f"{clip_id}.{sha}")


@functools.lru_cache(maxsize=1)
def _clip_url_prefix() -> str:
    return reverse("campaigns:clip_link", args=["-"])[:-1]


def clip_link_url(*, ref: ClipRef, now: float | None = None) -> str:
    """The site-relative signed URL of a clip, like `rendition_link_url` (own salt: a
    rendition token never opens a clip, nor the other way round)."""
    now = time.time() if now is None else now
    stamp = int(now) // LINK_CLOCK_STEP * LINK_CLOCK_STEP
    return _clip_url_prefix() + _clip_signed(ref.id, ref.sha, stamp)


def clip_link_read(*, token: str) -> tuple[int, str]:
    """(clip id, hash prefix) of a valid link; RenditionLinkError otherwise."""
    try:
        value = _Signer(salt=CLIP_SALT).unsign(token, max_age=max_age())
    except signing.SignatureExpired as exc:
        raise RenditionLinkExpired("This link has expired; ask for a new decision.") from exc
    except signing.BadSignature as exc:
        raise RenditionLinkError("This link is not valid.") from exc
    clip_id, _, sha = value.partition(".")
    if not clip_id.isdigit() or len(sha) != 16 or not all(c in "0123456789abcdef" for c in sha):
        raise RenditionLinkError("This link is not valid.")
    return int(clip_id), sha
