"""Where export ZIPs are kept: outside MEDIA_ROOT, so only the download view serves them."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class ExportStorage(FileSystemStorage):
    """Reads STUDIO_EXPORT_ROOT on every access (not once at import), so tests and
    workers pointed at another directory use it."""

    @property
    def base_location(self):
        return str(settings.STUDIO_EXPORT_ROOT)

    @property
    def location(self):
        return str(settings.STUDIO_EXPORT_ROOT)

    def deconstruct(self):
        return ("campaigns.storage.ExportStorage", (), {})


def export_storage() -> ExportStorage:
    return ExportStorage()
