"""Renditions behind the signed links in decisions: no session needed, nothing else served.

See campaigns.serving.services.rendition_links. A bad or expired signature is 403; a link to a
creative that may no longer be served (blocked, rejected, campaign paused, re-rendered)
is 404, the same answer as one that never existed.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from campaigns.api_errors import api_error
from campaigns.selectors import rendition_servable
from campaigns.selectors_clips import clip_servable
from campaigns.serving.services.rendition_links import (
    RenditionLinkError,
    clip_link_read,
    rendition_link_read,
)

# Short, so a creative blocked after a decision stops showing from shared caches soon.
CACHE_SECONDS = 300


@require_safe
def rendition_link(request, token):
    try:
        ref = rendition_link_read(token=token)
    except RenditionLinkError as exc:
        return api_error(403, "invalid_link", str(exc))
    rendition = rendition_servable(rendition_id=ref.id, version=ref.version)
    if rendition is None:
        raise Http404("This creative is not served.")
    return _file_response(rendition.image.name)


@require_safe
def clip_link(request, token):
    """A clip handed out by a decision for a video placement; the same rules as above."""
    try:
        clip_id, sha = clip_link_read(token=token)
    except RenditionLinkError as exc:
        return api_error(403, "invalid_link", str(exc))
    clip = clip_servable(clip_id=clip_id, sha256_prefix=sha)
    if clip is None:
        raise Http404("This creative is not served.")
    return _file_response(clip.file.name)


def _file_response(name: str) -> FileResponse:
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("The file is missing from storage.") from exc
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
