"""C2PA content credentials on exported images: which certificate signs, and which
ingredients (product photo, logo, library asset) each rendition declares.

Off unless STUDIO_C2PA_CERT and STUDIO_C2PA_KEY name the operator's certificate chain
and private key (PEM files); `manage.py c2pa_dev_cert` makes a development pair.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from studio.engine import credentials
from studio.engine.disclosure import Disclosure

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def _load(cert: str, key: str, alg: str, tsa: str) -> credentials.SigningCredentials:
    return credentials.SigningCredentials.from_files(cert, key, alg=alg, tsa_url=tsa or None)


def signing_credentials() -> credentials.SigningCredentials | None:
    cert, key = settings.STUDIO_C2PA_CERT, settings.STUDIO_C2PA_KEY
    if not (cert and key):
        return None
    return _load(str(cert), str(key), settings.STUDIO_C2PA_ALG, settings.STUDIO_C2PA_TSA_URL)


def _file_ingredient(field_file, title: str) -> credentials.Ingredient | None:
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            data = handle.read()
        credentials.mime_of(data)
    except (OSError, ValueError):
        return None  # an unreadable or non-PNG/JPEG source is simply not declared
    return credentials.Ingredient(title=title, data=data)


def rendition_ingredients(rendition) -> list[credentials.Ingredient]:
    """What went into the picture: the campaign's product photo when the layout placed
    it, the brand logo when drawn, a library asset the painter started from."""
    campaign = rendition.variant.campaign
    boxes = (rendition.layout or {}).get("boxes") or {}
    found = []
    if "product" in boxes:
        found.append(_file_ingredient(campaign.product_image, "Product photo"))
    if "logo" in boxes:
        found.append(_file_ingredient(campaign.brand.logo, "Brand logo"))
    image = (rendition.variant.lineage or {}).get("image") or {}
    asset = image.get("asset_path")
    if asset and Path(asset).is_file():
        data = Path(asset).read_bytes()
        found.append(credentials.Ingredient(title="Brand library asset", data=data))
    return [item for item in found if item is not None]


def rendition_signer(rendition, disclosure: Disclosure) -> Callable[[bytes], bytes] | None:
    signing = signing_credentials()
    if signing is None:
        return None
    title = Path(rendition.image.name).name

    def sign(data: bytes) -> bytes:
        return credentials.sign_image(
            data,
            disclosure=disclosure,
            credentials=signing,
            title=title,
            ingredients=rendition_ingredients(rendition),
        )

    return sign
